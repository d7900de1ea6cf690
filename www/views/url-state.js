// @ts-check
/**
 * The page's state in its URL, as pure functions of a query string (no `location`, no `history`): which
 * scenario, its knobs, `variant`, `autorun` and `embed` (and an embed's `understand`, which the scenario
 * view reads). Tested with node (tests/unit/url-state.test.js).
 */

/** Query keys that are not a scenario's parameters. */
export const RESERVED_KEYS = new Set(['scenario', 'variant', 'autorun', 'embed', 'understand']);

/**
 * What a query string asks for.
 * @param {string} search a query string, for example `location.search`
 * @param {{ id: string }[]} catalogue the scenarios (`juggle.scenarios()`)
 * @returns {{ scenario: any, params: Record<string, string>, variant: string | null, autorun: boolean,
 *   embed: boolean, unknownScenario: string | null }} `scenario` is the catalogue entry asked for, null for
 *   none (the start view) or an unknown one (then named by `unknownScenario`)
 */
export function readQuery(search, catalogue) {
  const query = new URLSearchParams(search);
  const wanted = query.get('scenario');
  const found = catalogue.find((s) => s.id === wanted) ?? null;
  /** @type {Record<string, string>} */
  const params = {};
  for (const [key, value] of query) if (!RESERVED_KEYS.has(key)) params[key] = value;
  return {
    scenario: found,
    params,
    variant: query.get('variant'),
    autorun: query.get('autorun') === '1',
    embed: isEmbed(search),
    unknownScenario: wanted !== null && !found ? wanted : null,
  };
}

/**
 * `?embed=1`: one scenario, compact, without the site's chrome, for an iframe in course material.
 * @param {string} search
 */
export const isEmbed = (search) => new URLSearchParams(search).get('embed') === '1';

/**
 * The query for a scenario and its knobs: only values that differ from their defaults, and `embed=1` if
 * asked.
 * @param {{ id: string, params: { name: string, default: unknown }[] }} scenario
 * @param {Record<string, unknown>} params the knobs as set
 * @param {{ embed?: boolean }} [options]
 * @returns {URLSearchParams}
 */
export function scenarioQuery(scenario, params, { embed = false } = {}) {
  const query = new URLSearchParams({ scenario: scenario.id });
  for (const param of scenario.params) {
    const value = params[param.name];
    if (value !== undefined && String(value) !== String(param.default)) query.set(param.name, String(value));
  }
  if (embed) query.set('embed', '1');
  return query;
}

/**
 * The link to a scenario (its id alone; knobs at their defaults), or to the start view for `null`.
 * @param {string | null} id
 * @param {string} pathname the page's path (`location.pathname`)
 */
export const scenarioHref = (id, pathname) => (id ? `?scenario=${encodeURIComponent(id)}` : pathname);

/**
 * The page outside any iframe (where "open in a new tab" goes): the scenario and knobs shown, or for the
 * start view the same address without `embed`.
 * @param {string} href the page's address (`location.href`)
 * @param {{ scenario: any, params: Record<string, unknown> } | null} shown the scenario shown, or null
 */
export function standaloneUrl(href, shown) {
  if (!shown) {
    const url = new URL(href);
    url.searchParams.delete('embed');
    return url.href;
  }
  return new URL(`?${scenarioQuery(shown.scenario, shown.params)}`, href).href;
}

/** Where embed.js is served, beside the page at `href`. */
export const embedScript = (/** @type {string} */ href) => new URL('/embed.js', href).href;
