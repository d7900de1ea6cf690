"""multiprocessing for the browser's Python, as CPython has it with the "spawn" start method: ``Pool``,
``Process``, ``Value``, ``Array``, ``RawValue``, ``RawArray`` here, on the process pool of juggle_pool.py
(each process a separate interpreter in a Web Worker of its own); ``install`` puts them in place of
CPython's, with the locks, events, semaphores, conditions and barriers of juggle_sync.py, the queues and
pipes of juggle_queues.py and the Manager of juggle_managers.py.

- ``Process.start()`` at the Lab's process cap waits for a started Process to end; when the program ends,
  ``exit_function`` joins the Processes it did not join (and ends its daemons), as CPython's atexit hook.

- ``Value`` / ``Array`` live in the run's shared memory (a SharedArrayBuffer every process of the run can
  see: www/python/shared-memory.js), so a write in one process is read in another. Each is wrapped with a
  lock (an ``RLock`` unless told otherwise), as CPython's ``Synchronized`` / ``SynchronizedArray``:
  ``.value`` and each item access take it, ``get_lock()`` gives it for a read-modify-write.
- The locks are real cross-process locks (``Atomics.compareExchange`` on the shared memory, a blocked
  taker sleeping in ``Atomics.wait`` until the holder's release notifies it).
- As in CPython, these objects reach a process by inheritance only: in a Pool's ``initargs`` or a
  Process's ``args`` (pickled while the process is being started). Pickling one into a task raises
  CPython's ``RuntimeError`` ("Synchronized objects should only be shared between processes through
  inheritance").
- ``Pool(processes)`` starts its processes at once, as CPython's does, and returns when they are ready
  (each has run the program as ``__mp_main__`` and the initializer): a start-up here can take far longer
  than CPython's few milliseconds, and a time taken after ``Pool()`` should measure the work, not it.
"""

import functools
import importlib
import itertools
import multiprocessing
import os
import pickle
import sys
import traceback

import juggle_managers
import juggle_pool
import juggle_queues
import juggle_spawn
import juggle_sync
from juggle_pool import ProcessPoolExecutor, process_chunk, wait_for
from juggle_spawn import assert_spawning, spawning
from juggle_sync import HELD_COUNTS, RLock

_shm = None  # the JavaScript side (shared-memory.js), set by install()

# typecode -> (the ctypes name CPython shows, bytes, signed integer bits or None for a float)
_TYPES = {
    "b": ("c_byte", 1, 8, True),
    "B": ("c_ubyte", 1, 8, False),
    "h": ("c_short", 2, 16, True),
    "H": ("c_ushort", 2, 16, False),
    "i": ("c_int", 4, 32, True),
    "I": ("c_uint", 4, 32, False),
    "l": ("c_long", 8, 64, True),
    "L": ("c_ulong", 8, 64, False),
    "q": ("c_long", 8, 64, True),
    "Q": ("c_ulong", 8, 64, False),
    "f": ("c_float", 4, None, None),
    "d": ("c_double", 8, None, None),
}


def _typecode(typecode_or_type):
    code = getattr(typecode_or_type, "_type_", typecode_or_type)
    if not isinstance(code, str) or code not in _TYPES:
        raise TypeError(
            f"multiprocessing in the browser's Python: unknown typecode {typecode_or_type!r}; it knows "
            + ", ".join(repr(c) for c in _TYPES)
            + " (or a ctypes type with one of them)"
        )
    return code


def _convert(code, value):
    _name, _size, bits, signed = _TYPES[code]
    if bits is None:
        if not isinstance(value, (int, float)):
            raise TypeError(f"must be real number, not {type(value).__name__}")
        return float(value)
    if not isinstance(value, int):
        raise TypeError(f"int expected instead of {type(value).__name__}")
    value = int(value) % (1 << bits)  # C's wrap-around, as ctypes stores it
    if signed and value >= 1 << (bits - 1):
        value -= 1 << bits
    return value


class _Cell:
    """A place in shared memory: which heap, where, what type, how many items."""

    __slots__ = ("_float", "_get", "_set", "code", "heap", "length", "offset")

    def __init__(self, heap, offset, code, length):
        self.heap, self.offset, self.code, self.length = heap, offset, code, length
        place = _shm.cell(heap, code, offset)
        self._get, self._set = place.get, place.set  # kept: one call each, no lookup (shared-memory.js)
        self._float = _TYPES[code][2] is None

    @classmethod
    def new(cls, code, length):
        heap, offset = juggle_sync.alloc(_TYPES[code][1] * max(1, length))
        return cls(heap, offset, code, length)

    def get(self, index):
        value = self._get(index)
        return float(value) if self._float else int(value)

    def set(self, index, value):
        self._set(index, _convert(self.code, value))

    def state(self):
        # A process's view of the parent's heap is `run` too; its own objects never leave it.
        return (self.heap, self.offset, self.code, self.length)

    def __reduce__(self):
        return _Cell, self.state()


