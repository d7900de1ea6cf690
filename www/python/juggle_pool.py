"""A process pool for the browser's Python: ``concurrent.futures.ProcessPoolExecutor`` as CPython has it
with the "spawn" start method, each worker process a separate interpreter (Pyodide) in a Web Worker of its
own, with its own memory.

- Processes start on demand (a task and no idle process: one more, up to ``max_workers``, which defaults
  to ``os.process_cpu_count()``, the browser's ``navigator.hardwareConcurrency``); each runs the program as
  ``__mp_main__`` first (so ``if __name__ == "__main__":`` keeps it from starting pools of its own, and the
  functions pickled by reference resolve), then the pool's ``initializer``.
- A task travels as ``pickle.dumps((fn, args, kwargs))``; its result comes back pickled, and so does an
  exception, re-raised in the parent with the child's traceback as its ``__cause__`` (CPython's
  ``_RemoteTraceback``). A child that cannot start (its copy of the program raised) breaks the pool:
  ``BrokenProcessPool``, as in CPython.
- Results cross in shared memory (python-worker.js, pool-worker.js): each child writes into a mailbox of its
  own and rings a doorbell. A blocking wait (``future.result()``, ``pool.map``, leaving a ``with`` block,
  ``concurrent.futures.wait`` and ``as_completed``) holds this interpreter's thread on that doorbell
  (``Atomics.wait``, recorded as a ``blocked`` span); awaiting (``loop.run_in_executor``,
  ``asyncio.wrap_future``) leaves the event loop free, the results arriving through ``Atomics.waitAsync``.
- What each child did is recorded on a lane of its own (``process-N``): its start-up (``startup``), each
  call (``cpu``; ``blocked`` for a ``time.sleep`` inside it), its printed lines. Every child ends with the
  run (Stop included).

This module runs in both kinds of interpreter: ``install_parent`` in the page's interpreter, the
``child_*`` functions in a pool's process.
"""

import collections
import concurrent.futures as _cf
import functools
import itertools
import linecache
import os
import pickle
import sys
import time
import traceback
import typing
from concurrent.futures import _base

import juggle_spawn
import juggle_streams

try:
    from pyodide.ffi import to_js
except ImportError:  # pragma: no cover - outside Pyodide (a syntax check with python3)
    to_js = bytes

try:
    from concurrent.futures.process import BrokenProcessPool, _RemoteTraceback
except ImportError:  # pragma: no cover - the stdlib module imports in Pyodide 314

    class BrokenProcessPool(_base.BrokenExecutor):
        """Raised when a process in a ProcessPoolExecutor terminated abruptly."""

    class _RemoteTraceback(Exception):
        def __init__(self, tb):
            self.tb = tb

        def __str__(self):
            return self.tb


LANE_PREFIX = "process-"
WAITING = "waiting for the process pool"
STARTING = "waiting for the pool's processes to start"


def _rebuild_exc(exc, tb):
    exc.__cause__ = _RemoteTraceback(tb)
    return exc


class _ExceptionWithTraceback:
    """An exception pickled with its traceback as text (CPython's concurrent.futures.process does the same)."""

    def __init__(self, exc, tb_text):
        self.exc = exc
        self.exc.__traceback__ = None
        self.tb = f'\n"""\n{tb_text}"""'

    def __reduce__(self):
        return _rebuild_exc, (self.exc, self.tb)


def process_chunk(fn, chunk):
    """One chunk of ``pool.map``: the results of ``fn`` on each argument tuple (as CPython's helper)."""
    return [fn(*args) for args in chunk]


def _task_name(fn):
    if isinstance(fn, functools.partial) and fn.func is process_chunk and fn.args:
        fn = fn.args[0]
    return getattr(fn, "__qualname__", None) or type(fn).__name__


# ----------------------------------------------------------------------------------------------------------
# The parent: the page's interpreter
# ----------------------------------------------------------------------------------------------------------

_host = None  # the JavaScript side (python-worker.js: juggle_pool_host)
_tracer_ref = lambda: None
_pools = []  # this run's pools
_events = {"spans": [], "output": [], "processes": []}
_next_lane = [1]
_run_hooks = []  # called as each run begins (on_new_run)


