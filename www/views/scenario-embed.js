// @ts-check
/**
 * What an embedded scenario does differently (`embed=1`): what its URL asks besides the knobs (one variant,
 * the Understand step open), the questions left about one variant, the folding that keeps Run in the first
 * screen of a short frame, and the "Open in Juggle" link out. Outside embeds, the Embed panel of a scenario
 * page, which writes such URLs.
 */
import { el, trustedHtml } from '../dom.js';
import { embedPanel } from './embed-panel.js';
import { scenarioQuery } from './url-state.js';

/**
 * Whether the frame is short (720 px or less): MyST's iframe directive gives a 5:3 box (436 px at a normal
 * width), IPython's IFrame 450 px, a slide or an LMS page a 600 px frame; an embed that short folds its
 * variant list and knobs too, to keep Run in the first screen (style.css holds the same bound).
 */
export const short = () => globalThis.matchMedia?.('(max-height: 720px)').matches ?? false;

/**
 * `body` folded under `summary` when `fold` (an embed in a short frame), as it is otherwise.
 * @param {boolean} fold
 * @param {string} className
 * @param {string} summary
 * @param {HTMLElement} body
 * @returns {HTMLElement}
 */
export const foldIf = (fold, className, summary, body) =>
  fold ? el('details', { class: className }, el('summary', {}, summary), body) : body;

/** The longest first paragraph of a situation that a short embed shows whole (in characters of text). */
const SHORT_SITUATION_CHARS = 400;

/**
 * Copies of a paragraph's nodes up to the end of its first sentence (a full stop and a space): the knob
 * values in it (`<span data-param>`) stay spans, so they follow the knobs as the original's do.
 * @param {Element} paragraph
 * @returns {Node[]}
 */
function firstSentence(paragraph) {
  const nodes = [];
  for (const node of paragraph.childNodes) {
    const text = node.textContent ?? '';
    const end = node.nodeType === Node.TEXT_NODE ? text.search(/\.(\s|$)/) : -1;
    if (end >= 0) {
      nodes.push(document.createTextNode(text.slice(0, end + 1)));
      return nodes;
    }
    nodes.push(node.cloneNode(true));
  }
  return nodes;
}

/**
 * The situation (the lesson's HTML, built from the repository's files). Folded (`fold`: an embed in a
 * short frame), it shows its first paragraph, the rest one click away; a first paragraph of many lines
 * shows its first sentence, the whole situation one click away.
 * @param {string} html
 * @param {boolean} fold
 * @returns {HTMLElement}
 */
export function situationView(html, fold) {
  const situation = trustedHtml('div', { class: 'prose situation' }, html);
  if (!fold) return situation;
  const rest = [...situation.children].slice(1);
  if (rest.length)
    situation.append(el('details', { class: 'variants-fold' }, el('summary', {}, 'More about it'), rest));
  // A first paragraph of many lines (threads, speedup) would push Run out of the frame.
  const first = situation.firstElementChild;
  if (first && (first.textContent ?? '').length > SHORT_SITUATION_CHARS)
    return el(
      'details',
      { class: 'situation-fold' },
      el('summary', {}, firstSentence(first), ' ', el('span', { class: 'more' }, 'More')),
      situation,
    );
  return situation;
}

/**
 * What an embed's URL asks of the view besides the scenario and its knobs: `variant=<id>` shows that
 * variant alone (one Run button, the questions about it), `understand=1` opens the Understand step (the
 * explanation and the code), which an embed otherwise folds.
 * @param {string} search `location.search`
 * @param {any} scenario the catalogue entry
 * @returns {{ only: any | null, understand: boolean }}
 */
export function embedOptions(search, scenario) {
  const query = new URLSearchParams(search);
  const wanted = query.get('variant');
  return {
    only: scenario.variants.find((/** @type {any} */ v) => v.id === wanted) ?? null,
    understand: query.get('understand') === '1',
  };
}

/**
 * The prediction questions that still make sense about `variant` alone: those about it, and those about
 * every variant (asked of this one), not those comparing variants (`fastest`).
 * @param {any[]} questions
 * @param {string} variant
 */
export const questionsAbout = (questions, variant) =>
  questions.filter((q) => (q.variant ? q.variant === variant : q.kind !== 'fastest'));

/**
 * An embed's URL with what it asks besides the knobs (`variant`, `understand`) put back, after the knobs
 * rewrote its query.
 * @param {string} href
 * @param {{ only: { id: string } | null, understand: boolean }} options
 * @returns {string}
 */
export function withEmbedOptions(href, { only, understand }) {
  const url = new URL(href);
  if (only) url.searchParams.set('variant', only.id);
  if (understand) url.searchParams.set('understand', '1');
  return url.href;
}

/**
 * An embed's "Open in Juggle" link out (a new tab); `update` gives it the page's current address.
 * @param {string} href
 * @returns {{ element: HTMLAnchorElement, update: (href: string) => void }}
 */
export function openInJuggle(href) {
  const element = el(
    'a',
    { class: 'open-juggle', href, target: '_blank', rel: 'noopener' },
    'Open in Juggle ↗',
  );
  return { element, update: (to) => element.setAttribute('href', to) };
}

/**
 * The Embed panel of a scenario page: the embed of this scenario with these knobs, all its variants or
 * one, its Understand step folded or open.
 * @param {any} scenario
 * @param {Record<string, unknown>} params the knobs (read on every refresh)
 */
export function scenarioEmbedPanel(scenario, params) {
  const variant = /** @type {HTMLSelectElement} */ (
    el(
      'select',
      { id: 'embed-variant', onchange: () => panel.refresh() },
      el('option', { value: '' }, 'every variant'),
      scenario.variants.map((/** @type {any} */ v) => el('option', { value: v.id }, `${v.title} only`)),
    )
  );
  const understand = /** @type {HTMLInputElement} */ (
    el('input', { type: 'checkbox', id: 'embed-understand', onchange: () => panel.refresh() })
  );
  const panel = embedPanel({
    summary: 'Embed this scenario',
    intro:
      'Paste one of these into a course page (LMS, Jupyter, Jupyter Book, Quarto, slides): the frame shows this scenario with these knobs, compactly, with a link back to Juggle. Inside a page that is not cross-origin isolated, parallel variants run on message-passing workers.',
    id: 'embed-scenario',
    choices: [
      el('label', { for: 'embed-variant' }, 'Show '),
      variant,
      el(
        'label',
        {},
        understand,
        ' Open the Understand step (the explanation and the code; folded otherwise)',
      ),
    ],
    parts: () => {
      const query = scenarioQuery(scenario, params, { embed: true });
      if (variant.value) query.set('variant', variant.value);
      if (understand.checked) query.set('understand', '1');
      const chosen = scenario.variants.find((/** @type {any} */ v) => v.id === variant.value);
      return {
        src: new URL(`?${query}`, location.href).href,
        title: `Juggle: ${scenario.title}${chosen ? ` (${chosen.title})` : ''}`,
        height: '40rem',
      };
    },
  });
  return panel;
}
