// The engine's worker messages (www/messages.js): every kind one side of a link sends, the other side
// handles, and no side sends a kind that is not in the link's frozen object.
//
// The worker scripts load the wasm core when they start, which node cannot run, so the sides are read as
// source: parsed (Vite's parser, the one the build uses) and searched for the link objects' members. A kind
// counts as sent where it is the `type` of an object literal (the message) or the first argument of
// `errorMessage` (www/worker-error.js); as handled where it is a computed key (a worker's table of
// handlers, www/messages.js's `Handlers`), an operand of `===` / `!==`, or a `case`. tsc checks the rest:
// each message's fields against its kind (`npm run typecheck`, tsconfig.strict.json).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAst } from 'vite';
import {
  dispatch,
  FromEngineWorker,
  FromOwnThread,
  FromPlainWorker,
  isDone,
  JobDone,
  markDone,
  newDoneFlag,
  ToEngineWorker,
  ToOwnThread,
  ToPlainWorker,
} from '../../www/messages.js';
import { errorMessage } from '../../www/worker-error.js';

const root = join(import.meta.dirname, '..', '..');

/** Each link: its frozen object of kinds, the file that sends them and the file that handles them. */
const LINKS = [
  { kinds: 'ToEngineWorker', of: ToEngineWorker, from: 'www/engine.js', to: 'www/engine-worker.js' },
  { kinds: 'FromEngineWorker', of: FromEngineWorker, from: 'www/engine-worker.js', to: 'www/engine.js' },
  { kinds: 'ToPlainWorker', of: ToPlainWorker, from: 'www/engine.js', to: 'www/plain-worker.js' },
  { kinds: 'FromPlainWorker', of: FromPlainWorker, from: 'www/plain-worker.js', to: 'www/engine.js' },
  { kinds: 'ToOwnThread', of: ToOwnThread, from: 'www/engine-worker.js', to: 'www/own-thread.js' },
  { kinds: 'FromOwnThread', of: FromOwnThread, from: 'www/own-thread.js', to: 'www/engine-worker.js' },
];

/** The files on either side of a link. */
const SIDES = [...new Set(LINKS.flatMap(({ from, to }) => [from, to]))];

/** Calls `visit(node)` for every node of an ESTree tree. */
function walk(node, visit) {
  if (!node || typeof node.type !== 'string') return;
  visit(node);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const child of value) walk(child, visit);
    else if (value && typeof value === 'object' && typeof value.type === 'string') walk(value, visit);
  }
}

/** `Link.KIND` as [Link, KIND], or null for any other node. */
function linkMember(node) {
  if (node?.type !== 'MemberExpression' || node.computed) return null;
  if (node.object.type !== 'Identifier' || node.property.type !== 'Identifier') return null;
  return LINKS.some((link) => link.kinds === node.object.name)
    ? [node.object.name, node.property.name]
    : null;
}

/**
 * What a file's source sends and handles (`sent`, `handled`: Sets of `Link.KIND`), the kinds it writes as bare
 * strings and where it calls `postMessage` itself.
 */
const read = (file) => {
  const sent = new Set();
  const handled = new Set();
  const bareTypes = [];
  const directPosts = [];
  walk(parseAst(readFileSync(join(root, file), 'utf8')), (node) => {
    if (node.type === 'Property' && !node.computed && node.key.name === 'type') {
      const member = linkMember(node.value);
      if (member) sent.add(member.join('.'));
      // A worker's own options (`new Worker(url, { type: 'module' })`) are not a message.
      else if (node.value.type === 'Literal' && node.value.value !== 'module')
        bareTypes.push(node.value.value);
    }
    if (node.type === 'Property' && node.computed) {
      const member = linkMember(node.key);
      if (member) handled.add(member.join('.'));
    }
    if (node.type === 'BinaryExpression' && (node.operator === '===' || node.operator === '!==')) {
      for (const side of [node.left, node.right]) {
        const member = linkMember(side);
        if (member) handled.add(member.join('.'));
      }
    }
    if (node.type === 'SwitchCase') {
      const member = linkMember(node.test);
      if (member) handled.add(member.join('.'));
    }
    if (node.type === 'CallExpression') {
      if (node.callee.type === 'Identifier' && node.callee.name === 'errorMessage') {
        const member = linkMember(node.arguments[0]);
        if (member) sent.add(member.join('.'));
      }
      if (node.callee.type === 'MemberExpression' && node.callee.property.name === 'postMessage')
        directPosts.push(node.start);
    }
  });
  return { sent, handled, bareTypes, directPosts };
};

