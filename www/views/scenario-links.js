// @ts-check
/**
 * A scenario page's links out, always to the page outside any iframe: to these settings (and one variant),
 * to a run (the recorded run travels in the link's fragment, www/views/trace-link.js), and an embed's
 * "Open in Juggle" (its one variant kept). Each is made when asked, from the knobs as they are then.
 */
import { traceLink } from './trace-link.js';
import { standaloneUrl } from './url-state.js';

/**
 * The links of a scenario shown with `params` (read on every call).
 * @param {{ scenario: { id: string, params: { name: string, default: unknown }[] },
 *   params: Record<string, unknown>, only: { id: string } | null,
 *   exportTrace: (trace: any, format: 'json') => string | Promise<string>, href?: () => string }} options
 *   `only`: the variant an embed shows alone; `exportTrace` the core's (`juggle.exportTrace`); `href` the
 *   page's address (`location.href`)
 * @returns {{ settings: (variant: string | null) => string, run: (trace: any) => Promise<string>,
 *   open: () => string }}
 */
export function scenarioLinks({ scenario, params, only, exportTrace, href = () => location.href }) {
  /** The page for these settings, with `variant` alone when one is given. */
  const settings = (/** @type {string | null} */ variant) => {
    const url = new URL(standaloneUrl(href(), { scenario, params }));
    if (variant) url.searchParams.set('variant', variant);
    return url.href;
  };
  return {
    settings,
    /** The link carrying the run `trace` in its fragment, at its own settings (refused when too large). */
    run: async (trace) => {
      const knobs = Object.fromEntries(scenario.params.map((p) => [p.name, trace.params[p.name]]));
      const base = new URL(standaloneUrl(href(), { scenario, params: knobs }));
      base.searchParams.set('variant', trace.variant);
      return traceLink(base.href, await exportTrace(trace, 'json'));
    },
    open: () => settings(only?.id ?? null),
  };
}
