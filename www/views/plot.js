// @ts-check
/**
 * Observable Plot, loaded when the first chart is wanted rather than with the page: it is about half of
 * the page's JavaScript (issue #19: the first load before a scenario runs stays under 300 KB gzip). It
 * starts loading when the page is idle; a view that draws awaits `loadPlot()` once, then draws
 * synchronously with `plot()`. A batch of runs awaits it before its first run, never during one: its
 * evaluation on the page's thread would show in the run's health check.
 */

/** @typedef {typeof import('./plot-library.js')} PlotModule */

/** @type {PlotModule | null} */
let loaded = null;
/** @type {Promise<PlotModule> | null} */
let loading = null;

/** Starts loading Plot (once) and resolves to it; a failed fetch can be retried by calling again. */
export function loadPlot() {
  loading ??= import('./plot-library.js').then(
    (module) => {
      // For DevTools and the tests: when Plot was ready (fetched and evaluated).
      performance.mark('juggle-plot-loaded');
      loaded = module;
      return module;
    },
    (error) => {
      loading = null;
      throw new Error(`the charting library (Observable Plot) did not load: ${error?.message ?? error}`);
    },
  );
  return loading;
}

/** Whether Plot is loaded, so that `plot()` can draw now. */
export const plotLoaded = () => loaded !== null;

/**
 * Plot itself, for drawing; only after `loadPlot()` resolved.
 * @returns {PlotModule}
 */
export function plot() {
  if (!loaded) throw new Error('Observable Plot is not loaded yet: await loadPlot() before drawing');
  return loaded;
}

/** Loads Plot when the browser is idle, so that the first chart rarely waits for it. */
export function loadPlotWhenIdle() {
  const start = () => loadPlot().catch(() => {}); // a failure shows when a chart needs it
  if ('requestIdleCallback' in globalThis) requestIdleCallback(start, { timeout: 3000 });
  else setTimeout(start, 1000);
}
