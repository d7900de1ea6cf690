// Juggle's embed as an anywidget front-end module (AFM): an iframe of the model's `url`, `height` pixels
// tall, titled `title`. The same file serves JupyterLab / Notebook 7 / VS Code / Colab (through
// juggle.widget, which sets the model from Python) and MyST / Jupyter Book 2's `anywidget` directive
// (whose JSON body is the model), with no Jupyter kernel at all.

/** Builds the iframe in `el` and follows changes of the model. */
function render({ model, el }) {
  const frame = document.createElement('iframe');
  frame.className = 'juggle';
  frame.loading = 'lazy';
  frame.allow = 'cross-origin-isolated';
  frame.style.width = '100%';
  frame.style.border = '0';
  const show = () => {
    const url = String(model.get('url') ?? '');
    // Only web addresses: a model could carry javascript: or data: URLs.
    frame.src = /^https?:\/\//i.test(url) ? url : 'about:blank';
    frame.title = String(model.get('title') || 'Juggle');
    frame.style.height = `${Number(model.get('height')) || 480}px`;
  };
  show();
  model.on('change:url', show);
  model.on('change:height', show);
  model.on('change:title', show);
  el.append(frame);
  return () => {
    model.off('change:url', show);
    model.off('change:height', show);
    model.off('change:title', show);
  };
}

export default { render };
