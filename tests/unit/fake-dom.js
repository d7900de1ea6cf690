// Just enough of a DOM for the page's `el` helper (www/dom.js) to build elements in node, so that a
// view's words can be read in a unit test. Not a DOM library: elements, attributes, children, text, and
// the few things a component's update() changes (textContent, replaceChildren, hidden, disabled, dataset,
// classList, style), so that a test can read what it changed. A listener is called by hand
// (`element.listeners.click()`); `byClass`, `byId` and `byTag` find descendants.

class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.children = [];
    this.listeners = {};
    this.className = '';
    this.dataset = {};
    this.style = {
      properties: new Map(),
      setProperty(name, value) {
        this.properties.set(name, value);
      },
      getPropertyValue(name) {
        return this.properties.get(name) ?? '';
      },
    };
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }
  getAttribute(name) {
    return this.attributes.get(name) ?? null;
  }
  hasAttribute(name) {
    return this.attributes.has(name);
  }
  removeAttribute(name) {
    this.attributes.delete(name);
  }
  /** `hidden` and `disabled` reflect their attributes, as in a browser. */
  get hidden() {
    return this.attributes.has('hidden');
  }
  set hidden(value) {
    if (value) this.attributes.set('hidden', '');
    else this.attributes.delete('hidden');
  }
  get disabled() {
    return this.attributes.has('disabled');
  }
  set disabled(value) {
    if (value) this.attributes.set('disabled', '');
    else this.attributes.delete('disabled');
  }
  get id() {
    return this.getAttribute('id') ?? '';
  }
  get classList() {
    const names = () => this.className.split(' ').filter(Boolean);
    return {
      add: (...added) => {
        this.className = [...new Set([...names(), ...added])].join(' ');
      },
      remove: (...removed) => {
        this.className = names()
          .filter((name) => !removed.includes(name))
          .join(' ');
      },
      contains: (name) => names().includes(name),
    };
  }
  addEventListener(type, listener) {
    this.listeners[type] = listener;
  }
  append(...nodes) {
    this.children.push(...nodes);
  }
  replaceChildren(...nodes) {
    this.children = nodes.filter((node) => node !== '');
  }
  get textContent() {
    return this.children.map((child) => (typeof child === 'string' ? child : child.textContent)).join('');
  }
  set textContent(text) {
    this.children = text === '' || text === null ? [] : [String(text)];
  }
  get childElementCount() {
    return this.children.filter((child) => typeof child !== 'string').length;
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
  /** The descendant element whose id is `id`, or null. */
  byId(id) {
    for (const child of this.children) {
      if (typeof child === 'string') continue;
      if (child.getAttribute('id') === id) return child;
      const found = child.byId(id);
      if (found) return found;
    }
    return null;
  }
  /** Every descendant element with tag `tag` (any case). */
  byTag(tag) {
    const found = [];
    for (const child of this.children) {
      if (typeof child === 'string') continue;
      if (child.tagName === tag.toUpperCase()) found.push(child);
      found.push(...child.byTag(tag));
    }
    return found;
  }
}

/** Installs the fake `document` globally (once). */
export function installFakeDom() {
  globalThis.document ??= /** @type {any} */ ({ createElement: (tag) => new FakeElement(tag) });
}