class _Future(_cf.Future):
    """A future whose blocking waits wait for the pool's processes (this interpreter has one thread)."""

    def result(self, timeout=None):
        if not wait_for(self.done, timeout):
            raise TimeoutError()
        return super().result(0)

    def exception(self, timeout=None):
        if not wait_for(self.done, timeout):
            raise TimeoutError()
        return super().exception(0)


def wait_for(done, timeout=None, label=WAITING):
    """Holds this thread until ``done()`` (results harvested as they come) or ``timeout`` seconds."""
    if done():
        return True
    _harvest()
    if done():
        return True
    start = _host.now()
    deadline = None if timeout is None else start + max(0.0, timeout) * 1000
    with _host.released(label):
        return _wait_until(done, deadline, label, start)


def _wait_until(done, deadline, label, shown_from):
    """``wait_for``'s loop, woken by each message of a process. The wait is drawn as blocked here, except
    where the host parked only this thread (other threads lived): the threads' lanes draw that part, with
    the GIL given up."""
    now = _host.now
    try:
        while True:
            left = -1 if deadline is None else deadline - now()
            if deadline is not None and left <= 0:
                return False
            if not results_due():
                raise BrokenProcessPool("the pool has no process left to wait for")
            before = now()
            if _host.wait(left, label):
                _blocked(label, shown_from, before)
                shown_from = now()
            if _host.take_interrupt():
                raise KeyboardInterrupt
            _harvest()
            if done():
                return True
    finally:
        _blocked(label, shown_from, now())


def _blocked(label, start, end):
    tracer = _tracer_ref()
    if tracer is not None and end > start:
        tracer.blocked(label, start, end)


def results_due():
    """True while a process of this run is starting or running a task: results are due (the event loop
    listens for them)."""
    return any(pool._running or pool._starting() for pool in _pools)


def live_processes():
    """How many processes this run has now (every pool's, and every started multiprocessing.Process's)."""
    return sum(len(pool._children) for pool in _pools)


def now_ms():
    """This interpreter's clock in ms (the host's)."""
    return _host.now() if _host is not None else time.monotonic() * 1000.0


def take_interrupt():
    """True once when Stop was asked (the host's interrupt, taken)."""
    return bool(_host is not None and _host.take_interrupt())


def check_can_start():
    """CPython's refusals before a process starts: in a process still running its copy of the program (no
    ``__main__`` guard), CPython's bootstrapping error; in any other process, the Lab's limit."""
    juggle_spawn.check_not_importing_main()
    if juggle_spawn.in_child():
        raise RuntimeError(
            "a process of the browser's process pool cannot start processes of its own: only the page's "
            "interpreter (the program's main process) starts them here"
        )


def _harvest():
    """Takes every result the processes have written and settles its future."""
    for child, data in _host.poll():
        raw = data.to_bytes()
        # A process that could not even load its interpreter says why as text ("!" and the reason).
        message = ("broken", raw[1:].decode(errors="replace"), 0, [], []) if raw[:1] == b"!" else pickle.loads(raw)
        for pool in _pools:
            if child in pool._children:
                pool._message(child, message)
                break


def on_doorbell():
    """Called by the JavaScript side (Atomics.waitAsync) when a process rang while the loop was free."""
    try:
        _harvest()
    finally:
        if results_due():
            _host.arm()


def process_cap():
    """The most processes a run may have at once: two per core of this machine (``os.process_cpu_count()``,
    the browser's ``navigator.hardwareConcurrency``). Each is a whole interpreter in a Worker (about 30 MB);
    more than this only share the same cores, and a hundred of them took gigabytes of memory (issue #28)."""
    return 2 * (os.process_cpu_count() or 1)


def _too_many(asked):
    cores = os.process_cpu_count() or 1
    return (
        f"this page runs at most {process_cap()} processes at once (two per core; this machine has {cores}), "
        f"and {asked} were asked for: each process is a whole Python interpreter of about 30 MB. "
        f"Use fewer processes, at most {process_cap()}"
    )


