// The twin panel's notes about processes (www/views/python-twin.js), computed from a run's trace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aheadNote, mostAtOnce, processNotes } from '../../www/views/python-twin.js';

const cpu = (lane, start_ms, end_ms) => ({ lane, kind: 'cpu', start_ms, end_ms });

test('mostAtOnce counts the process lanes computing at one instant, not the main lane, not start-ups', () => {
  assert.equal(mostAtOnce({ spans: [] }), 0);
  const trace = {
    spans: [
      cpu('python', 0, 100),
      { lane: 'process-1', kind: 'startup', start_ms: 0, end_ms: 50 },
      cpu('process-1', 50, 100),
      cpu('process-2', 60, 120),
      cpu('process-3', 100, 130), // starts as process-1 ends: still two at once
    ],
  };
  assert.equal(mostAtOnce(trace), 2);
  trace.spans.push(cpu('process-4', 65, 70));
  assert.equal(mostAtOnce(trace), 3);
});

test('the started-ahead note gives the counts and says the bars are real', () => {
  const note = aheadNote(2, 4);
  assert.match(note, /^2 of the 4 processes/);
  assert.match(note, /real time from the request to ready/);
});

test('processNotes says how many processes were started ahead, and when more computed at once than cores', () => {
  const startup = (label) => ({ lane: 'process-1', kind: 'startup', label, start_ms: 0, end_ms: 5 });
  assert.equal(processNotes({ spans: [startup('interpreter start-up (a new Pyodide)')] }, 'main.py'), '');
  const ahead = processNotes(
    { spans: [startup('interpreter start-up (a new Pyodide the page started ahead, ...)')] },
    'main.py',
  );
  assert.match(ahead, /^ 1 of the 1 processes were fresh interpreters/);
  const cores = globalThis.navigator?.hardwareConcurrency || 1;
  const crowded = {
    spans: Array.from({ length: cores + 1 }, (_, i) => cpu(`process-${i + 1}`, 0, 10)),
  };
  assert.match(processNotes(crowded, 'main.py'), /main\.py had more processes computing at once/);
});
