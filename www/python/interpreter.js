// @ts-check
/**
 * Loading one Pyodide interpreter, as the page's Python worker (python-worker.js: one per run) and each
 * process (pool-worker.js) do: from the page's origin only, from the compiled module the page shares with
 * its processes, and from the page's memory snapshot of a fresh interpreter when there is one (Pyodide's
 * private `_loadSnapshot`: its memory copied in, no interpreter start-up), else the long way, optionally
 * taking that snapshot (`_makeSnapshot`, `makeMemorySnapshot`) before anything of Juggle's or the
 * learner's runs in it.
 * Pinned with pyodide 314.0.7 (docs/decisions/2026-12-01-python-process-pool.md).
 */
import { NO_NETWORK } from './worker-sandbox.js';

/**
 * The standard-library modules every interpreter imports (the pool's machinery, what juggle_sandbox.py
 * wraps, what twins use): imported before the snapshot is taken, so that an interpreter started from it
 * finds them loaded (importing them took 0.5-0.9 s of each start-up, measured).
 */
export const PRELOADED = `import asyncio, collections, concurrent.futures, concurrent.futures.process, functools, itertools
import json, os, pickle, sys, time, traceback, types
import socket, http.client, urllib.request, threading, subprocess, multiprocessing, multiprocessing.context
import pyodide.ffi, pyodide.http`;

/**
 * Python to run first in an interpreter started from the snapshot: it would otherwise begin with the
 * snapshot's random state, the same in every interpreter; reseeded from the system's randomness, as a new
 * CPython process seeds itself.
 */
export const RESEED = 'import random\nrandom.seed()';

/**
 * @typedef {{ snapshot?: Uint8Array, makeSnapshot?: boolean, module?: WebAssembly.Module }} Boot
 * `snapshot`: start from it; `makeSnapshot`: start the long way and take one; `module`: Pyodide's wasm,
 * compiled once by the page.
 * @typedef {{ pyodide: any, from: 'fresh' | 'snapshot', made: Uint8Array | null, reason?: string }} Loaded
 * `from`: how it started; `made`: the snapshot it took (null when not asked, or when it could not, `reason`).
 */

/**
 * Loads an interpreter whose stdout and stderr go nowhere (the run's own streams replace them).
 * @param {string} indexURL where Pyodide's files are served: the page's own origin, or the load is refused
 * @param {Boot} [boot]
 * @returns {Promise<Loaded>}
 */
export async function loadInterpreter(indexURL, { snapshot, makeSnapshot = false, module } = {}) {
  // The interpreter comes from the page's origin only, whoever sent the message (the worker's content
  // security policy refuses another origin too; this says why first).
  const origin = new URL(indexURL, location.href).origin;
  if (origin !== location.origin)
    throw new Error(`${NO_NETWORK} (an interpreter from ${origin} was refused)`);
  if (module) {
    // The page compiled the interpreter once: instantiate that module instead of fetching and compiling.
    /** @type {any} */ (WebAssembly).instantiateStreaming = async (
      /** @type {unknown} */ _response,
      /** @type {WebAssembly.Imports} */ imports,
    ) => ({
      module,
      instance: await WebAssembly.instantiate(module, imports),
    });
  }
  /** @type {{ loadPyodide: (options: any) => Promise<any> }} */
  const { loadPyodide } = await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`);
  const quiet = { indexURL, stdout: () => {}, stderr: () => {} };
  if (snapshot) {
    try {
      const pyodide = await loadPyodide({ ...quiet, _loadSnapshot: snapshot });
      pyodide.runPython(RESEED);
      return { pyodide, from: 'snapshot', made: null };
    } catch {
      // A snapshot this runtime cannot restore: start the long way instead.
    }
  }
  if (!makeSnapshot) return { pyodide: await loadPyodide(quiet), from: 'fresh', made: null };
  const pyodide = await loadPyodide({ ...quiet, _makeSnapshot: true });
  try {
    pyodide.runPython(PRELOADED);
    return { pyodide, from: 'fresh', made: pyodide.makeMemorySnapshot() };
  } catch (failure) {
    const reason = failure instanceof Error ? failure.message : String(failure);
    return { pyodide, from: 'fresh', made: null, reason };
  }
}