class ProcessPoolExecutor(_base.Executor):
    """concurrent.futures.ProcessPoolExecutor, each process a separate interpreter in a Web Worker."""

    def __init__(self, max_workers=None, mp_context=None, initializer=None, initargs=(), *, max_tasks_per_child=None):
        check_can_start()
        if _host is None or not _host.available():
            raise NotImplementedError(
                "A process pool is not available here: the browser's process pool needs shared memory "
                "(a cross-origin isolated page) to wait for its processes"
            )
        if max_workers is None:
            max_workers = os.process_cpu_count() or 1
        elif max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        elif max_workers > process_cap():
            raise ValueError(_too_many(max_workers))
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        if max_tasks_per_child is not None:
            if not isinstance(max_tasks_per_child, int):
                raise TypeError("max_tasks_per_child must be an integer")
            if max_tasks_per_child <= 0:
                raise ValueError("max_tasks_per_child must be >= 1")
        self._max_workers = max_workers
        # The initializer reaches each process as it starts: inheritance (a shared Value may go in initargs).
        with juggle_spawn.spawning():
            self._initializer = pickle.dumps((initializer, tuple(initargs))) if initializer else None
        self._max_tasks_per_child = max_tasks_per_child
        self.name_processes("SpawnProcess")
        self._children = {}  # child id -> {"lane", "tasks", "idle"}
        self._pending = collections.deque()
        self._running = {}  # child id -> (task id, future)
        self._ids = itertools.count(1)
        self._shutdown = False
        self._broken = None
        self._broken_cause = None  # the process's own traceback, when one could not start
        _pools.append(self)

    def submit(self, fn, /, *args, **kwargs):
        if self._broken:
            raise BrokenProcessPool(self._broken) from self._broken_cause
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        try:
            payload = pickle.dumps((fn, args, kwargs))
        except Exception as error:  # noqa: BLE001 - CPython's submit fails the future, not the call
            future = _Future()
            future.set_exception(error)
            return future
        return self.submit_payload(payload, _task_name(fn))

    def submit_payload(self, payload, name):
        """A task already pickled (a Process's target, pickled as it starts)."""
        future = _Future()
        self._pending.append((next(self._ids), payload, future, name))
        self._dispatch()
        return future

    def start_all(self, count):
        """Starts ``count`` processes now and waits until each is ready (multiprocessing.Pool)."""
        while len(self._children) < min(count, self._max_workers):
            self._spawn()
        wait_for(lambda: self._broken or not self._starting(), label=STARTING)
        if self._broken:
            raise BrokenProcessPool(self._broken) from self._broken_cause

    def pids(self):
        """The pids of this pool's processes (``os.getpid()`` in each)."""
        return [juggle_spawn.pid_of(child) for child in self._children]

    def _starting(self):
        return any(not info["started"] for info in self._children.values())

    def terminate(self):
        """Ends every process now, whatever it is doing (multiprocessing's terminate)."""
        self._shutdown = True
        while self._pending:
            self._pending.popleft()[2].cancel()
        for _child, (_task, future) in list(self._running.items()):
            future.set_exception(BrokenProcessPool("the pool was terminated while the task ran"))
        self._running.clear()
        self._end_children()

    def map(self, fn, *iterables, timeout=None, chunksize=1, **kwargs):
        if chunksize < 1:
            raise ValueError("chunksize must be >= 1.")
        results = super().map(
            functools.partial(process_chunk, fn),
            itertools.batched(zip(*iterables), chunksize),
            timeout=timeout,
            **kwargs,
        )
        return itertools.chain.from_iterable(results)

    def shutdown(self, wait=True, *, cancel_futures=False):
        if cancel_futures:
            while self._pending:
                self._pending.popleft()[2].cancel()
        self._shutdown = True
        if wait:
            wait_for(lambda: not self._running and not self._pending)
            self._end_children()
        else:
            self._end_idle()

    # ----- the processes -----

    def _dispatch(self):
        while self._pending and not self._broken:
            child = next((c for c, info in self._children.items() if info["idle"]), None)
            if child is None:
                if len(self._children) >= self._max_workers:
                    break
                child = self._spawn()
            task_id, payload, future, name = self._pending.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            self._children[child]["idle"] = False
            self._running[child] = (task_id, future)
            _host.send(child, task_id, to_js(payload), name)
        if self._running:
            _host.arm()
        if self._shutdown:
            self._end_idle()

    def name_processes(self, kind, name=None):
        """How this pool's processes are named, as CPython names them: ``kind``-N, N counted per run
        (``SpawnProcess`` for a ProcessPoolExecutor's, ``SpawnPoolWorker`` for a multiprocessing.Pool's), or
        ``name`` (a Process's pool of one names its process after the Process)."""
        self._process_kind = kind
        self._process_name = name

    def _spawn(self):
        live = live_processes()
        if live >= process_cap():
            raise RuntimeError(_too_many(live + 1))
        lane = f"{LANE_PREFIX}{_next_lane[0]}"
        _next_lane[0] += 1
        name = self._process_name or f"{self._process_kind}-{juggle_spawn.next_identity()}"
        child = _host.spawn(lane, None if self._initializer is None else to_js(self._initializer), name)
        self._children[child] = {"lane": lane, "tasks": 0, "idle": True, "started": False}
        return child

    def _message(self, child, message):
        kind = message[0]
        info = self._children[child]
        _record(info["lane"], message[-3], message[-2], message[-1])
        if kind == "ready":
            info["started"] = True
            return
        if kind == "broken":
            reason = "A process in the process pool was terminated abruptly while the future was running or pending."
            if juggle_spawn.is_bootstrap_error(message[1]):
                reason = f"{reason} Its process could not start: {juggle_spawn.GUARD_MISSING}"
            self._broken = reason
            cause = self._broken_cause = _RemoteTraceback(f'\n"""\n{message[1]}"""')
            for _task, future in list(self._running.values()):
                error = BrokenProcessPool(reason)
                error.__cause__ = cause
                future.set_exception(error)
            self._running.clear()
            while self._pending:
                error = BrokenProcessPool(reason)
                error.__cause__ = cause
                self._pending.popleft()[2].set_exception(error)
            self._end_children()
            return
        _, _task_id, ok, data = message[:4]
        running = self._running.pop(child, None)
        info["idle"] = True
        info["tasks"] += 1
        if running is not None:
            _, future = running
            try:
                value = pickle.loads(data)
            except BaseException as error:  # noqa: BLE001 - an unpickling failure is the future's
                future.set_exception(error)
            else:
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
        if self._max_tasks_per_child and info["tasks"] >= self._max_tasks_per_child:
            _host.end(child)
            del self._children[child]
        self._dispatch()

    def _end_idle(self):
        if self._pending:
            return
        for child in [c for c, info in self._children.items() if info["idle"]]:
            _host.end(child)
            del self._children[child]

    def _end_children(self):
        for child in list(self._children):
            _host.end(child)
        self._children.clear()


