import { defineConfig } from 'vite';

// Cross-origin isolation: SharedArrayBuffer (and so the rayon pool on Web Workers) needs both headers.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { headers: isolation },
  preview: { headers: isolation },
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
