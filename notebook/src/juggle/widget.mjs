// Juggle's embed as an anywidget front-end module (AFM): an iframe of the model's `url`, `height` pixels
// tall, titled `title`. The same file serves JupyterLab / Notebook 7 / VS Code / Colab (through
// juggle.widget, which sets the model from Python) and MyST / Jupyter Book 2's `anywidget` directive
// (whose JSON body is the model), with no Jupyter kernel at all.
//
// After each live run, Juggle's embed posts `{ type: 'juggle:trace', scenario, variant, trace }` to its
// parent (www/views/embed-trace.js). The widget keeps the last one in its `trace` trait, which goes back
// to the kernel (`widget.trace` in Python, a dict); a message is taken only from this widget's own frame,
// from the origin of its `url`, and only in that shape.

/** Whether `data` is an embed's trace message: a plain object of that type whose trace is a run's. */
export function isTraceMessage(data) {
  const plain = (value) =>
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
  return (
    plain(data) &&
    data.type === 'juggle:trace' &&
    typeof data.scenario === 'string' &&
    typeof data.variant === 'string' &&
    plain(data.trace) &&
    data.trace.scenario === data.scenario &&
    data.trace.variant === data.variant &&
    Number.isFinite(data.trace.total_ms)
  );
}

/**
 * The most JSON a trace may be to go to the kernel, in UTF-8 bytes: the limit of a trace file in Juggle
 * (its core's TraceLimits.file_bytes). Jupyter Server's websocket closes on a message over 10 MiB
 * (tornado's default websocket_max_message_size), which would cut the notebook from its kernel.
 */
export const MAX_TRACE_BYTES = 5 * 1024 * 1024;

/** `trace` copied as JSON data, or null when its JSON is larger than MAX_TRACE_BYTES. */
export function traceData(trace) {
  const text = JSON.stringify(trace);
  if (new TextEncoder().encode(text).length > MAX_TRACE_BYTES) return null;
  return JSON.parse(text);
}

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
  // The run's trace, from this frame only (another frame, or a page the frame was navigated to, is not
  // heard), copied as JSON: what the kernel is sent is data, whatever the message carried.
  const heard = (event) => {
    if (event.source !== frame.contentWindow || !isTraceMessage(event.data)) return;
    let origin = null;
    try {
      origin = new URL(frame.src).origin;
    } catch {}
    if (event.origin !== origin) return;
    const trace = traceData(event.data.trace);
    if (trace === null) {
      console.warn(
        `Juggle: this run's trace is larger than ${MAX_TRACE_BYTES / 1024 / 1024} MiB of JSON, so it is not sent to Python (widget.trace keeps the last run that fitted); run with smaller settings.`,
      );
      return;
    }
    model.set('trace', trace);
    // In a notebook the trait goes to the kernel; MyST's directive has no kernel to send it to.
    model.save_changes?.();
  };
  window.addEventListener('message', heard);
  model.on('change:url', show);
  model.on('change:height', show);
  model.on('change:title', show);
  el.append(frame);
  return () => {
    window.removeEventListener('message', heard);
    model.off('change:url', show);
    model.off('change:height', show);
    model.off('change:title', show);
  };
}

export default { render };
