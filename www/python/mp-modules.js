// @ts-check
/**
 * The Python modules of the browser's processes and multiprocessing, which both the page's interpreter
 * (python-worker.js) and every process (pool-worker.js) write into their /juggle folder: one list, so that
 * a module added here reaches both.
 *   juggle_spawn    which process this is (pids, name, bootstrapping, inheritance)
 *   juggle_pool     the process host (the parent's pool) and the child side
 *   juggle_sync     Lock, RLock, Semaphore, BoundedSemaphore, Event, Condition, Barrier (shared memory)
 *   juggle_queues   Queue, JoinableQueue, SimpleQueue, Pipe (rings of bytes in shared memory)
 *   juggle_managers Manager (its objects kept pickled in shared memory, no server process)
 *   juggle_mp       multiprocessing's Pool, Process, Value, Array, and installing all of these
 *   juggle_sandbox  what the browser's Python refuses, said plainly
 *   juggle_streams  sys.stdout and sys.stderr, each printed line kept with its stream
 */
import managersSource from './juggle_managers.py?raw';
import mpSource from './juggle_mp.py?raw';
import poolSource from './juggle_pool.py?raw';
import queuesSource from './juggle_queues.py?raw';
import sandboxSource from './juggle_sandbox.py?raw';
import spawnSource from './juggle_spawn.py?raw';
import streamsSource from './juggle_streams.py?raw';
import syncSource from './juggle_sync.py?raw';

/** @type {Record<string, string>} module name -> source */
export const MP_MODULES = {
  juggle_spawn: spawnSource,
  juggle_pool: poolSource,
  juggle_sync: syncSource,
  juggle_queues: queuesSource,
  juggle_managers: managersSource,
  juggle_mp: mpSource,
  juggle_sandbox: sandboxSource,
  juggle_streams: streamsSource,
};
