// @ts-check
/**
 * For pages that embed Juggle (`dist/embed.js`): fits every `<iframe class="juggle">` to its content's
 * height, using @open-iframe-resizer/core (MIT). The embedded page answers through the library's child
 * listener; messages are accepted only from the iframe's own origin.
 *
 *   <iframe class="juggle" src="https://…/?scenario=count&embed=1" title="…"
 *           style="width: 100%; border: 0; height: 40rem"></iframe>
 *   <script src="https://…/embed.js" defer></script>
 *
 * The build turns this module into one self-contained classic script (an IIFE with the library inlined, see
 * vite.config.js), so a course page on any origin can load it with a plain `<script src>`: no module import
 * of other files, and so no CORS beyond what `_headers` sends for `/embed.js` itself.
 *
 * A frame never grows taller than the host's viewport, so a scenario inside a slide or a short window stays
 * usable: past that height the frame scrolls inside. `data-max-height` on the iframe changes the cap: a
 * number of CSS pixels (`data-max-height="900"`), or `none` to let the frame grow to its whole content.
 */
import { initialize } from '@open-iframe-resizer/core';
import { FRAME_CAP_MESSAGE } from './views/frame-cap.js';

const SELECTOR = 'iframe.juggle';

/**
 * The `max-height` an iframe's `data-max-height` asks for: pixels, `none`, or the viewport by default.
 * A value that is neither is reported on the console and the default applies.
 * @param {HTMLIFrameElement} iframe
 * @returns {string} a CSS `max-height` value
 */
export function maxHeightFor(iframe) {
  const wanted = iframe.dataset.maxHeight?.trim();
  if (wanted === undefined || wanted === '') return '100vh';
  if (wanted === 'none') return 'none';
  if (/^\d{1,5}$/.test(wanted) && Number(wanted) > 0) return `${Number(wanted)}px`;
  console.warn(
    `Juggle embed.js: data-max-height="${wanted.slice(0, 40)}" is not allowed; use a whole number of pixels (for example 720) or "none". The frame keeps to the viewport's height.`,
  );
  return '100vh';
}

/**
 * The height an iframe may grow to, in CSS pixels, for the frame's own page (0: no cap), as its
 * `max-height` says: the Lab's editor takes its height from it (www/views/frame-cap.js), since a frame
 * fitted to its content has no other way to know its room.
 * @param {string} maxHeight a value of {@link maxHeightFor}
 * @returns {number}
 */
export function capPixels(maxHeight) {
  if (maxHeight === 'none') return 0;
  if (maxHeight.endsWith('px')) return Number.parseFloat(maxHeight);
  return window.innerHeight;
}

/**
 * Tells `iframe`'s page how tall it may grow (`{ type: 'juggle:frame-cap', height }`), to the frame's own
 * origin only.
 * @param {HTMLIFrameElement} iframe
 */
function tellCap(iframe) {
  let origin;
  try {
    origin = new URL(iframe.src, location.href).origin;
  } catch {
    return;
  }
  iframe.contentWindow?.postMessage(
    { type: FRAME_CAP_MESSAGE, height: capPixels(maxHeightFor(iframe)) },
    origin,
  );
}

function start() {
  /** @type {HTMLIFrameElement[]} */
  const frames = [];
  for (const iframe of document.querySelectorAll(SELECTOR)) {
    if (!(iframe instanceof HTMLIFrameElement)) continue;
    iframe.style.maxHeight = maxHeightFor(iframe);
    frames.push(iframe);
    iframe.addEventListener('load', () => tellCap(iframe));
    tellCap(iframe); // loaded already (a script placed after the frame, or a cached page)
  }
  initialize({ checkOrigin: true }, SELECTOR);
  // The default cap is the viewport's height: said again when it changes.
  addEventListener('resize', () => {
    for (const iframe of frames) tellCap(iframe);
  });
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}
