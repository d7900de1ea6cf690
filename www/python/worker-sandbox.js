// @ts-check
/**
 * The sandbox every Python worker closes around itself once its interpreter has loaded: the page's
 * interpreter (python-worker.js) and each process of its pool (pool-worker.js).
 */

/** What a refused request says (Python's own wrappers in juggle_sandbox.py say the same). */
export const NO_NETWORK =
  "the Lab's Python has no network: your program runs inside this page, in a sandbox that sends no requests";

/**
 * Closes this worker's ways out once the interpreter has loaded (it fetched its own files from the page's
 * origin): fetch, XMLHttpRequest, WebSocket, EventSource, WebTransport and importScripts refuse, naming
 * why, and eval and the Function constructors refuse too, so a program reaching JavaScript through `js`
 * cannot build a dynamic import. A program can still use `js` for harmless things (js.Math, js.Date);
 * there is no `document` in a worker, so it cannot touch the page.
 */
export function closeNetwork() {
  const refuse = (what) =>
    function refused() {
      throw new Error(`${NO_NETWORK} (${what} was refused)`);
    };
  for (const name of [
    'fetch',
    'XMLHttpRequest',
    'WebSocket',
    'EventSource',
    'WebTransport',
    'importScripts',
  ]) {
    if (name in self)
      Object.defineProperty(self, name, { value: refuse(name), configurable: false, writable: false });
  }
  Object.defineProperty(self, 'eval', { value: refuse('eval'), configurable: false, writable: false });
  const kinds = [
    Function,
    Object.getPrototypeOf(async () => {}).constructor,
    Object.getPrototypeOf(function* () {}).constructor,
    Object.getPrototypeOf(async function* () {}).constructor,
  ];
  for (const Kind of kinds) {
    const guarded = new Proxy(Kind, {
      apply: refuse(`${Kind.name} (building code from text)`),
      construct: refuse(`${Kind.name} (building code from text)`),
    });
    Object.defineProperty(Kind.prototype, 'constructor', {
      value: guarded,
      configurable: false,
      writable: false,
    });
    if (Kind === Function)
      Object.defineProperty(self, 'Function', { value: guarded, configurable: false, writable: false });
  }
}
