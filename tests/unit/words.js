// The words a Python learner should not meet outside a "How the browser does it" fold, and the phrases
// that give a run's outcome away before Run (#29 items 4 and 5). Shared by tests/unit/words.test.js
// (the sources) and tests/e2e/words.spec.js (the built page).

/** Browser and Rust terms, each a name and the pattern that finds it. */
export const BROWSER_WORDS = [
  ['microtask', /microtask/i],
  ['macrotask', /macrotask/i],
  ['MessageChannel', /MessageChannel/],
  ['scheduler.yield', /scheduler\.yield/],
  ['fetch_add', /fetch_add/],
  // Not the variant id `atomic`, which is public (URLs, `python3 twin.py atomic`).
  ['atomic', /(?<![`"]|twin\.py )\batomic(ally)?\b(?![`"])/i],
  ['hardwareConcurrency', /hardwareConcurrency/],
  ['Rust heap', /Rust heap/i],
  ['WebAssembly', /WebAssembly/i],
  ['wasm', /\bwasm\b/i],
  ['rayon', /\brayon\b/i],
  ['Pyodide', /Pyodide/i],
  ['SharedArrayBuffer', /SharedArrayBuffer/],
  ['Web Worker', /Web Workers?\b/i],
];

/** Phrases that state what a run does to the event loop, the health check or the count. */
export const GIVE_AWAY = [
  /the (event )?loop is (stuck|held|frozen|blocked|free)\b/gi,
  /the (event )?loop stays (free|frozen)/gi,
  /\b(free|frozen|stuck) meanwhile/gi,
  /frees the loop/gi,
  /nothing else (runs|can run)/gi,
  /the loop cannot switch/gi,
  /the event loop runs the other tasks/gi,
  /never lets the page/gi,
  /another task runs here/gi,
  /may overwrite an increment/gi,
  /would hide the race/gi,
  /the other tasks? (computes?|runs?) meanwhile/gi,
  /waits here with it/gi,
  /health check (starves|never runs|is frozen|froze|freezes|stays silent|keeps (answering|beating)|answers on time|beats (on|throughout))/gi,
  /\b(still|stays) frozen/gi,
  /\bno faster\b/gi,
  /One Two One Two|One One One/g,
];

/** The names of the browser words in `text`, in the list's order. */
export const browserWordsIn = (/** @type {string} */ text) =>
  BROWSER_WORDS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);

/** The give-away phrases in `text`, as written there. */
export const giveAwaysIn = (/** @type {string} */ text) =>
  GIVE_AWAY.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[0]));

/** `text` (Markdown or HTML) without its `<details>` folds. */
export const outsideFolds = (/** @type {string} */ text) => text.replace(/<details[\s\S]*?<\/details>/g, '');
