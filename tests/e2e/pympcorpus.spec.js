// The Python documentation's multiprocessing examples (tests/corpus/multiprocessing/), run in the Lab's
// Python: each gives CPython's output (its .out, which tests/python/test_mp_corpus.py checks against CPython
// itself). Matching rules, the same as the pytest's: <pid:NAME> one process id per NAME (different NAMEs,
// different ids), <pid> any id; only the lines corpus.json marks `unordered` (CPython does not fix their
// order either: ten processes racing for a lock, imap_unordered) are compared in any order. A program that
// asks for more processes at once than the Lab allows (two per core) must say so with the Lab's cap error.
import { readFileSync } from 'node:fs';
import { expect, open, runPython, test } from './fixtures.js';

test.describe.configure({ timeout: 240_000 });

const corpus = new URL('../corpus/multiprocessing/', import.meta.url);
const { programs } = JSON.parse(readFileSync(new URL('corpus.json', corpus), 'utf8'));

const literal = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The pytest's `matches`, in JavaScript. */
function matches(expected, actual, unordered) {
  if (expected.length !== actual.length) return false;
  let want = expected;
  let got = actual;
  if (unordered) {
    const [first, last] = [unordered[0] - 1, unordered[1]];
    const sorted = (lines) => [
      ...lines.slice(0, first),
      ...lines.slice(first, last).sort(),
      ...lines.slice(last),
    ];
    want = sorted(expected);
    got = sorted(actual);
  }
  /** @type {Map<string, string>} */
  const bound = new Map();
  for (let i = 0; i < want.length; i += 1) {
    const names = [];
    let pattern = '';
    let at = 0;
    for (const found of want[i].matchAll(/<pid(?::(\w+))?>/g)) {
      pattern += `${literal(want[i].slice(at, found.index))}(\\d+)`;
      names.push(found[1]);
      at = found.index + found[0].length;
    }
    pattern += literal(want[i].slice(at));
    const match = new RegExp(`^${pattern}$`).exec(got[i]);
    if (!match) return false;
    for (const [k, name] of names.entries()) {
      if (name === undefined) continue;
      if (!bound.has(name)) bound.set(name, match[k + 1]);
      if (bound.get(name) !== match[k + 1]) return false;
    }
  }
  return new Set(bound.values()).size === bound.size;
}

for (const [name, about] of Object.entries(programs)) {
  test(`${name} gives CPython's output`, async ({ page }) => {
    await open(page);
    const source = readFileSync(new URL(name, corpus), 'utf8');
    const expected = readFileSync(new URL(name.replace(/\.py$/, '.out'), corpus), 'utf8')
      .trimEnd()
      .split('\n');
    const trace = await runPython(page, source, { filename: name });
    const cap = 2 * (await page.evaluate(() => navigator.hardwareConcurrency || 1));
    if ((about.needsProcesses ?? 1) > cap) {
      // The Lab's limit, said plainly (this machine has fewer cores than the program asks processes for).
      expect(trace.error?.message).toContain(`at most ${cap} processes at once`);
      return;
    }
    expect(trace.error).toBeUndefined();
    const lines = trace.output.map((line) => line.text);
    expect(matches(expected, lines, about.unordered), lines.join('\n')).toBe(true);
  });
}

test('the matching rules', () => {
  expect(matches(['a <pid:x>', 'b <pid:x>', '<pid:y>'], ['a 5', 'b 5', '6'])).toBe(true);
  expect(matches(['a <pid:x>', 'b <pid:x>'], ['a 5', 'b 6'])).toBe(false);
  expect(matches(['<pid:x>', '<pid:y>'], ['5', '5'])).toBe(false);
  expect(matches(['[<pid>, <pid>]'], ['[7, 7]'])).toBe(true);
  expect(matches(['1', 'b', 'a'], ['1', 'a', 'b'], [2, 3])).toBe(true);
  expect(matches(['1', 'b', 'a'], ['a', 'b', '1'], [2, 3])).toBe(false);
});

test('a program with no __main__ guard is told so, in CPython’s words and the Lab’s', async ({ page }) => {
  await open(page);
  const trace = await runPython(
    page,
    `from multiprocessing import Pool

def square(x):
    return x * x

pool = Pool(2)
print(pool.map(square, range(4)))
`,
  );
  expect(trace.error?.message).toContain('BrokenProcessPool');
  expect(trace.error?.message).toContain('if __name__ == "__main__":');
  expect(trace.error?.message).toContain('finished its bootstrapping phase');
});

test('asyncio’s subprocesses are refused with subprocess’s message', async ({ page }) => {
  await open(page);
  const trace = await runPython(
    page,
    `import asyncio, subprocess

messages = set()
try:
    subprocess.run(["ls"])
except OSError as error:
    messages.add(str(error))

async def main():
    for make in (asyncio.create_subprocess_exec, asyncio.create_subprocess_shell):
        try:
            await make("ls")
        except OSError as error:
            messages.add(str(error))

asyncio.run(main())
print(len(messages), "python3 on your machine" in messages.pop())
`,
  );
  expect(trace.error).toBeUndefined();
  expect(trace.output.map((line) => line.text)).toEqual(['1 True']);
});
