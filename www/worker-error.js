// @ts-check
// The message a worker posts when a request fails: the page's engine (engine.js) rejects that request's
// promise with an Error carrying the same message and `code` (for example `panicked` or `cancelled`).

/**
 * What `error` says: an Error's (or any thrown object's) `message`, or the thrown value as text.
 * @param {unknown} error
 * @returns {string}
 */
export function errorText(error) {
  const { message } = /** @type {{ message?: unknown }} */ (
    typeof error === 'object' && error !== null ? error : {}
  );
  return String(message ?? error);
}

/**
 * The `error` message for request `id` (`undefined`: the worker's start or its one task) that failed with
 * `error`. `kind` is the link's `ERROR` (www/messages.js), which each sender names.
 * @param {'error'} kind
 * @param {number | undefined} id
 * @param {unknown} error
 * @returns {import('./messages.js').WorkerError}
 */
export function errorMessage(kind, id, error) {
  const { code } = /** @type {{ code?: unknown }} */ (
    typeof error === 'object' && error !== null ? error : {}
  );
  return { type: kind, id, message: errorText(error), code: typeof code === 'string' ? code : undefined };
}