def _record(lane, memory, spans, lines):
    known = next((p for p in _events["processes"] if p["lane"] == lane), None)
    if known is None:
        _events["processes"].append({"lane": lane, "memory_bytes": int(memory)})
    else:
        known["memory_bytes"] = max(known["memory_bytes"], int(memory))
    for kind, task, label, start, end in spans:
        _events["spans"].append(
            {"lane": lane, "task": task, "kind": kind, "label": label, "start_abs": start, "end_abs": end}
        )
    for t, task, text, stream in lines:
        _events["output"].append({"t_abs": t, "task": task, "text": text, "stream": stream})


def _pumping_wait(fs, timeout=None, return_when=_cf.ALL_COMPLETED):
    fs = set(fs)
    if any(isinstance(f, _Future) for f in fs):

        def finished():
            done = [f for f in fs if f.done()]
            if return_when == _cf.FIRST_COMPLETED:
                return bool(done)
            if return_when == _cf.FIRST_EXCEPTION and any(
                not f.cancelled() and f.exception(0) is not None for f in done
            ):
                return True
            return len(done) == len(fs)

        wait_for(finished, timeout)
        timeout = 0
    return _original_wait(fs, timeout=timeout, return_when=return_when)


def _pumping_as_completed(fs, timeout=None):
    fs = set(fs)
    if not any(isinstance(f, _Future) for f in fs):
        yield from _original_as_completed(fs, timeout)
        return
    deadline = None if timeout is None else _host.now() + timeout * 1000
    pending = set(fs)
    while pending:
        done = {f for f in pending if f.done()}
        pending -= done
        yield from done
        if pending:
            left = None if deadline is None else max(0.0, (deadline - _host.now()) / 1000)
            if not wait_for(functools.partial(_any_done, pending), left):
                raise TimeoutError(f"{len(pending)} (of {len(fs)}) futures unfinished")


