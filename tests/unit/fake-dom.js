// Just enough of a DOM for the page's `el` helper (www/dom.js) to build elements in node, so that a
// view's words can be read in a unit test. Not a DOM library: elements, attributes, children, text. A
// listener is called by hand (`element.listeners.click()`); `byClass` and `byTag` find descendants.

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
  replaceChildren(...nodes) {
    this.children = nodes;
  }
  get textContent() {
    return this.children.map((child) => (typeof child === 'string' ? child : child.textContent)).join('');
  }
  /** Setting the text replaces the children with it, as the DOM's does. */
  set textContent(text) {
    this.children = text === '' || text === null ? [] : [String(text)];
  }
  /** Every descendant element with this tag name (lower case, as written in `el`). */
  byTag(tag) {
    const found = [];
    for (const child of this.children) {
      if (typeof child === 'string') continue;
      if (child.tagName === tag.toUpperCase()) found.push(child);
      found.push(...child.byTag(tag));
    }
    return found;
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
