// Entry point of the self-hosted GraphiQL IDE served by claimgraph.
//
// The HTML page (rendered by claimgraph/api/ide/__init__.py) carries its
// configuration in an inline JSON element:
//
//   <script id="claimgraph-ide-config" type="application/json">
//     {"endpoint": "/graphql", "tabs": [{"title": "...", "query": "...", "variables": "..."}]}
//   </script>
//
// and a <div id="graphiql"> to render into.
import './workers.js';

import { explorerPlugin } from '@graphiql/plugin-explorer';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { createRoot } from 'react-dom/client';

import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './ide.css';

const CONFIG_ELEMENT_ID = 'claimgraph-ide-config';
const ACCEPT = 'application/graphql-response+json, application/json';

function readConfig() {
  const element = document.getElementById(CONFIG_ELEMENT_ID);
  let raw = {};
  if (element && element.textContent) {
    try {
      raw = JSON.parse(element.textContent);
    } catch (error) {
      console.error(`claimgraph IDE: invalid JSON in #${CONFIG_ELEMENT_ID}`, error);
    }
  }
  const endpoint = typeof raw.endpoint === 'string' && raw.endpoint ? raw.endpoint : '/graphql';
  const tabs = Array.isArray(raw.tabs) ? raw.tabs.filter((tab) => tab && typeof tab.query === 'string') : [];
  return { endpoint, tabs };
}

// GraphiQL names a tab after the operation in it; keep the example's title visible
// as a leading comment unless the query already contains it.
function tabDefinition(tab) {
  const title = typeof tab.title === 'string' ? tab.title.trim() : '';
  const query = title && !tab.query.includes(title) ? `# ${title}\n${tab.query}` : tab.query;
  return {
    query,
    variables: typeof tab.variables === 'string' ? tab.variables : null,
  };
}

function createFetcher(endpoint) {
  return async (graphQLParams, fetcherOpts) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        ...(fetcherOpts && fetcherOpts.headers),
        Accept: ACCEPT,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(graphQLParams),
    });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return {
        errors: [{ message: `HTTP ${response.status} ${response.statusText}: response is not JSON` }],
        body: text.slice(0, 2000),
      };
    }
  };
}

// GraphiQL titles a tab with its operation's name (`WhoContradictsWhom`) and takes no
// title of its own; show the example's plain title instead ("Who contradicts whom").
// The tab's text node is renamed in place, so React, which keeps that node, still
// updates it when the operation is renamed, and the observer then renames it again.
const OPERATION_NAME = /^(?!#).*(query|subscription|mutation)\s+([a-zA-Z0-9_]+)/m;

function titleTabs(container, tabs) {
  const titles = new Map();
  for (const tab of tabs) {
    const operation = OPERATION_NAME.exec(tab.query)?.[2];
    const title = typeof tab.title === 'string' ? tab.title.trim() : '';
    if (operation && title) titles.set(operation, title);
  }
  if (titles.size === 0) return;
  const rename = () => {
    for (const button of container.querySelectorAll('.graphiql-tab-button')) {
      const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const title = titles.get(node.nodeValue.trim());
        if (title) {
          node.nodeValue = title;
          button.title = title;
        }
      }
    }
  };
  new MutationObserver(rename).observe(container, { childList: true, subtree: true, characterData: true });
  rename();
}

const config = readConfig();
const defaultTabs = config.tabs.map(tabDefinition);
// Passing `plugins` replaces GraphiQL's default ([HISTORY_PLUGIN]), so keep history.
const plugins = [HISTORY_PLUGIN, explorerPlugin()];
// Open the variables editor when an example comes with variables.
const showVariables = defaultTabs.some((tab) => tab.variables);

// GraphiQL 5 opens the active tab's operation but not its variables: it fills the
// variables editor from its own saved copy of that editor, which it saves only after
// an edit or a tab switch. Until then, pass the active tab's query and variables
// (the saved tab if there is one, else the first default tab); passing the same
// contents as that tab keeps GraphiQL on it instead of opening a new tab.
function initialEditorValues(tabs) {
  let storage = null;
  try {
    storage = window.localStorage;
  } catch {
    // storage disabled: GraphiQL uses the default tabs
  }
  const saved = (key) => (storage ? storage.getItem(`graphiql:${key}`) : null);
  if (saved('query') !== null || saved('variables') !== null) {
    return {};
  }
  let tab = tabs[0];
  const tabState = saved('tabState');
  if (tabState !== null) {
    try {
      const parsed = JSON.parse(tabState);
      tab = parsed.tabs[parsed.activeTabIndex];
    } catch {
      return {};
    }
  }
  if (!tab || typeof tab.variables !== 'string' || !tab.variables) {
    return {};
  }
  return { initialQuery: tab.query ?? '', initialVariables: tab.variables };
}

const container = document.getElementById('graphiql') ?? document.body.appendChild(document.createElement('div'));
container.id = 'graphiql';

titleTabs(container, config.tabs);
createRoot(container).render(
  <GraphiQL
    fetcher={createFetcher(config.endpoint)}
    plugins={plugins}
    defaultEditorToolsVisibility={showVariables ? 'variables' : undefined}
    defaultTabs={defaultTabs.length > 0 ? defaultTabs : undefined}
    {...initialEditorValues(defaultTabs)}
  />,
);
