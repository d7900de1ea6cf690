import { defineConfig } from 'vite';

// Cross-origin isolation: SharedArrayBuffer (and so the rayon pool on Web Workers) needs both headers.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// JUGGLE_ISOLATION=off serves without the headers, as most course platforms do: the page then runs on
// message-passing workers (the end-to-end tests use it to check that fallback).
const headers = process.env.JUGGLE_ISOLATION === 'off' ? {} : isolation;

export default defineConfig({
  server: { headers },
  preview: { headers },
  // wasm-bindgen-rayon starts its workers as ES modules.
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    rollupOptions: {
      onwarn(warning, warn) {
        // wasm-bindgen-rayon's worker re-imports the wasm glue by design; there is nothing to split.
        if (warning.code === 'INEFFECTIVE_DYNAMIC_IMPORT') return;
        warn(warning);
      },
    },
  },
});
