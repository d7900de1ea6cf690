// @ts-check
/**
 * How tall an embed's frame may grow, as the host page's embed.js says (www/embed-host.js posts
 *
 *   { type: 'juggle:frame-cap', height }
 *
 * to each frame it fits: its `data-max-height` in CSS pixels, the host's viewport height by default, 0 for
 * no cap). A frame that embed.js fits to its content is only as tall as that content, so its own height
 * says nothing of the room it has: the Lab's editor takes its height from this cap where there is one, and
 * from the frame's own height otherwise (a frame of fixed height: IPython's IFrame, an LMS, MyST). Only a
 * message from the parent window counts, and only a height that is a plain number of pixels.
 */

/** The message's `type`. */
export const FRAME_CAP_MESSAGE = 'juggle:frame-cap';

/** The largest cap taken as a number; above it (and 0) the frame has no cap. */
const MOST_PX = 100_000;

/** @type {number | null} */
let cap = null;
/** @type {Set<(cap: number) => void>} */
const listeners = new Set();

/**
 * The height a message asks for: pixels, `Infinity` for no cap, or null when the message is not one.
 * @param {unknown} data
 * @returns {number | null}
 */
export function capOf(data) {
  if (typeof data !== 'object' || data === null) return null;
  const { type, height } = /** @type {{ type?: unknown, height?: unknown }} */ (data);
  if (type !== FRAME_CAP_MESSAGE || typeof height !== 'number' || !Number.isFinite(height) || height < 0)
    return null;
  return height === 0 || height > MOST_PX ? Number.POSITIVE_INFINITY : height;
}

/**
 * Listens for the host's cap (an embed inside a frame calls this once, early).
 * @param {Window} [self]
 */
export function listenForFrameCap(self = window) {
  self.addEventListener('message', (event) => {
    if (event.source !== self.parent || self.parent === self) return;
    const next = capOf(event.data);
    if (next === null || next === cap) return;
    cap = next;
    for (const listener of listeners) listener(next);
  });
}

/**
 * Calls `listener` with the cap now (if one came) and whenever it changes; returns a function that stops.
 * @param {(cap: number) => void} listener
 * @returns {() => void}
 */
export function onFrameCap(listener) {
  listeners.add(listener);
  if (cap !== null) listener(cap);
  return () => listeners.delete(listener);
}
