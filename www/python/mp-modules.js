// @ts-check
/**
 * The Python modules of the browser's processes and multiprocessing, which both the page's interpreter
 * (python-worker.js) and every process (pool-worker.js) write into their /juggle folder: one list, so that
 * a module added here reaches both.
 *   juggle_spawn    which process this is (pids, name, bootstrapping, inheritance)
 *   juggle_pool     the process host (the parent's pool) and the child side
 *   juggle_mp       multiprocessing's parts (Pool, Process, Value, Array, locks)
 *   juggle_sandbox  what the browser's Python refuses, said plainly
 */
import mpSource from './juggle_mp.py?raw';
import poolSource from './juggle_pool.py?raw';
import sandboxSource from './juggle_sandbox.py?raw';
import spawnSource from './juggle_spawn.py?raw';

/** @type {Record<string, string>} module name -> source */
export const MP_MODULES = {
  juggle_spawn: spawnSource,
  juggle_pool: poolSource,
  juggle_mp: mpSource,
  juggle_sandbox: sandboxSource,
};