def _any_done(futures):
    return any(f.done() for f in futures)


_original_wait = _cf.wait
_original_as_completed = _cf.as_completed


def _run_in_executor(original):
    def run_in_executor(self, executor, func, *args):
        if isinstance(executor, ProcessPoolExecutor):
            import asyncio

            return asyncio.wrap_future(executor.submit(func, *args), loop=self)
        return original(self, executor, func, *args)

    return run_in_executor


def install_parent(host, tracer_ref, loop_class):
    """Puts this pool in place of CPython's in the page's interpreter."""
    global _host, _tracer_ref
    _host = host
    _tracer_ref = tracer_ref
    juggle_spawn.install_os()
    _cf.ProcessPoolExecutor = ProcessPoolExecutor
    try:
        from concurrent.futures import process

        process.ProcessPoolExecutor = ProcessPoolExecutor
    except ImportError:
        pass
    _cf.wait = _base.wait = _pumping_wait
    _cf.as_completed = _base.as_completed = _pumping_as_completed
    loop_class.run_in_executor = _run_in_executor(loop_class.run_in_executor)
    cores = int(host.cores) or 1
    os.cpu_count = lambda: cores
    os.process_cpu_count = lambda: cores


def on_new_run(hook):
    """``hook()`` is called as each run begins (juggle_mp forgets the locks of the last run's heap)."""
    if hook not in _run_hooks:
        _run_hooks.append(hook)


def begin_run():
    """A run starts: no pool, no record."""
    _pools.clear()
    _next_lane[0] = 1
    juggle_spawn.forget_identities()
    for hook in _run_hooks:
        hook()
    for key in _events:
        _events[key] = []


def end_run():
    """A run ends (or was stopped): every process ends with it; returns what the processes recorded."""
    for pool in _pools:
        pool._end_children()
        pool._running.clear()
        pool._pending.clear()
    _pools.clear()
    if _host is not None:
        _host.end_all()
    return _events


# ----------------------------------------------------------------------------------------------------------
# A child: one process of a pool
# ----------------------------------------------------------------------------------------------------------


class _Child:
    spans: typing.ClassVar[list] = []
    lines: typing.ClassVar[list] = []
    task = "start-up"


def child_install(now, memory):
    """Makes this interpreter a pool's process: no pool of its own, its lines (on either stream) and sleeps
    recorded."""
    juggle_spawn.become_child(juggle_spawn.MAIN_PID)  # its own pid comes with the program (child_main_module)
    juggle_spawn.install_os()
    _Child.memory = memory
    _cf.ProcessPoolExecutor = ProcessPoolExecutor
    try:
        from concurrent.futures import process

        process.ProcessPoolExecutor = ProcessPoolExecutor
    except ImportError:
        pass
    _Child.now = now
    recorder = _ChildLines()
    sys.stdout = juggle_streams.LineWriter(juggle_streams.STDOUT, recorder)
    sys.stderr = juggle_streams.LineWriter(juggle_streams.STDERR, recorder)


class _ChildLines:
    """What a process's ``sys.stdout`` and ``sys.stderr`` record into: its lines, sent with each message."""

    def current_name(self):
        return _Child.task

    def line(self, task, text, stream):
        if len(_Child.lines) < 5_000:
            _Child.lines.append((_Child.now(), task, text[:1_000], stream))


def _flush_streams():
    sys.stdout.flush()
    sys.stderr.flush()


def child_blocked(label, start, end):
    """A ``time.sleep`` held this process's thread."""
    _Child.spans.append(("blocked", _Child.task, label, start, end))


