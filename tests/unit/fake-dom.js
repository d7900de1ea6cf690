// Just enough of a DOM for the page's `el` helper (www/dom.js) to build elements in node, so that a
// view's words can be read in a unit test. Not a DOM library: elements, attributes, children, text.

class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.children = [];
    this.listeners = {};
    this.className = '';
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }
  getAttribute(name) {
    return this.attributes.get(name) ?? null;
  }
  addEventListener(type, listener) {
    this.listeners[type] = listener;
  }
  append(...nodes) {
    this.children.push(...nodes);
  }
  get textContent() {
    return this.children.map((child) => (typeof child === 'string' ? child : child.textContent)).join('');
  }
  /** Every descendant element whose class list has `name`. */
  byClass(name) {
    const found = [];
    for (const child of this.children) {
      if (typeof child === 'string') continue;
      if (child.className.split(' ').includes(name)) found.push(child);
      found.push(...child.byClass(name));
    }
    return found;
  }
}

/** Installs the fake `document` globally (once). */
export function installFakeDom() {
  globalThis.document ??= /** @type {any} */ ({ createElement: (tag) => new FakeElement(tag) });
}
