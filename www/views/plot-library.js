// @ts-check
// Observable Plot, re-exported from a module of our own so that its lazily loaded chunk is named after it
// (www/views/plot.js loads it; `npm run bench` lists the page's files by name).
export * from '@observablehq/plot';