_raw_classes = {}


def _raw_value_class(code):
    name = _TYPES[code][0]
    if name not in _raw_classes:
        _raw_classes[name] = type(name, (_RawValue,), {"__module__": "multiprocessing.sharedctypes"})
    return _raw_classes[name]


class _RawValue:
    """A ctypes-like scalar in shared memory (RawValue, or a Value's object)."""

    def __init__(self, cell):
        self._cell = cell

    @property
    def value(self):
        return self._cell.get(0)

    @value.setter
    def value(self, value):
        self._cell.set(0, value)

    def __repr__(self):
        return f"{type(self).__name__}({self.value!r})"

    def __reduce__(self):
        assert_spawning(self)
        return _rebuild_raw_value, self._cell.state()


def _rebuild_raw_value(heap, offset, code, length):
    return _raw_value_class(code)(_Cell(heap, offset, code, length))


class _RawArray:
    """A ctypes-like array in shared memory (RawArray, or an Array's object)."""

    def __init__(self, cell):
        self._cell = cell

    def __len__(self):
        return self._cell.length

    def _index(self, index):
        if not isinstance(index, int):
            raise TypeError("indices must be integers")
        if index < 0:
            index += self._cell.length
        if not 0 <= index < self._cell.length:
            raise IndexError("invalid index")
        return index

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._cell.get(i) for i in range(*index.indices(self._cell.length))]
        return self._cell.get(self._index(index))

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            places = range(*index.indices(self._cell.length))
            values = list(value)
            if len(values) != len(places):
                raise ValueError("Can only assign sequence of same size")
            for i, v in zip(places, values):
                self._cell.set(i, v)
            return
        self._cell.set(self._index(index), value)

    def __iter__(self):
        return iter(self[:])

    def __repr__(self):
        return f"<{_TYPES[self._cell.code][0]}_Array_{self._cell.length} {self[:]!r}>"

    def __reduce__(self):
        assert_spawning(self)
        return _rebuild_raw_array, self._cell.state()


def _rebuild_raw_array(heap, offset, code, length):
    return _RawArray(_Cell(heap, offset, code, length))


class Synchronized:
    """A Value: a shared scalar with a lock (CPython's multiprocessing.sharedctypes.Synchronized)."""

    def __init__(self, obj, lock=None):
        self._obj = obj
        self._lock = lock if lock is not None else RLock()
        self.acquire = self._lock.acquire
        self.release = self._lock.release
        self._held_key = self._lock.place if isinstance(self._lock, RLock) else None

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def get_obj(self):
        return self._obj

    def get_lock(self):
        return self._lock

    def _mine(self):
        """True when this interpreter already holds the Value's RLock (``with v.get_lock(): v.value += 1``):
        then taking it again and releasing it would change nothing, and each access skips both."""
        key = self._held_key  # as cheap as a dict lookup: this runs on every .value (the speedup twin's)
        return key is not None and HELD_COUNTS.get(key, 0) > 0

    @property
    def value(self):
        if self._mine():
            return self._obj.value
        with self._lock:
            return self._obj.value

    @value.setter
    def value(self, value):
        if self._mine():
            self._obj.value = value
            return
        with self._lock:
            self._obj.value = value

    def __reduce__(self):
        assert_spawning(self)
        return type(self), (self._obj, self._lock)

    def __repr__(self):
        return f"<{type(self).__name__} wrapper for {self._obj!r}>"


class SynchronizedArray(Synchronized):
    """An Array: a shared array with a lock (CPython's multiprocessing.sharedctypes.SynchronizedArray)."""

    def __len__(self):
        return len(self._obj)

    def __getitem__(self, i):
        with self._lock:
            return self._obj[i]

    def __setitem__(self, i, value):
        with self._lock:
            self._obj[i] = value

    def __iter__(self):
        return iter(self[:])

    @property
    def value(self):
        raise AttributeError("'SynchronizedArray' object has no attribute 'value'")


def RawValue(typecode_or_type, *args):
    """A shared scalar with no lock."""
    code = _typecode(typecode_or_type)
    value = _raw_value_class(code)(_Cell.new(code, 1))
    if args:
        value.value = args[0]
    return value


