// What the Lab opens with (www/views/lab-opening.js): a link's program over an example, an asked example
// over the kept program, the link's arguments over both, and a notice for what could not be given.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const { codeLink, readLabQuery } = await import('../../www/views/lab-link.js');
const { classic, DEFAULT_EXAMPLE } = await import('../../www/views/lab-examples.js');
const { exampleFinder, openingProgram } = await import('../../www/views/lab-opening.js');

const catalogue = [
  {
    id: 'count',
    title: 'Count',
    variants: [
      { id: 'locked', title: 'Locked' },
      { id: 'racy', title: 'Racy' },
    ],
  },
];
let loads = 0;
const lessons = {
  count: async () => {
    loads += 1;
    return {
      default: {
        python: { source: 'print("twin")\n', browser: { locked: 'needs a real Python', racy: 'runs' } },
      },
    };
  },
};
const exampleById = exampleFinder({ catalogue, lessons });
const open = (search, { hash = '', kept = null } = {}) =>
  openingProgram({ query: readLabQuery(search), hash, exampleById, kept: () => kept });
const fallback = classic(DEFAULT_EXAMPLE);

test('with nothing asked and nothing kept, the default example', async () => {
  const opened = await open('?lab=1');
  assert.equal(opened.example.id, DEFAULT_EXAMPLE);
  assert.equal(opened.source, fallback.source);
  assert.deepEqual(opened.argv, fallback.argv);
  assert.equal(opened.fromLink, false);
  assert.deepEqual(opened.notices, []);
});

test('a twin is found by its scenario, loaded once, and runs with a variant that runs here', async () => {
  loads = 0;
  const opened = await open('?lab=1&twin=count');
  assert.equal(opened.example.id, 'twin:count');
  assert.equal(opened.source, 'print("twin")\n');
  assert.deepEqual(opened.argv, ['racy']);
  await exampleById('twin:count');
  assert.equal(loads, 1);
  assert.equal(await exampleById('twin:nowhere'), null);
});

test('an unknown example is said, and the default shown; the kept program is not read then', async () => {
  const opened = await open('?lab=1&example=nope', { kept: { source: 'kept\n', argv: [], example: 'x' } });
  assert.equal(opened.example.id, DEFAULT_EXAMPLE);
  assert.equal(opened.source, fallback.source);
  assert.deepEqual(opened.notices, [`There is no example “nope”; showing “${fallback.title}” instead.`]);
});

test('the kept program opens with its arguments and the example it came from', async () => {
  const opened = await open('?lab=1', { kept: { source: 'kept\n', argv: ['a'], example: 'twin:count' } });
  assert.equal(opened.source, 'kept\n');
  assert.deepEqual(opened.argv, ['a']);
  assert.equal(opened.example.id, 'twin:count');
});

test('a link’s program (fragment or query) and arguments win; a broken one is said', async () => {
  const hash = new URL(await codeLink('https://x.test/', 'print("linked")\n')).hash;
  const linked = await open('?lab=1&example=busy-loop&argv=one%20two', { hash });
  assert.equal(linked.source, 'print("linked")\n');
  assert.equal(linked.fromLink, true);
  assert.equal(linked.example.id, 'busy-loop');
  assert.deepEqual(linked.argv, ['one', 'two']);
  const query = await open('?lab=1&code=print(2)');
  assert.equal(query.source, 'print(2)');
  const broken = await open('?lab=1', { hash: '#code=!!!' });
  assert.equal(broken.fromLink, false);
  assert.equal(broken.source, fallback.source);
  assert.match(broken.notices[0], /^The program in this link cannot be opened: .+\.$/);
  const tooMany = await open(`?lab=1&argv=${'a '.repeat(9)}`);
  assert.deepEqual(tooMany.argv, fallback.argv);
  assert.deepEqual(tooMany.notices, [
    "The link's arguments were not used: at most 8 arguments may be given.",
  ]);
});
