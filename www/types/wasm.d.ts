// Ambient declarations for what the page imports that has no types of its own. The wasm-bindgen glue's
// types are in www/types/wasm/pkg-st/juggle.d.ts and www/types/wasm/pkg/juggle.d.ts (an ambient module
// cannot have a relative name such as './pkg-st/juggle.js'; tsconfig.json's rootDirs maps them instead).

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
