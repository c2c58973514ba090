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
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
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
// as a leading comment unless the query already starts with it.
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

const config = readConfig();
const defaultTabs = config.tabs.map(tabDefinition);
const plugins = [explorerPlugin()];

const container = document.getElementById('graphiql') ?? document.body.appendChild(document.createElement('div'));
container.id = 'graphiql';

createRoot(container).render(
  <StrictMode>
    <GraphiQL
      fetcher={createFetcher(config.endpoint)}
      plugins={plugins}
      defaultTabs={defaultTabs.length > 0 ? defaultTabs : undefined}
    />
  </StrictMode>,
);
