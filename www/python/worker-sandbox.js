// @ts-check
/**
 * The sandbox every Python worker closes around itself once its interpreter has loaded: the page's
 * interpreter (python-worker.js) and each process of its pool (pool-worker.js).
 */

/** What a refused request says (Python's own wrappers in juggle_sandbox.py say the same). */
export const NO_NETWORK =
  "the Lab's Python has no network: your program runs inside this page, in a sandbox that sends no requests";

/**
 * Every object on `self`'s prototype chain that holds `name` itself (the global's own property, or the
 * interface prototype where Chromium defines a method: `WorkerGlobalScope.prototype.fetch`).
 * @param {string} name
 */
function holders(name) {
  const found = [];
  for (let at = self; at && at !== Object.prototype; at = Object.getPrototypeOf(at))
    if (Object.hasOwn(at, name)) found.push(at);
  return found;
}

/**
 * Replaces `name` wherever `self` reaches it (see `holders`) with `value`, for good (not writable, not
 * configurable), so that no copy of the original stays within reach on a prototype.
 * @param {string} name
 * @param {any} value
 */
function replaceEverywhere(name, value) {
  for (const holder of holders(name)) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, name);
    if (descriptor && !descriptor.configurable) continue;
    Object.defineProperty(holder, name, { value, configurable: false, writable: false, enumerable: false });
  }
}

/**
 * Closes this worker's ways out once the interpreter has loaded (it fetched its own files from the page's
 * origin). This is the second wall: the first is the content security policy every worker's script is
 * served with (public/_headers, `/assets/workers/*`), which the browser enforces whatever a program reaches.
 *
 * Refused, naming why, wherever `self` reaches them (the global and the prototypes its methods live on, so
 * the original `WorkerGlobalScope.prototype.fetch` is gone too): fetch, XMLHttpRequest, WebSocket,
 * WebSocketStream, EventSource, WebTransport, importScripts, the Cache API (`caches`), fonts (`FontFace`,
 * `fonts`), nested workers (`Worker`, `SharedWorker`: a sandboxed interpreter starts none; the page starts
 * the pool's processes), eval, the Function constructors (so a program reaching JavaScript through `js`
 * cannot build code or a dynamic import from text) and string timers (`setTimeout("code")`). Then the
 * global scope's prototypes are frozen. A program can still use `js` for harmless things (js.Math,
 * js.Date); there is no `document` in a worker, so it cannot touch the page.
 */
export function closeNetwork() {
  const refuse = (/** @type {string} */ what) =>
    function refused() {
      throw new Error(`${NO_NETWORK} (${what} was refused)`);
    };
  for (const name of [
    'fetch',
    'XMLHttpRequest',
    'WebSocket',
    'WebSocketStream',
    'EventSource',
    'WebTransport',
    'importScripts',
    'FontFace',
    'Worker',
    'SharedWorker',
    'eval',
  ])
    replaceEverywhere(name, refuse(name));
  for (const name of ['caches', 'fonts']) {
    const get = refuse(name);
    for (const holder of holders(name))
      Object.defineProperty(holder, name, { get, configurable: false, enumerable: false });
  }
  // Whatever was taken before the sandbox closed: the methods that fetch refuse too.
  /** @type {[any, string[]][]} */
  const fetching = [
    [globalThis.Cache, ['add', 'addAll']],
    [globalThis.FontFace, ['load']],
    [globalThis.FontFaceSet, ['load', 'add']],
  ];
  for (const [Kind, names] of fetching)
    for (const name of names)
      if (Kind?.prototype && Object.hasOwn(Kind.prototype, name))
        Object.defineProperty(Kind.prototype, name, {
          value: refuse(`${Kind.name}.${name}`),
          configurable: false,
          writable: false,
        });
  // Timers with a function, as the interpreter's event loop uses them; a string of code is refused.
  for (const name of ['setTimeout', 'setInterval']) {
    const original = /** @type {Function} */ (/** @type {any} */ (self)[name]);
    const timer = function timer(/** @type {unknown} */ handler, /** @type {any[]} */ ...rest) {
      if (typeof handler !== 'function') refuse(`${name} with a string of code`)();
      return original.call(self, handler, ...rest);
    };
    replaceEverywhere(name, timer);
  }
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
    if (Kind === Function) replaceEverywhere('Function', guarded);
  }
  // Nothing on the global scope's prototypes can be put back or replaced (event handler setters such as
  // `onmessage` still work: freezing keeps accessors).
  for (let at = Object.getPrototypeOf(self); at && at !== Object.prototype; at = Object.getPrototypeOf(at))
    if (at !== EventTarget.prototype) Object.freeze(at);
}
