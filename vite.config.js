import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname } from 'node:path';
import { parseAllHeaders } from '@netlify/headers-parser';
import { build, defineConfig } from 'vite';
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

/**
 * Where the build writes every Worker's script (hashed names under one folder): public/_headers gives that
 * folder the workers' content security policy, and only a worker's own response header binds it (the page's
 * `<meta>` policy does not reach a worker).
 */
const WORKERS_DIR = 'assets/workers';

/**
 * The headers public/_headers gives the workers' scripts (its rule for `/assets/workers/*`), read with the
 * parser static hosts use: the dev server sends them on every worker script it serves, so that `npm start`
 * runs the workers under the same policy as a deployed build and the end-to-end tests.
 */
async function workerHeaders() {
  const { headers, errors } = await parseAllHeaders({
    headersFiles: [`${import.meta.dirname}/public/_headers`],
    minimal: false,
  });
  if (errors.length > 0) throw new Error(`public/_headers: ${errors.map((e) => e.message).join('; ')}`);
  const probe = `/${WORKERS_DIR}/probe-0.js`;
  const found = Object.assign({}, ...headers.filter((r) => r.forRegExp.test(probe)).map((r) => r.values));
  if (!found['Content-Security-Policy'])
    throw new Error(`public/_headers gives ${probe} no Content-Security-Policy`);
  return found;
}

// JUGGLE_ISOLATION=off serves without the headers, as most static hosts and course platforms do: the page
// then relies on coi-serviceworker, or runs on message-passing workers (the end-to-end tests check both).
const headers = process.env.JUGGLE_ISOLATION === 'off' ? {} : isolation;

const require = createRequire(import.meta.url);
const coiServiceWorker = require.resolve('coi-serviceworker/coi-serviceworker.min.js');

// The browser's Python (Pyodide, from npm): its runtime files are served from the page's own origin under a
// versioned folder, /pyodide/<version>/, so hosts may cache them for good (public/_headers says so). They
// load only when a learner runs Python (www/python/python.js).
const pyodideDir = dirname(require.resolve('pyodide/package.json'));
const pyodideVersion = JSON.parse(readFileSync(`${pyodideDir}/package.json`, 'utf8')).version;
const PYODIDE_FILES = [
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
];
const PYODIDE_TYPES = {
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.json': 'application/json',
};

/**
 * embed.js, the script course pages load from another origin: www/embed-host.js bundled with its library
 * into one classic script (an IIFE, no imports), so it needs no CORS for further files and works from a
 * plain `<script src>`. The same bundle is served in development and written into dist/.
 * @returns {Promise<string>} the script's code
 */
async function bundleEmbedScript() {
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      target: 'es2020',
      minify: true,
      lib: {
        entry: `${import.meta.dirname}/www/embed-host.js`,
        formats: ['iife'],
        name: 'JuggleEmbed',
        fileName: () => 'embed.js',
      },
    },
  });
  const [bundle] = Array.isArray(output) ? output : [output];
  return bundle.output[0].code;
}

/**
 * Preloads the core the page's main thread loads (www/pkg-st's wasm, named by the entry chunk) from the
 * HTML, so that its download starts with the page's script instead of after it ran: the first view, which
 * waits for the core, shows sooner. The threaded build loads in the engine worker, only when needed.
 */
const preloadCore = {
  name: 'juggle-preload-core',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler(html, { bundle }) {
      if (!bundle) return html;
      const entries = Object.values(bundle).filter((c) => c.type === 'chunk' && c.isEntry);
      const wasm = Object.values(bundle).filter(
        (a) =>
          a.type === 'asset' &&
          a.fileName.endsWith('.wasm') &&
          entries.some((c) => c.code.includes(a.fileName)),
      );
      return {
        html,
        tags: wasm.map((a) => ({
          tag: 'link',
          attrs: {
            rel: 'preload',
            href: `/${a.fileName}`,
            as: 'fetch',
            type: 'application/wasm',
            crossorigin: '',
          },
          injectTo: 'head',
        })),
      };
    },
  },
};

