// www/python/shared-memory.js, the run's shared heap under multiprocessing: allocation that every process
// may do (word 0 of the run's heap is the next free offset), the words the synchronisation objects use, the
// bytes the queues copy, and a wait that gives up on Stop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newHeap, sharedMemoryHost } from '../../www/python/shared-memory.js';

test('two hosts on one run heap allocate disjoint places (the offset is shared)', () => {
  const heap = newHeap();
  const parent = sharedMemoryHost({ owner: 1 });
  const child = sharedMemoryHost({ owner: 1001 });
  parent.set_heap('run', heap);
  child.set_heap('run', heap);
  const a = parent.alloc('run', 12);
  const b = child.alloc('run', 8);
  const c = parent.alloc('run', 100_000); // grows the heap
  assert.equal(a % 8, 0);
  assert.ok(b >= a + 16 && c >= b + 8);
  assert.ok(/** @type {SharedArrayBuffer} */ (heap).byteLength >= c + 100_000);
});

test('words: load, store, add, compare-exchange, and a wait that sees a change or times out', () => {
  const host = sharedMemoryHost({ owner: 1 });
  host.set_heap('run', newHeap());
  const w = host.words('run', host.alloc('run', 8));
  assert.equal(w.store(0, 5), 5);
  assert.equal(w.add(0, 2), 5);
  assert.equal(w.load(0), 7);
  assert.equal(w.cas(0, 7, 9), 7);
  assert.equal(w.cas(0, 7, 1), 9);
  assert.equal(w.wait(0, 8, -1), 1); // not the value: returns at once
  const start = performance.now();
  assert.equal(w.wait(1, 0, 20), 0); // timed out
  assert.ok(performance.now() - start >= 15);
});

test('a wait gives up with -1 when Stop is asked', () => {
  const host = sharedMemoryHost({ owner: 1, interrupted: () => true });
  host.set_heap('run', newHeap());
  const w = host.words('run', host.alloc('run', 4));
  assert.equal(w.wait(0, 0, -1), -1);
});

test('bytes written are read back', () => {
  const host = sharedMemoryHost({ owner: 1 });
  host.set_heap('run', newHeap());
  const at = host.alloc('run', 5);
  host.write('run', at, new Uint8Array([1, 2, 3, 4, 5]));
  assert.deepEqual([...host.read('run', at + 1, 3)], [2, 3, 4]);
});
