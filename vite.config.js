import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'vite';
import { juggleContent } from './scripts/content-plugin.js';

// Cross-origin isolation: SharedArrayBuffer (and so the rayon pool on Web Workers) needs COOP and COEP.
// Document-Isolation-Policy lets browsers that support it isolate Juggle inside another site's iframe;
// CORP lets such sites embed it. public/_headers says the same for static hosts.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Document-Isolation-Policy': 'isolate-and-require-corp',
};

// JUGGLE_ISOLATION=off serves without the headers, as most static hosts and course platforms do: the page
// then relies on coi-serviceworker, or runs on message-passing workers (the end-to-end tests check both).
const headers = process.env.JUGGLE_ISOLATION === 'off' ? {} : isolation;

const coiServiceWorker = createRequire(import.meta.url).resolve('coi-serviceworker/coi-serviceworker.min.js');

/**
 * Serves coi-serviceworker from node_modules at /coi-serviceworker.js (a service worker must come from the
 * page's origin, at the root to control it) and writes it into dist/; serves www/embed-host.js at
 * /embed.js in development, as the build names it.
 */
const juggleFiles = {
  name: 'juggle-files',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      if (req.url === '/coi-serviceworker.js') {
        res.setHeader('Content-Type', 'text/javascript');
        res.end(readFileSync(coiServiceWorker));
        return;
      }
      if (req.url === '/embed.js') req.url = '/www/embed-host.js';
      next();
    });
  },
  generateBundle() {
    this.emitFile({
      type: 'asset',
      fileName: 'coi-serviceworker.js',
      source: readFileSync(coiServiceWorker),
    });
  },
};

export default defineConfig({
  plugins: [juggleFiles, juggleContent(import.meta.dirname)],
  server: { headers },
  // CORS: embed.js is loaded as a module by pages on other origins.
  preview: { headers, cors: true },
  // wasm-bindgen-rayon starts its workers as ES modules.
  worker: { format: 'es' },
  build: {
    // JUGGLE_OUT_DIR lets two checkouts' builds and previews (for example two test runs) stay apart.
    outDir: process.env.JUGGLE_OUT_DIR ?? 'dist',
    target: 'es2022',
    rollupOptions: {
      input: { main: 'index.html', embed: 'www/embed-host.js' },
      output: {
        // embed.js keeps its name: course pages link to it.
        entryFileNames: (chunk) => (chunk.name === 'embed' ? 'embed.js' : 'assets/[name]-[hash].js'),
      },
      onwarn(warning, warn) {
        // wasm-bindgen-rayon's worker re-imports the wasm glue by design; there is nothing to split.
        if (warning.code === 'INEFFECTIVE_DYNAMIC_IMPORT') return;
        warn(warning);
      },
    },
  },
});