def RawArray(typecode_or_type, size_or_initializer):
    """A shared array with no lock: a size (zeros) or the items."""
    code = _typecode(typecode_or_type)
    if isinstance(size_or_initializer, int):
        if size_or_initializer < 0:
            raise ValueError("array size must be non-negative")
        return _RawArray(_Cell.new(code, size_or_initializer))
    items = list(size_or_initializer)
    array = _RawArray(_Cell.new(code, len(items)))
    array[:] = items
    return array


def _wrap(obj, lock, kind):
    if lock is False:
        return obj
    if lock in (True, None):
        lock = RLock()
    if not hasattr(lock, "acquire"):
        raise AttributeError(f"{lock!r} has no method 'acquire'")
    return kind(obj, lock)


def Value(typecode_or_type, *args, lock=True):
    """A shared scalar, with a lock unless ``lock=False`` (CPython's default lock is an RLock)."""
    return _wrap(RawValue(typecode_or_type, *args), lock, Synchronized)


def Array(typecode_or_type, size_or_initializer, *, lock=True):
    """A shared array, with a lock unless ``lock=False``."""
    return _wrap(RawArray(typecode_or_type, size_or_initializer), lock, SynchronizedArray)


# ----------------------------------------------------------------------------------------------------------
# Pool
# ----------------------------------------------------------------------------------------------------------

_RUN, _CLOSE, _TERMINATE = "RUN", "CLOSE", "TERMINATE"


class AsyncResult:
    """The result of ``apply_async``: ``get``, ``wait``, ``ready``, ``successful``."""

    def __init__(self, futures, combine, callback=None, error_callback=None):
        self._futures = futures
        self._combine = combine
        self._callback = callback
        self._error_callback = error_callback
        self._settled = False
        for future in futures:
            future.add_done_callback(self._one_done)

    def _one_done(self, _future):
        if self._settled or not all(f.done() for f in self._futures):
            return
        self._settled = True
        error = next((f.exception(0) for f in self._futures if f.exception(0) is not None), None)
        if error is not None:
            if self._error_callback:
                self._error_callback(error)
        elif self._callback:
            self._callback(self._combine([f.result(0) for f in self._futures]))

    def ready(self):
        return all(f.done() for f in self._futures)

    def successful(self):
        if not self.ready():
            raise ValueError(f"{self!r} not ready")
        return all(f.exception(0) is None for f in self._futures)

    def wait(self, timeout=None):
        wait_for(self.ready, timeout)

    def get(self, timeout=None):
        if not wait_for(self.ready, timeout):
            raise multiprocessing.TimeoutError()
        for f in self._futures:
            error = f.exception(0)
            if error is not None:
                raise error
        return self._combine([f.result(0) for f in self._futures])


MapResult = ApplyResult = AsyncResult


