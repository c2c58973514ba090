// Builds the self-hosted GraphiQL IDE into claimgraph/api/ide/static/.
//
// Output:
//   manifest.json              Vite manifest; claimgraph/api/ide/__init__.py reads the
//                              entry's file and CSS from it ("isEntry": true)
//   assets/graphiql-HASH.js    ES module entry (load with <script type="module">)
//   assets/graphiql-HASH.css   its styles, fonts inlined as data: URLs
//   assets/*-HASH.*            lazily loaded chunks, Monaco web workers, codicon font
// Every file name carries a content hash, so a rebuilt IDE never mixes with files a
// browser cached from an older build (the entry must not get a ?v= query either:
// chunks import it back by its plain URL, and a second URL would load it twice).
// `base: './'` makes every asset URL relative to the file that references it, so
// the folder can be mounted under any URL prefix (e.g. /graphql/ide-assets).
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vite';

const outDir = fileURLToPath(new URL('../claimgraph/api/ide/static', import.meta.url));

export default defineConfig({
  base: './',
  publicDir: false,
  logLevel: 'info',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Monaco is large; the IDE is a single page, so a big entry is expected.
    chunkSizeWarningLimit: 8192,
    // Never inline assets as data: URLs except small ones; never reference remote URLs.
    assetsInlineLimit: 4096,
    manifest: 'manifest.json',
    rolldownOptions: {
      // Libraries ship "use client" directives (meant for React Server Components);
      // they are meaningless in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') {
          return;
        }
        warn(warning);
      },
      input: { graphiql: fileURLToPath(new URL('./src/main.jsx', import.meta.url)) },
      output: {
        entryFileNames: 'assets/graphiql-[hash].js',
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
  worker: {
    format: 'es',
    rolldownOptions: {
      output: {
        entryFileNames: 'assets/[name]-[hash].js',
        chunkFileNames: 'assets/[name]-[hash].js',
      },
    },
  },
});