/**
 * Serves coi-serviceworker from node_modules at /coi-serviceworker.js (a service worker must come from the
 * page's origin, at the root to control it) and writes it into dist/; serves and writes embed.js (see
 * `bundleEmbedScript`) and Pyodide's runtime files; sends every Worker's script with the workers' headers
 * from public/_headers (see `workerHeaders`).
 */
const juggleFiles = {
  name: 'juggle-files',
  async configureServer(server) {
    const forWorkers = await workerHeaders();
    server.middlewares.use((req, res, next) => {
      // A Worker's script, as Vite serves it in development (`?worker_file`): with the workers' headers.
      if (/[?&]worker_file\b/.test(req.url ?? ''))
        for (const [name, value] of Object.entries(forWorkers)) res.setHeader(name, value);
      if (req.url === '/coi-serviceworker.js') {
        res.setHeader('Content-Type', 'text/javascript');
        res.end(readFileSync(coiServiceWorker));
        return;
      }
      const pyodideFile = req.url?.startsWith(`/pyodide/${pyodideVersion}/`) && req.url.split('/').at(-1);
      if (pyodideFile && PYODIDE_FILES.includes(pyodideFile)) {
        res.setHeader('Content-Type', PYODIDE_TYPES[extname(pyodideFile)]);
        res.end(readFileSync(`${pyodideDir}/${pyodideFile}`));
        return;
      }
      if (req.url === '/embed.js') {
        bundleEmbedScript().then(
          (code) => {
            res.setHeader('Content-Type', 'text/javascript');
            res.end(code);
          },
          (error) => next(error),
        );
        return;
      }
      next();
    });
  },
  async generateBundle() {
    this.emitFile({
      type: 'asset',
      fileName: 'coi-serviceworker.js',
      source: readFileSync(coiServiceWorker),
    });
    this.emitFile({ type: 'asset', fileName: 'embed.js', source: await bundleEmbedScript() });
    for (const file of PYODIDE_FILES) {
      this.emitFile({
        type: 'asset',
        fileName: `pyodide/${pyodideVersion}/${file}`,
        source: readFileSync(`${pyodideDir}/${file}`),
      });
    }
  },
};

/**
 * `assets/core-<build>-<hash>.wasm` for a build of the core (www/pkg, pkg-st, pkg-lazy), Vite's own name
 * for every other asset.
 * @param {{ originalFileNames?: string[] }} asset
 */
function coreAssetName(asset) {
  const build = (asset.originalFileNames ?? [])
    .map((name) => name.match(/(?:^|\/)www\/(pkg(?:-st|-lazy)?)\/juggle_bg\.wasm$/)?.[1])
    .find(Boolean);
  return build ? `assets/core-${build}-[hash][extname]` : 'assets/[name]-[hash][extname]';
}

export default defineConfig({
  plugins: [juggleFiles, juggleContent(import.meta.dirname), preloadCore],
  server: { headers },
  define: { __PYODIDE_VERSION__: JSON.stringify(pyodideVersion) },
  // No CORS here: the end-to-end tests serve dist/ as static hosts do (tests/e2e/static-host.js), with
  // exactly the headers in public/_headers.
  preview: { headers },
  // wasm-bindgen-rayon starts its workers as ES modules. Every worker's script goes to WORKERS_DIR, the
  // folder public/_headers serves with the workers' content security policy.
  worker: {
    format: 'es',
    rollupOptions: {
      output: { assetFileNames: coreAssetName, entryFileNames: `${WORKERS_DIR}/[name]-[hash].js` },
    },
  },
  build: {
    // JUGGLE_OUT_DIR lets two checkouts' builds and previews (for example two test runs) stay apart.
    outDir: process.env.JUGGLE_OUT_DIR ?? 'dist',
    target: 'es2022',
    rollupOptions: {
      input: { main: 'index.html' },
      // The three builds of the core are all `juggle_bg.wasm`: each file is named by its build instead
      // (core-pkg-st-<hash>.wasm: the page's, preloaded; core-pkg-lazy: on demand; core-pkg: threaded).
      output: { assetFileNames: coreAssetName },
      onwarn(warning, warn) {
        // wasm-bindgen-rayon's worker re-imports the wasm glue by design; there is nothing to split.
        if (warning.code === 'INEFFECTIVE_DYNAMIC_IMPORT') return;
        warn(warning);
      },
    },
  },
});
