// @ts-check
// Small DOM helpers shared by the page's modules.

/** Creates an element; string children become text nodes (never HTML). `on*` attributes add listeners. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.flat(Number.POSITIVE_INFINITY).filter((c) => c !== null && c !== undefined));
  return node;
}

/**
 * An element holding HTML that the build made from the repository's own files (lesson text, highlighted
 * code). Never call it with anything a visitor can influence: that goes through `el`, as text.
 */
export function trustedHtml(tag, attrs, html) {
  const node = el(tag, attrs);
  node.innerHTML = html;
  return node;
}

/** `1.23 s` from 1000 ms up, `12 ms` below, `4.2 ms` below 10. */
export const formatMs = (ms) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;

/** Whether the visitor asked for less motion (system setting). */
export const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;
