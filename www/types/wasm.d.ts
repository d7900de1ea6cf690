// Ambient declarations for what the page imports that has no types of its own. The wasm-bindgen glue's
// types are the .d.ts files wasm-pack writes beside it (www/pkg, www/pkg-st, www/pkg-lazy).

// The page's content, made by scripts/content-plugin.js at build time.
declare module 'virtual:juggle-content' {
  export const lessons: Record<string, () => Promise<{ default: any }>>;
  export const start: { sections: { id: string; title: string; html: string }[]; quiz: any };
}

/** Pyodide's npm version, set by vite.config.js: its runtime files are served under /pyodide/<version>/. */
declare const __PYODIDE_VERSION__: string;

declare module '*.py?raw' {
  const source: string;
  export default source;
}
