// The Lab's kept program (www/views/lab-kept.js): what is read back, what is refused, and when a keeper
// writes, waits and forgets.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';

const { STORAGE_KEY, loadKept, programKeeper } = await import('../../www/views/lab-kept.js');

/** A Storage over a Map; `refuse` makes setItem throw, as a full or private-mode storage does. */
function memoryStorage({ refuse = false } = {}) {
  const items = new Map();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      if (refuse) throw new Error('QuotaExceededError');
      items.set(key, value);
    },
    removeItem: (key) => items.delete(key),
  };
}

test('a kept program is read back; its foreign arguments are dropped, a missing example is the default', () => {
  const storage = memoryStorage();
  storage.setItem(
    STORAGE_KEY,
    JSON.stringify({ source: 'print(1)\n', argv: ['a', 2, 'b'], example: 'race' }),
  );
  assert.deepEqual(loadKept(storage), { source: 'print(1)\n', argv: ['a', 'b'], example: 'race' });
  storage.setItem(STORAGE_KEY, JSON.stringify({ source: 'x = 1\n' }));
  assert.deepEqual(loadKept(storage), { source: 'x = 1\n', argv: [], example: 'busy-loop' });
});

test('nothing kept, broken JSON, a non-text or an unrunnable program read back as null', () => {
  const storage = memoryStorage();
  assert.equal(loadKept(storage), null);
  for (const kept of ['{not json', JSON.stringify({ source: 42 }), JSON.stringify({ source: 'a\0b' })]) {
    storage.setItem(STORAGE_KEY, kept);
    assert.equal(loadKept(storage), null, kept);
  }
});

test('a keeper writes the program now or once changes stop, and only the last change’s `then` runs', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const storage = memoryStorage();
    let source = 'one';
    const keeper = programKeeper({
      enabled: true,
      storage,
      current: () => ({ source, argv: ['x'], example: 'race' }),
    });
    keeper.keep();
    assert.deepEqual(JSON.parse(storage.getItem(STORAGE_KEY)), {
      source: 'one',
      argv: ['x'],
      example: 'race',
    });
    const then = [];
    source = 'two';
    keeper.keepSoon(() => then.push('first'));
    mock.timers.tick(200);
    keeper.keepSoon(() => then.push('second'));
    mock.timers.tick(299);
    assert.equal(JSON.parse(storage.getItem(STORAGE_KEY)).source, 'one', 'not before the changes stop');
    mock.timers.tick(1);
    assert.equal(JSON.parse(storage.getItem(STORAGE_KEY)).source, 'two');
    assert.deepEqual(then, ['second']);
    keeper.forget();
    assert.equal(storage.getItem(STORAGE_KEY), null);
    source = 'three';
    keeper.keepSoon();
    keeper.stop();
    mock.timers.tick(1000);
    assert.equal(storage.getItem(STORAGE_KEY), null, 'stop() cancels a pending keep');
  } finally {
    mock.timers.reset();
  }
});

test('a disabled keeper (read-only, embed) neither keeps nor forgets, but still follows the program', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const storage = memoryStorage();
    storage.setItem(STORAGE_KEY, 'the learner’s own');
    const keeper = programKeeper({
      enabled: false,
      storage,
      current: () => ({ source: 'teacher', argv: [], example: 'x' }),
    });
    let followed = 0;
    keeper.keep();
    keeper.keepSoon(() => followed++);
    mock.timers.tick(300);
    keeper.forget();
    assert.equal(storage.getItem(STORAGE_KEY), 'the learner’s own');
    assert.equal(followed, 1);
  } finally {
    mock.timers.reset();
  }
});

test('a storage that refuses to keep is not an error', () => {
  const keeper = programKeeper({
    enabled: true,
    storage: memoryStorage({ refuse: true }),
    current: () => ({ source: 's', argv: [], example: 'x' }),
  });
  assert.doesNotThrow(() => keeper.keep());
});

test('where reading localStorage itself throws (a blocked frame on another origin), nothing is kept and nothing fails', () => {
  const had = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
  Object.defineProperty(globalThis, 'localStorage', {
    configurable: true,
    get() {
      throw new Error('SecurityError: access is denied for this document');
    },
  });
  try {
    assert.equal(loadKept(), null);
    const keeper = programKeeper({ enabled: true, current: () => ({ source: 's', argv: [], example: 'x' }) });
    assert.doesNotThrow(() => keeper.keep());
    assert.doesNotThrow(() => keeper.forget());
  } finally {
    if (had) Object.defineProperty(globalThis, 'localStorage', had);
    else delete globalThis.localStorage;
  }
});