class Pool:
    """multiprocessing.Pool: ``processes`` processes started at once, each a separate interpreter."""

    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None, context=None):
        if processes is None:
            processes = os.process_cpu_count() or 1
        if not isinstance(processes, int) or processes < 1:
            raise ValueError("Number of processes must be at least 1")
        if maxtasksperchild is not None and (not isinstance(maxtasksperchild, int) or maxtasksperchild <= 0):
            raise ValueError("maxtasksperchild must be a positive int or None")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._state = _RUN
        with spawning():  # initargs reach the processes by inheritance, as in CPython
            self._executor = ProcessPoolExecutor(
                processes, initializer=initializer, initargs=initargs, max_tasks_per_child=maxtasksperchild
            )
        self._executor.name_processes("SpawnPoolWorker")
        self._processes = processes
        self._executor.start_all(processes)

    # ----- submitting -----

    def _check_running(self):
        if self._state != _RUN:
            raise ValueError("Pool not running")

    def apply_async(self, func, args=(), kwds=None, callback=None, error_callback=None):
        self._check_running()
        future = self._executor.submit(func, *args, **(kwds or {}))
        return AsyncResult([future], lambda results: results[0], callback, error_callback)

    def apply(self, func, args=(), kwds=None):
        return self.apply_async(func, args, kwds).get()

    def _chunks(self, iterable, chunksize):
        items = list(iterable)
        if chunksize is None:
            chunksize, extra = divmod(len(items), self._processes * 4)
            if extra:
                chunksize += 1
        if len(items) == 0:
            chunksize = 0
        elif not isinstance(chunksize, int) or chunksize < 1:
            raise ValueError(f"Chunksize must be 1+, not {chunksize:n}")
        return [items[i : i + chunksize] for i in range(0, len(items), chunksize)] if items else []

    def _map_async(self, func, iterable, chunksize, star, callback, error_callback):
        self._check_running()
        chunks = self._chunks(iterable, chunksize)
        if not star:
            chunks = [[(item,) for item in chunk] for chunk in chunks]
        futures = [self._executor.submit(functools.partial(process_chunk, func), chunk) for chunk in chunks]
        return AsyncResult(
            futures, lambda results: list(itertools.chain.from_iterable(results)), callback, error_callback
        )

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, chunksize, False, callback, error_callback)

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, chunksize, True, callback, error_callback)

    def map(self, func, iterable, chunksize=None):
        return self.map_async(func, iterable, chunksize).get()

    def starmap(self, func, iterable, chunksize=None):
        return self.starmap_async(func, iterable, chunksize).get()

    def imap(self, func, iterable, chunksize=1):
        self._check_running()
        results = [self.map_async(func, chunk, len(chunk)) for chunk in self._chunks(iterable, chunksize)]
        for result in results:
            yield from result.get()

    def imap_unordered(self, func, iterable, chunksize=1):
        self._check_running()
        pending = [self.map_async(func, chunk, len(chunk)) for chunk in self._chunks(iterable, chunksize)]
        while pending:
            wait_for(lambda: any(r.ready() for r in pending))
            for result in [r for r in pending if r.ready()]:
                pending.remove(result)
                yield from result.get()

    # ----- ending -----

    def close(self):
        if self._state == _RUN:
            self._state = _CLOSE

    def terminate(self):
        self._state = _TERMINATE
        self._executor.terminate()

    def join(self):
        if self._state == _RUN:
            raise ValueError("Pool is still running")
        if self._state == _CLOSE:
            self._executor.shutdown(wait=True)

    def __enter__(self):
        self._check_running()
        return self

    def __exit__(self, *exc):
        self.terminate()

    def __repr__(self):
        return f"<multiprocessing.pool.Pool state={self._state} pool_size={self._processes}>"


# ----------------------------------------------------------------------------------------------------------
# Process
# ----------------------------------------------------------------------------------------------------------

# This run's started Processes that were not joined yet (CPython's multiprocessing.process._children): the
# program's end joins the non-daemon ones and ends the daemons, as CPython's atexit hook does.
_started = []


def _process_run(name, target, args, kwargs):
    """A Process's body, in its process: run the target; an exception is printed, as CPython does."""
    juggle_spawn.set_process_name(name)
    try:
        if target is not None:
            target(*args, **kwargs)
        return 0
    except SystemExit as stop:
        code = stop.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except BaseException as error:  # noqa: BLE001 - CPython's Process prints whatever its target raised
        # As CPython's BaseProcess._bootstrap: the process's name, then the traceback, on stderr (without
        # this function's frame, as CPython's shows the target's frames under its own _bootstrap and run).
        sys.stdout.flush()
        sys.stderr.write(f"Process {name}:\n")
        traceback.print_exception(type(error), error, error.__traceback__.tb_next, file=sys.stderr)
        sys.stderr.flush()
        return 1


def _reap():
    """Ends the processes of started Processes that have finished (their slot under the cap frees)."""
    for process in list(_started):
        if process._future is not None and process._future.done():
            process._executor.shutdown(wait=False)
            _started.remove(process)


def _make_room():
    """Before a Process starts: when the run already has as many processes as the Lab allows at once, waits
    for a started Process to end (CPython would start it at once; the Lab caps processes, see process_cap)."""
    _reap()
    cap = juggle_pool.process_cap()
    if juggle_pool.live_processes() < cap or not any(p.is_alive() for p in _started):
        return

    def room():
        _reap()
        return juggle_pool.live_processes() < cap

    wait_for(room, label=f"Process.start(): waiting for one of the {cap} processes the Lab runs at once to end")


def exit_function():
    """The program has ended: its non-daemon Processes are joined and its daemons ended, as CPython's
    multiprocessing does at exit (a program that starts Processes without joining them sees their output)."""
    started = _started.copy()  # joining one takes it out of _started
    for process in started:
        if process.daemon:
            process.terminate()
    for process in started:
        if not process.daemon:
            process.join()
    _started.clear()


def active_children():
    """multiprocessing.active_children(): the started Processes still running (finished ones are joined)."""
    _reap()
    return [p for p in _started if p.is_alive()]