def child_main_module(filename, argv, pid=0, name="SpawnProcess"):
    """The module the program runs as in this process: ``__mp_main__``, also ``sys.modules["__main__"]``.
    ``pid`` and ``name``: this process's id (``os.getpid()`` here) and name, given by the page's interpreter."""
    if pid:
        juggle_spawn.become_child(pid, name)
    import types

    main = types.ModuleType("__mp_main__")
    main.__file__ = filename
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = sys.modules["__mp_main__"] = main
    sys.argv = [filename, *argv]
    juggle_spawn.set_bootstrapping(True)
    return main.__dict__


STARTUP_LABELS = {
    "fresh": "interpreter start-up (a new Pyodide)",
    "snapshot": "interpreter start-up (a new Pyodide, from the page's memory snapshot)",
    "ahead": "interpreter start-up (a new Pyodide the page started ahead, before the request, as CPython's "
    "forkserver keeps a server ready; it had run no code)",
}


def child_ready(spawned_at, initializer, loaded_from="fresh"):
    """The program has run as ``__mp_main__``; runs the pool's initializer; records the start-up (from the
    request to ready; ``loaded_from`` says how the interpreter started: ``fresh``, ``snapshot`` or ``ahead``)."""
    try:
        if initializer is not None:
            fn, args = pickle.loads(initializer.to_bytes())
            fn(*args)
    finally:
        juggle_spawn.set_bootstrapping(False)
        _flush_streams()
        _Child.spans.append(
            ("startup", "start-up", STARTUP_LABELS.get(loaded_from, STARTUP_LABELS["fresh"]), spawned_at, _Child.now())
        )


def child_start(code, filename, argv, pid, name, spawned_at, initializer, loaded_from="fresh"):
    """The process proper, as CPython's spawn: the program run as ``__mp_main__``, then the pool's initializer.
    Returns whether it is ready, and the message that says so, or that the pool is broken, with the traceback
    of what raised (formatted here: Pyodide would print it to ``sys.stderr``, here the process's own record)."""
    try:
        main = child_main_module(filename, argv, pid, name)
        # A traceback shows the program's lines, as from a file CPython ran (there is no file here).
        linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
        exec(compile(code, filename, "exec"), main)  # noqa: S102 - the program, run as CPython's spawn runs it
        child_ready(spawned_at, initializer, loaded_from)
    except BaseException as error:  # noqa: BLE001 - whatever the program's copy raised breaks the pool
        return False, child_broken("".join(traceback.format_exception(type(error), error, error.__traceback__.tb_next)))
    return True, child_started()


def child_started():
    """This process is ready (its start-up recorded): the parent's ``Pool()`` waits for it."""
    return _child_message(("ready",))


def child_broken(error_text):
    """The program's copy (or the initializer) raised here: the pool is broken."""
    _flush_streams()
    return _child_message(("broken", error_text))


def _child_message(head):
    message = pickle.dumps((*head, _Child.memory(), _Child.spans, _Child.lines))
    _Child.spans, _Child.lines = [], []
    return to_js(message)


def child_run(task_id, payload, name):
    """Runs one task: unpickles it, calls it, pickles the result (or the exception with its traceback)."""
    _Child.task = name
    start = _Child.now()
    ok = False
    try:
        fn, args, kwargs = pickle.loads(payload.to_bytes())
        result = fn(*args, **kwargs)
        data = pickle.dumps(result)
        ok = True
    except BaseException as error:  # noqa: BLE001 - whatever the task raised goes back to the parent
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__.tb_next))
        try:
            data = pickle.dumps(_ExceptionWithTraceback(error, text))
        except BaseException as unpicklable:  # noqa: BLE001 - an exception pickle cannot carry
            text = "".join(traceback.format_exception(unpicklable))
            data = pickle.dumps(_ExceptionWithTraceback(RuntimeError(str(error)), text))
    end = _Child.now()
    _flush_streams()
    # The call executed from start to end, except while a time.sleep held the thread.
    cursor = start
    for kind, task, _label, s, e in [span for span in _Child.spans if span[0] == "blocked" and span[3] >= start]:
        if s > cursor:
            _Child.spans.append(("cpu", task, f"{name}(…)", cursor, s))
        cursor = max(cursor, e)
    if end > cursor or end == start:
        _Child.spans.append(("cpu", name, f"{name}(…)", cursor, end))
    return _child_message(("done", task_id, ok, data))
