// @ts-check
// Small DOM helpers shared by the page's modules.

/**
 * An attribute's value for `el`: a string or number is set as it is, `true` as an empty attribute, `false`,
 * null and undefined leave it out; an `on*` key takes a listener (typed by its caller: `Function` gives its
 * parameter no type of its own, so a listener names the event it handles).
 * @typedef {string | number | boolean | null | undefined | Function} AttrValue
 */
/**
 * A child for `el`: a node, a string (a text node), or an array of them at any depth; null and undefined
 * are left out.
 * @typedef {Node | string | null | undefined | Child[]} Child
 */

/**
 * Creates an element; string children become text nodes (never HTML). `on*` attributes add listeners.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue>} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (typeof value === 'function') {
      if (key.startsWith('on')) node.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
      else throw new TypeError(`el: attribute ${key} is a function; only on* attributes take listeners`);
    } else if (key === 'class') node.className = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  const flat = /** @type {unknown[]} */ (children).flat(Number.POSITIVE_INFINITY);
  node.append(.../** @type {(Node | string)[]} */ (flat.filter((c) => c !== null && c !== undefined)));
  return node;
}

/**
 * A line of the catalogue's text with its `backticked` names (a setting, a function) as code: text and
 * `<code>` nodes, never HTML.
 * @param {string} text
 * @returns {(string | HTMLElement)[]}
 */
export function withCode(text) {
  return text.split('`').map((part, i) => (i % 2 === 1 ? el('code', {}, part) : part));
}

/**
 * A title inside a sentence ("Run blocking wait", "Run a few at a time"): its first letter lower-cased,
 * unless its first word is an acronym ("Run CPU work on threads, with a GIL", "I/O-bound").
 * @param {string} title
 * @returns {string}
 */
export function inSentence(title) {
  const first = title.split(/\s/, 1)[0];
  if (first.length > 1 && !/^.[a-z]/.test(first)) return title;
  return title.charAt(0).toLowerCase() + title.slice(1);
}

/**
 * An element holding HTML that the build made from the repository's own files (lesson text, highlighted
 * code). Never call it with anything a visitor can influence: that goes through `el`, as text.
 * @param {keyof HTMLElementTagNameMap} tag
 * @param {Record<string, AttrValue>} attrs
 * @param {string} html
 * @returns {HTMLElement}
 */
export function trustedHtml(tag, attrs, html) {
  const node = el(tag, attrs);
  node.innerHTML = html;
  return node;
}

/**
 * `1.23 s` from 1000 ms up, `12 ms` below, `4.2 ms` below 10.
 * @param {number} ms
 */
export const formatMs = (ms) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;

/** Whether the visitor asked for less motion (system setting). */
export const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;
