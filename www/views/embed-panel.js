// @ts-check
/**
 * The "Embed this scenario" and "Embed this program" panels: the HTML snippet and the plain URL side by
 * side, each with a Copy button, a few choices (which variant, the Understand step open, read-only), and
 * what each kind of course platform does with them, next to the code a teacher copies.
 *
 * The iframe's `src` is the plain URL itself, byte for byte: a URL serialised by `URL` has no `"`, `<` or
 * `>` left, and its `&` need no escaping in an HTML attribute (the HTML parser does not read `&embed=` or
 * `&readonly=` as a character reference), so the address copied out of the snippet also works where HTML
 * does not go: `IPython.display.IFrame(...)`, a MyST `iframe` directive, an LMS's URL field.
 */
import { el } from '../dom.js';
import { embedScript } from './url-state.js';

/**
 * Escapes text for an HTML attribute value in double quotes.
 * @param {string} text
 */
export const attribute = (text) =>
  text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * The HTML snippet for an embed: the iframe, then embed.js (which fits the frame's height).
 * @param {{ src: string, title: string, height: string, script: string }} parts `src` and `script`: URLs
 *   as `URL#href` serialises them; `title` is any text (escaped here)
 * @returns {string}
 */
export function embedHtml({ src, title, height, script }) {
  for (const url of [src, script])
    if (/["<>\s]/.test(url)) throw new Error(`embed URL not serialised by URL: ${url.slice(0, 80)}`);
  return [
    `<iframe class="juggle" src="${src}" title="${attribute(title)}"`,
    `        loading="lazy" allow="cross-origin-isolated" style="width: 100%; border: 0; height: ${height}"></iframe>`,
    // A classic script with no imports: it loads from any origin without CORS for further files.
    `<script src="${script}" defer></script>`,
  ].join('\n');
}

/**
 * Whether a page at `href` is only reachable from this computer (a local server, a file): a snippet
 * with that address works nowhere else, so the panel says to host Juggle first.
 * @param {string} href
 */
export function isLocalAddress(href) {
  const { protocol, hostname } = new URL(href);
  if (protocol === 'file:') return true;
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname) ||
    hostname === '0.0.0.0'
  );
}

/**
 * Scrolls an embed's own document (never the course page around it: `scrollTo` moves this frame only) so
 * that `node`'s top comes to the top of the frame, just under the replay control when that sticks there:
 * after a run, its figure (timeline, health check, the sentence under it) comes into view without the
 * reader scrolling. `top`: keep the node's top in view however tall it is (a recorded run's title and note).
 * @param {Element | null} node
 * @param {{ top?: boolean }} [options]
 */
export function bringIntoFrame(node, { top: keepTop = false } = {}) {
  if (!node) return;
  const place = () => {
    const replay = document.querySelector('.replay-slot:has(.replay)');
    const covered =
      replay && getComputedStyle(replay).position === 'sticky' ? replay.getBoundingClientRect().height : 0;
    let top = node.getBoundingClientRect().top + scrollY - covered - 4;
    // A figure taller than the room (many rows) shows its end instead: the health check, the last row of
    // its chart, and the sentence under it.
    const sentences = node.querySelectorAll('.run-summary, .run-why');
    const last = sentences[sentences.length - 1];
    if (last && !keepTop) {
      const end = last.getBoundingClientRect().bottom + scrollY + 4;
      if (end - top > innerHeight - covered) top = end - innerHeight;
    }
    scrollTo({ top: Math.max(0, top), behavior: 'instant' });
  };
  place();
  // embed.js may still be growing the frame to fit the new content: place it again once it has.
  addEventListener('resize', place, { once: true });
  setTimeout(() => removeEventListener('resize', place), 2000);
}

/**
 * The title of a Lab program, for its embed's heading and its iframe's `title`: the first line of its
 * module docstring or of its first comment, else `fallback` (an example's title).
 * @param {string} source
 * @param {string} fallback
 * @returns {string} at most 80 characters
 */
export function programTitle(source, fallback) {
  const text = source.replace(/^\uFEFF/, '');
  const lines = text.split('\n');
  let first = '';
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#!') || /^#.*coding[:=]/.test(trimmed)) continue;
    const doc = /^[rRuU]?("""|''')\s*(.*?)\s*(?:\1.*)?$/.exec(trimmed);
    if (doc) first = doc[2];
    else if (trimmed.startsWith('#')) first = trimmed.replace(/^#+\s*/, '');
    break;
  }
  const title = (first || fallback).trim();
  return title.length > 80 ? `${title.slice(0, 79)}…` : title;
}

/** What each kind of course platform does with the snippet or the URL: said beside them. */
const caveats = () => [
  [
    'A web page, a Jupyter notebook’s HTML output, Moodle’s Page resource: ',
    'the HTML. embed.js fits the frame to its content, up to the window’s height.',
  ],
  [
    'A live Jupyter notebook: ',
    el('code', {}, 'IFrame(url, width="100%", height=450)'),
    ' (from IPython.display) with the plain URL.',
  ],
  [
    'MyST / Jupyter Book: ',
    'the ',
    el('code', {}, 'iframe'),
    ' directive takes the plain URL but has no height option (its box is 60% of its width, so the embed folds to fit); a notebook cell whose output is the HTML keeps the script.',
  ],
  [
    'Canvas and most LMS editors strip ',
    el('code', {}, '<script>'),
    ': the iframe line alone keeps its height and scrolls inside; or paste the plain URL where the LMS asks for one.',
  ],
  [
    'Moodle cleans HTML ',
    'in forum posts and most text, removing the iframe: use a Page resource or an activity’s description, which keep it as written.',
  ],
  [
    'reveal.js: ',
    'once someone clicks in the frame it keeps the keyboard, so the arrow keys stop changing slides until you click the slide outside the frame. Add data-max-height="600" to the iframe for a 720 px deck.',
  ],
];

/**
 * A box with text to copy and its Copy button.
 * @param {string} label the box's accessible name
 * @param {number} rows
 * @param {string} id
 */
function copyBox(label, rows, id) {
  const box = /** @type {HTMLTextAreaElement} */ (
    el('textarea', { readonly: true, rows, spellcheck: 'false', 'aria-label': label, id })
  );
  const status = el('span', { class: 'copied', role: 'status' });
  const button = el(
    'button',
    {
      type: 'button',
      class: 'copy',
      onclick: async () => {
        box.select();
        try {
          await navigator.clipboard.writeText(box.value);
          status.textContent = 'Copied.';
        } catch {
          status.textContent = 'Select the text and copy it (the clipboard is not available here).';
        }
      },
    },
    `Copy ${label}`,
  );
  return { box, status, element: el('div', { class: 'copy-box' }, box, el('p', {}, button, status)) };
}

/**
 * The Embed panel: a `<details>` with the choices, the HTML snippet and the plain URL side by side, and
 * the platform caveats.
 * @param {{ summary: string, intro: string, id: string,
 *   choices?: HTMLElement[],
 *   parts: () => Promise<{ src: string, title: string, height: string }> | { src: string, title: string,
 *     height: string } }} options
 *   `parts`: the embed's URL, its title and its height, as things stand (called on every refresh); a
 *   rejected promise is shown as the reason no snippet can be given
 * @returns {{ element: HTMLDetailsElement, refresh: () => Promise<void> }} `refresh`: something changed
 *   (the code follows and an earlier "Copied." goes)
 */
export function embedPanel({ summary, intro, id, choices = [], parts }) {
  const html = copyBox('HTML', 5, `${id}-html`);
  const url = copyBox('URL', 2, `${id}-url`);
  const problem = el('p', { class: 'error', role: 'alert', hidden: true });
  const local = el(
    'p',
    { class: 'hint local-address', hidden: true },
    'This page is served from this computer, so these addresses work only here: host Juggle’s static build first (docs/hosting.md in its repository has a recipe per host), then copy them from your copy.',
  );
  let refreshing = Promise.resolve();
  const refresh = () => {
    refreshing = refreshing.then(async () => {
      try {
        const { src, title, height } = await parts();
        html.box.value = embedHtml({ src, title, height, script: embedScript(src) });
        url.box.value = src;
        problem.hidden = true;
        local.hidden = !isLocalAddress(src);
      } catch (failure) {
        html.box.value = '';
        url.box.value = '';
        problem.textContent = `No embed code: ${/** @type {any} */ (failure)?.message ?? failure}.`;
        problem.hidden = false;
      }
      html.status.textContent = '';
      url.status.textContent = '';
    });
    return refreshing;
  };
  const element = /** @type {HTMLDetailsElement} */ (
    el(
      'details',
      { class: 'embed-panel', id, ontoggle: () => refresh() },
      el('summary', {}, summary),
      el('p', {}, intro),
      choices.length ? el('div', { class: 'embed-choices' }, choices) : null,
      problem,
      local,
      el(
        'div',
        { class: 'embed-codes' },
        el('div', {}, el('h4', {}, 'HTML (a page, a notebook cell’s output, slides)'), html.element),
        el('div', {}, el('h4', {}, 'Plain URL (IFrame(...), MyST, an LMS URL field)'), url.element),
      ),
      el(
        'div',
        { class: 'embed-caveats' },
        el('h4', {}, 'Where you paste it: what each platform keeps'),
        el(
          'ul',
          {},
          caveats().map(([head, ...rest]) => el('li', {}, el('strong', {}, head), rest)),
        ),
      ),
    )
  );
  refresh();
  return { element, refresh };
}
