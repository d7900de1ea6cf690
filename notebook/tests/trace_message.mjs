// For notebook/tests/test_widget_trace.py: the message the page posts after a run (www/views/embed-trace.js)
// against the check the widget's front end makes of it (widget.mjs's isTraceMessage, the file given as the
// first argument). Writes JSON on stdout: what was posted from each kind of page, and the check's verdicts.
import { pathToFileURL } from 'node:url';
import { postTrace } from '../../www/views/embed-trace.js';

const { isTraceMessage, traceData, MAX_TRACE_BYTES } = await import(pathToFileURL(process.argv[2]).href);

/** A trace as a run of count/async resolves to it (the fields the widget and the docs name). */
const trace = {
  scenario: 'count',
  variant: 'async',
  params: { tasks: 3, sleep_ms: 1000 },
  env: { threads: 2 },
  started_at_ms: 1.7e12,
  total_ms: 1003.4,
  spans: [{ lane: 'main', task: 'task-1', kind: 'wait', label: 'sleep', start_ms: 0, end_ms: 1000 }],
  output: ['One', 'One', 'One', 'Two', 'Two', 'Two'].map((text, i) => ({ at_ms: i, task: 'main', text })),
  heartbeat: { interval_ms: 10, beats: [] },
  result: null,
  why: {},
};

/** What a page at `search`, framed or not, posts to its parent after a run. */
function posted(search, framed) {
  const messages = [];
  const self = {};
  self.parent = framed ? { postMessage: (message, target) => messages.push({ message, target }) } : self;
  const sent = postTrace(trace, { search, self });
  // What the parent receives is a structured clone of the message.
  return {
    sent,
    messages: messages.map(({ message, target }) => ({ message: structuredClone(message), target })),
  };
}

const pages = {
  embedded: posted('?scenario=count&variant=async&embed=1', true),
  notEmbed: posted('?scenario=count&variant=async', true),
  topLevel: posted('?scenario=count&variant=async&embed=1', false),
};
const good = pages.embedded.messages[0]?.message;
const with_ = (changes) => ({ ...good, ...changes });
const verdicts = {
  posted: isTraceMessage(good),
  null: isTraceMessage(null),
  text: isTraceMessage('juggle:trace'),
  array: isTraceMessage([good]),
  map: isTraceMessage(new Map(Object.entries(good))),
  otherType: isTraceMessage(with_({ type: 'juggle:traces' })),
  noTrace: isTraceMessage(with_({ trace: undefined })),
  traceArray: isTraceMessage(with_({ trace: [] })),
  otherScenario: isTraceMessage(with_({ scenario: 'race' })),
  otherVariant: isTraceMessage(with_({ variant: 'sync' })),
  totalText: isTraceMessage(with_({ trace: { ...trace, total_ms: '1003' } })),
  totalNaN: isTraceMessage(with_({ trace: { ...trace, total_ms: Number.NaN } })),
  nullPrototype: isTraceMessage(Object.assign(Object.create(null), good)),
};
/** A trace whose printed lines make its JSON `bytes` long, give or take a hundred bytes. */
const sized = (bytes) => {
  const base = JSON.stringify({ ...trace, output: [{ at_ms: 0, task: 'main', text: '' }] }).length;
  return { ...trace, output: [{ at_ms: 0, task: 'main', text: 'x'.repeat(bytes - base) }] };
};
const copied = traceData(good.trace);
const sizes = {
  limit: MAX_TRACE_BYTES,
  copiedEqual: JSON.stringify(copied) === JSON.stringify(trace) && copied !== good.trace,
  underLimit: traceData(sized(MAX_TRACE_BYTES - 100)) !== null,
  overLimit: traceData(sized(MAX_TRACE_BYTES + 100)) === null,
  // Not JSON data: a function is dropped, a Map becomes {} (what the kernel gets is data).
  plainOnly: JSON.stringify(traceData({ ...trace, result: { f: () => 1, m: new Map([[1, 2]]) } }).result),
};
process.stdout.write(JSON.stringify({ pages, verdicts, sizes }));