const sources = Object.fromEntries(SIDES.map((file) => [file, read(file)]));

for (const { kinds, of, from, to } of LINKS) {
  const all = Object.keys(of)
    .map((kind) => `${kinds}.${kind}`)
    .sort();

  test(`${kinds}: every kind ${from} sends, ${to} handles`, () => {
    const sent = [...sources[from].sent].filter((member) => member.startsWith(`${kinds}.`)).sort();
    const handled = [...sources[to].handled].filter((member) => member.startsWith(`${kinds}.`)).sort();
    assert.deepEqual(
      sent.filter((kind) => !handled.includes(kind)),
      [],
      `${to} does not handle what ${from} sends`,
    );
    // No kind is left in the link that one side stopped sending or the other stopped handling.
    assert.deepEqual(sent, all, `${from} sends every kind of ${kinds}`);
    assert.deepEqual(handled, all, `${to} handles every kind of ${kinds}`);
  });
}

test('no side names a kind of a link it is not on', () => {
  for (const file of SIDES) {
    const links = LINKS.filter(({ from, to }) => from === file || to === file);
    for (const member of [...sources[file].sent, ...sources[file].handled]) {
      const name = member.split('.')[0];
      assert.ok(
        links.some(
          ({ kinds, from, to }) =>
            kinds === name && (sources[file].sent.has(member) ? from === file : to === file),
        ),
        `${file} uses ${member}, a kind of a link it does not ${sources[file].sent.has(member) ? 'send on' : 'receive on'}`,
      );
    }
  }
});

test('every message is typed: no bare string kind, no postMessage outside www/messages.js', () => {
  for (const file of SIDES) {
    assert.deepEqual(sources[file].bareTypes, [], `${file} sends a message whose kind is a bare string`);
    assert.deepEqual(
      sources[file].directPosts,
      [],
      `${file} calls postMessage itself (at these offsets) instead of messages.js's typed post functions`,
    );
  }
});

test('the link objects and the JobDone control word are frozen', () => {
  for (const { kinds, of } of LINKS) assert.ok(Object.isFrozen(of), kinds);
  assert.ok(Object.isFrozen(JobDone));
  assert.throws(() => {
    ToEngineWorker.RUN = 'something else';
  }, TypeError);
});

test('JobDone: a fresh flag waits; marked, it is done, seen through another view of the same memory', () => {
  const flag = newDoneFlag();
  assert.ok(flag.buffer instanceof SharedArrayBuffer);
  assert.equal(isDone(flag), false);
  assert.equal(Atomics.load(flag, JobDone.WORD), JobDone.WAITING);
  // The engine worker gets the flag through postMessage: the same memory, another Int32Array.
  const theirs = new Int32Array(flag.buffer);
  markDone(theirs);
  assert.equal(isDone(flag), true);
  assert.equal(Atomics.load(flag, JobDone.WORD), JobDone.DONE);
});

test('dispatch calls the handler of the message kind, and throws on a kind without one', async () => {
  const seen = [];
  const handlers = {
    [ToPlainWorker.START]: (message) => seen.push(['start', message]),
    [ToPlainWorker.RUN]: async (message) => seen.push(['run', message.id]),
  };
  dispatch(handlers, { type: 'start' });
  await dispatch(handlers, { type: 'run', id: 7, job: {} });
  assert.deepEqual(seen, [
    ['start', { type: 'start' }],
    ['run', 7],
  ]);
  assert.throws(() => dispatch(handlers, { type: 'stop' }), /no handler for a message of kind "stop"/);
});

test('errorMessage keeps an Error message and its code, and says what anything else thrown was', () => {
  const panicked = Object.assign(new Error('the task panicked: boom'), { code: 'panicked' });
  assert.deepEqual(errorMessage(FromPlainWorker.ERROR, 3, panicked), {
    type: 'error',
    id: 3,
    message: 'the task panicked: boom',
    code: 'panicked',
  });
  assert.deepEqual(errorMessage(FromOwnThread.ERROR, undefined, 'a string thrown'), {
    type: 'error',
    id: undefined,
    message: 'a string thrown',
    code: undefined,
  });
  // A code that is not a string is not passed on (the core reads `code` as a string).
  assert.equal(errorMessage('error', 1, { message: 'x', code: 42 }).code, undefined);
});