class Process:
    """multiprocessing.Process: ``target(*args, **kwargs)`` in a new process (its own interpreter)."""

    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None):
        if group is not None:
            raise AssertionError("group argument must be None for now")
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs or {})
        self.name = name or f"Process-{juggle_spawn.next_identity()}"
        self.daemon = bool(daemon)
        self._executor = None
        self._future = None
        self._pid = None
        self._terminated = False

    def run(self):
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    def start(self):
        if self._executor is not None:
            raise AssertionError("cannot start a process twice")
        juggle_pool.check_can_start()
        _make_room()
        executor = ProcessPoolExecutor(1)
        executor.name_processes("Process", self.name)
        with spawning():  # the target and its args reach the process by inheritance
            payload = pickle.dumps((_process_run, (self.name, self._target, self._args, self._kwargs), {}))
        self._executor = executor
        self._future = executor.submit_payload(payload, getattr(self._target, "__qualname__", "run"))
        self._pid = next(iter(executor.pids()), None)
        _started.append(self)

    def join(self, timeout=None):
        if self._executor is None:
            raise AssertionError("can only join a started process")
        if self._terminated:
            return
        if wait_for(self._future.done, timeout, label=f"{self.name}.join(): waiting for the process to finish"):
            self._executor.shutdown(wait=False)
            if self in _started:
                _started.remove(self)

    def is_alive(self):
        return self._executor is not None and not self._terminated and not self._future.done()

    @property
    def exitcode(self):
        if self._terminated:
            return -15
        if self._future is None or not self._future.done():
            return None
        if self._future.exception(0) is not None:
            return 1
        return self._future.result(0)

    @property
    def pid(self):
        return self._pid

    ident = pid

    def terminate(self):
        if self._executor is not None and not self._future.done():
            self._terminated = True
            self._executor.terminate()
        if self in _started:
            _started.remove(self)

    kill = terminate

    def close(self):
        if self.is_alive():
            raise ValueError(
                "Cannot close a process while it is still running. You should first call join() or terminate()."
            )

    def __repr__(self):
        state = "initial" if self._executor is None else ("started" if self.is_alive() else "stopped")
        return f"<Process name={self.name!r} {state}>"


def _forget_run():
    """A new run: no Process of it is started yet."""
    _started.clear()


NAMES = ("Pool", "Process", "Value", "Array", "RawValue", "RawArray")
SYNC_NAMES = ("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "Condition", "Barrier")
QUEUE_NAMES = ("Queue", "JoinableQueue", "SimpleQueue", "Pipe")


def install(shm):
    """Puts these in place of CPython's multiprocessing (after juggle_sandbox.py refused all of it)."""
    global _shm
    _shm = shm
    juggle_sync.install(shm)
    juggle_pool.on_new_run(_forget_run)
    import multiprocessing
    import multiprocessing.context

    here = sys.modules[__name__]
    things = {name: getattr(here, name) for name in NAMES}
    things.update({name: getattr(juggle_sync, name) for name in SYNC_NAMES})
    things.update({name: getattr(juggle_queues, name) for name in QUEUE_NAMES})
    things["Manager"] = juggle_managers.SyncManager
    for name, thing in things.items():
        setattr(multiprocessing, name, thing)
        if name != "Process":
            setattr(multiprocessing.context.BaseContext, name, _context_method(thing))
    for context in vars(multiprocessing.context).values():  # SpawnContext.Process is SpawnProcess, ...
        if isinstance(context, type) and issubclass(context, multiprocessing.context.BaseContext):
            context.Process = Process
    multiprocessing.active_children = active_children
    multiprocessing.context.BaseContext.active_children = staticmethod(active_children)
    juggle_spawn.install_os()
    # multiprocessing's submodules, where they import (most need _multiprocessing, which Pyodide lacks).
    names = {
        "sharedctypes": {n: getattr(here, n) for n in ("Value", "Array", "RawValue", "RawArray")}
        | {"Synchronized": Synchronized, "SynchronizedArray": SynchronizedArray},
        "synchronize": {n: getattr(juggle_sync, n) for n in SYNC_NAMES},
        "queues": {n: getattr(juggle_queues, n) for n in ("Queue", "JoinableQueue", "SimpleQueue")},
        "connection": {"Pipe": juggle_queues.Pipe, "Connection": juggle_queues.Connection},
        "managers": {"SyncManager": juggle_managers.SyncManager},
    }
    for module, values in names.items():
        try:
            submodule = importlib.import_module(f"multiprocessing.{module}")
        except ImportError:
            continue
        for name, value in values.items():
            setattr(submodule, name, value)


def _context_method(thing):
    """``multiprocessing.get_context("spawn").Queue()`` and the like: the same things, without the context."""

    def method(self, *args, **kwargs):
        return thing(*args, **kwargs)

    method.__name__ = getattr(thing, "__name__", "method")
    return method
