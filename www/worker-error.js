// @ts-check
// The message a worker posts when a request fails: the page's engine (engine.js) rejects that request's
// promise with an Error carrying the same message and `code` (for example `panicked` or `cancelled`).

/**
 * The `error` message for request `id` (`undefined`: the worker's start or its one task) that failed with
 * `error`. `kind` is the link's `ERROR` (www/messages.js), which each sender names.
 * @param {'error'} kind
 * @param {number | undefined} id
 * @param {unknown} error
 * @returns {import('./messages.js').WorkerError}
 */
export function errorMessage(kind, id, error) {
  const { message, code } = /** @type {{ message?: unknown, code?: unknown }} */ (
    typeof error === 'object' && error !== null ? error : {}
  );
  return {
    type: kind,
    id,
    message: String(message ?? error),
    code: typeof code === 'string' ? code : undefined,
  };
}
