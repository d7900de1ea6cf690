// A run's printed lines with their stream (www/views/output-lines.js): stderr lines tagged in words, the
// Lab's "Output order" compared on stdout only, a trace from before streams read as stdout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeDom } from './fake-dom.js';

installFakeDom();
const { isStderr, outputList, printedToStdout, spokenText, stderrCount, streamOf } = await import(
  '../../www/views/output-lines.js'
);

const lines = [
  { t_ms: 1, task: 'main program', text: 'before', stream: 'stdout' },
  { t_ms: 2, task: 'main program', text: 'WARNING:root:Watch out!', stream: 'stderr' },
  { t_ms: 3, task: 'main program', text: 'after' },
];

test('a line without a stream (a trace from before streams were kept) is stdout', () => {
  assert.deepEqual(lines.map(streamOf), ['stdout', 'stderr', 'stdout']);
  assert.equal(isStderr(lines[2]), false);
});

test('a stderr line says so in words, not in colour alone', () => {
  assert.deepEqual(lines.map(spokenText), ['before', 'stderr: WARNING:root:Watch out!', 'after']);
  const list = outputList(lines, 'main.py output');
  assert.equal(list.getAttribute('aria-label'), 'main.py output');
  assert.equal(list.byClass('stderr').length, 1);
  const tags = list.byClass('stream');
  assert.equal(tags.length, 1);
  assert.equal(tags[0].textContent, 'stderr');
  assert.equal(stderrCount(lines), ', 1 on stderr');
  assert.equal(stderrCount([lines[0]]), '');
});

test("the Lab's output order compares what print shows: stdout only, in order", () => {
  assert.deepEqual(
    printedToStdout(lines).map((line) => line.text),
    ['before', 'after'],
  );
});
