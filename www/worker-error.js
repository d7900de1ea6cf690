// The message a worker posts when a job fails: the page's engine (engine.js) rejects that job's promise
// with an Error carrying the same message and `code` (for example `panicked` or `cancelled`).

/** The `error` message for job `id` that failed with `error`. */
export const errorMessage = (id, error) => ({
  type: 'error',
  id,
  message: String(error?.message ?? error),
  code: error?.code,
});
