// Fails when the built IDE could make a request that leaves the host.
//
// Documentation links inside library code (https://react.dev/errors/..., GitHub
// URLs in error messages, XML namespaces) are never fetched and are fine. What
// must not appear: known CDN hosts, or any absolute http(s) URL in a position the
// browser would load (import(), importScripts(), new Worker(), CSS url()/@import,
// fetch(), src/href attributes).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../claimgraph/api/ide/static', import.meta.url));

const CDN_HOSTS =
  /(?:unpkg\.com|cdn\.jsdelivr\.net|jsdelivr\.net|esm\.sh|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|cdn\.skypack\.dev|ga\.jspm\.io)/;
const LOADED_REMOTE = [
  /\bimport\s*\(\s*["'`](?:https?:)?\/\//,
  /\bfrom\s*["'`](?:https?:)?\/\//,
  /\bimportScripts\s*\(\s*["'`](?:https?:)?\/\//,
  /\bnew\s+(?:Shared)?Worker\s*\(\s*["'`](?:https?:)?\/\//,
  /\bfetch\s*\(\s*["'`](?:https?:)?\/\//,
  /\burl\(\s*["']?(?:https?:)?\/\//,
  /@import\s+["'](?:https?:)?\/\//,
  /\b(?:src|href)\s*=\s*["'](?:https?:)?\/\//,
];

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      yield* walk(path);
    } else if (/\.(?:js|mjs|css|html|json)$/.test(name)) {
      yield path;
    }
  }
}

let files = 0;
const problems = [];
try {
  for (const path of walk(root)) {
    files += 1;
    const text = readFileSync(path, 'utf8');
    for (const pattern of [CDN_HOSTS, ...LOADED_REMOTE]) {
      const match = pattern.exec(text);
      if (match) {
        const start = Math.max(0, match.index - 60);
        const excerpt = text.slice(start, match.index + 100).replace(/\s+/g, ' ');
        problems.push(`${relative(root, path)}: ${pattern} ... ${excerpt}`);
      }
    }
  }
} catch (error) {
  console.error(`check-offline: cannot read ${root}: ${error.message} (run "npm run build")`);
  process.exit(1);
}

if (files === 0) {
  console.error(`check-offline: no built files in ${root} (run "npm run build")`);
  process.exit(1);
}
if (problems.length > 0) {
  console.error('check-offline: the built IDE references remote resources:');
  for (const problem of problems) {
    console.error(`  ${problem}`);
  }
  process.exit(1);
}
console.log(`check-offline: ${files} files in ${relative(process.cwd(), root)}, no remote loads`);
