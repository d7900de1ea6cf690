"""The page's interpreter: what python-worker.js calls to set it up and to run one program.

- ``setup(host, pool_host, shm_host)`` once, after Pyodide has loaded: the sandbox, CPython's event loop
  (juggle_loop), a blocking ``time.sleep``, the process pool (juggle_pool) and multiprocessing (juggle_mp);
- ``begin(...)``, ``run(code, filename, globals)`` and ``end()`` for each program. ``run`` is entered from
  JavaScript through a promising call (``callPromising``), so the event loop's wait can park this thread
  with ``pyodide.ffi.run_sync``; it runs the program as CPython's ``python3 file.py`` would (no top-level
  ``await``: asyncio programs call ``asyncio.run``).

``host`` is the worker's JavaScript side (``juggle_host``): ``now()`` in ms, ``sleep(ms)`` (blocks the
thread, woken early by Stop), ``wait(ms)`` (a promise settled after ``ms``, by a process's result, by
``wake()`` or by Stop), ``wait_blocking(ms)`` (the same, holding the thread, where promises cannot be
waited for), ``wake()`` and ``take_interrupt()``.
"""

import asyncio
import builtins
import json
import linecache
import math
import signal
import sys
import time
import traceback
import types

import juggle_loop
import juggle_streams
import juggle_threads
import juggle_trace

_host = None
_tracer = None
_saved_main = None
# Whether the program runs (from its compile to the run's end): a Stop before is raised once it does.
_program_runs = False


def _current_tracer():
    return _tracer


def _current_thread_recorder():
    """The run's recorder of threads and the GIL (juggle_gil), told of every hand-off; None between runs."""
    return _tracer.threads if _tracer is not None else None


def now_ms():
    """The worker's clock in ms: CPython's monotonic clock, which in Pyodide is ``performance.now()``
    (measured equal to within 0.1 ms; read without a call into JavaScript: 3 us against 10 us here)."""
    return time.monotonic() * 1000.0


class _Resumer(asyncio.AbstractEventLoop):
    """The loop ``run_sync`` sees while the event loop's wait parks.

    ``pyodide.ffi.run_sync(promise)`` turns the promise into a future of the current event loop and
    resumes when that future's done callbacks run, which needs a loop that runs while Python is parked:
    with CPython's loop (parked in its own wait) it would never resume (measured: a 50 ms wait never
    returned; with Pyodide's WebLoop as the running loop it returned in 59 ms). This loop runs a callback
    the moment it is scheduled, which is all a future needs of it.
    """

    def call_soon(self, callback, *args, context=None):
        """Runs ``callback(*args)`` now (in ``context``)."""
        if context is None:
            callback(*args)
        else:
            context.run(callback, *args)

    def create_future(self):
        """A future of this loop."""
        return asyncio.Future(loop=self)

    def get_debug(self):
        """Never in debug mode."""
        return False

    def is_closed(self):
        """Never closed."""
        return False

    def call_exception_handler(self, context):
        """A failure in a callback: printed, as asyncio's default handler logs it."""
        print(context.get("message"), context.get("exception"), file=sys.stderr)


_RESUMER = _Resumer()


class _LoopHost:
    """juggle_loop's host: the event loop's wait parks through ``run_sync`` on the worker's promise."""

    def __init__(self, host):
        self.now = now_ms
        self.wake = host.wake
        self.take_interrupt = host.take_interrupt
        self._wait = host.wait
        self._wait_blocking = host.wait_blocking
        try:
            from pyodide.ffi import can_run_sync, run_sync
        except ImportError:  # pragma: no cover - Pyodide has both
            can_run_sync, run_sync = (lambda: False), None
        self._can_run_sync = can_run_sync
        self._run_sync = run_sync

    def park(self, timeout_ms):
        """Holds this thread until ``timeout_ms`` pass (-1: no limit) or an event: through JavaScript's
        promise where the stack can switch (JSPI), else an ``Atomics.wait`` on the same events. While
        other threads live, only this one parks (they run meanwhile)."""
        if juggle_threads.active():
            juggle_threads.wait_external("selector.select", timeout_ms)
            return
        with juggle_threads.released("selector.select"):
            self._park_alone(timeout_ms)

    def _park_alone(self, timeout_ms):
        if self._can_run_sync():
            loop = asyncio.events._get_running_loop()
            asyncio.events._set_running_loop(_RESUMER)
            try:
                self._run_sync(self._wait(timeout_ms))
            finally:
                asyncio.events._set_running_loop(loop)
        else:
            self._wait_blocking(timeout_ms)


class _ThreadHost:
    """juggle_threads' host: stacks started by promising calls, parked through ``run_sync``."""

    def __init__(self, host, thread_host):
        self.now = now_ms
        self.take_interrupt = host.take_interrupt
        self._threads = thread_host
        try:
            from pyodide.ffi import can_run_sync, create_proxy, run_sync
        except ImportError:  # pragma: no cover - Pyodide has them
            can_run_sync, create_proxy, run_sync = (lambda: False), None, None
        self.can_switch = can_run_sync
        self._create_proxy = create_proxy
        self._run_sync = run_sync

    def spawn(self, entry):
        self._threads.spawn(self._create_proxy(entry))

    def waiter(self, timeout_ms, listen_stop, follow=None):
        return self._threads.waiter(timeout_ms, listen_stop, follow)

    def park(self, waiter):
        loop = asyncio.events._get_running_loop()
        asyncio.events._set_running_loop(_RESUMER)
        try:
            self._run_sync(waiter.wait())
        finally:
            asyncio.events._set_running_loop(loop)

    def preempt(self, on, interval_ms):
        self._threads.preempt(on, interval_ms, juggle_threads.PREEMPT_SIGNAL)

    def arm(self, ms):
        self._threads.arm(ms)


class _PoolHost:
    """juggle_pool's host, whose wait for the processes' results parks only the waiting thread while other
    threads live (CPython's ``Future.result`` waits on a Condition, which releases the GIL)."""

    def __init__(self, host):
        self._host = host

    def __getattr__(self, name):
        return getattr(self._host, name)

    def wait(self, ms, label):
        """Until a process rings the doorbell, Stop, or ``ms`` pass (-1: no limit); ``label``: what waits.
        True when only this thread was parked (the threads' lanes draw the wait)."""
        if juggle_threads.active():
            juggle_threads.wait_external(label, ms)
            return True
        self._host.wait(ms)
        return False

    def released(self, label):
        """Around a whole wait (however often a process's message wakes it): the GIL is free meanwhile
        when this is the only thread left, as CPython's ``Future.result`` waits once, on a Condition."""
        return juggle_threads.released(label)


SHM_WAIT = "waiting for another process (a multiprocessing object)"


class _ShmHost:
    """juggle_mp's shared memory (shared-memory.js), whose waits park only the waiting thread while other
    threads live, as CPython's multiprocessing waits release the GIL (the thread wakes when the word it waits
    on changes). Without other threads, the host's own wait."""

    def __init__(self, host):
        self._host = host

    def __getattr__(self, name):
        return getattr(self._host, name)

    def words(self, heap, offset):
        return _ThreadAwareWords(self._host.words(heap, offset))

    def lock(self, heap, offset):
        return _ThreadAwareLock(self._host.lock(heap, offset))


def _park_until(ready, changed, timeout_ms):
    """Parks this thread until ``ready()`` (True) or ``timeout_ms`` pass (< 0: no limit; False), waking
    when the host's ``changed(ms)`` (``{ promise }``) settles."""
    deadline = None if timeout_ms < 0 else now_ms() + timeout_ms
    while not ready():
        left = -1 if deadline is None else deadline - now_ms()
        if deadline is not None and left <= 0:
            return False
        juggle_threads.wait_event(SHM_WAIT, changed(left))
    return True


class _ThreadAwareWords:
    """shared-memory.js's words, with a ``wait`` that parks only this thread while others live."""

    def __init__(self, words):
        self._words = words
        self.load, self.store, self.add = words.load, words.store, words.add
        self.cas, self.notify = words.cas, words.notify

    def wait(self, i, value, timeout_ms):
        if not juggle_threads.active():
            if self._words.load(i) != value:
                return 1  # changed already: no wait, and the GIL stays (as CPython's)
            with juggle_threads.released(SHM_WAIT):
                return self._words.wait(i, value, timeout_ms)
        changed = self._words.changed
        return (
            1 if _park_until(lambda: self._words.load(i) != value, lambda ms: changed(i, value, ms), timeout_ms) else 0
        )


class _ThreadAwareLock:
    """shared-memory.js's lock, with an ``acquire`` that parks only this thread while others live."""

    def __init__(self, lock):
        self._lock = lock
        self.release, self.state = lock.release, lock.state

    def acquire(self, block, timeout_ms):
        if not block:
            return self._lock.acquire(block, timeout_ms)
        if not juggle_threads.active():
            if self._lock.acquire(False, 0) == 1:
                return 1  # free: taken without a wait, and the GIL stays (as CPython's SemLock)
            with juggle_threads.released(SHM_WAIT):
                return self._lock.acquire(block, timeout_ms)
        taken = _park_until(lambda: self._lock.acquire(False, 0) == 1, self._lock.released, timeout_ms)
        return 1 if taken else 0


def _blocking_sleep(seconds):
    """time.sleep as CPython has it: the thread is held, nothing else runs on it meanwhile."""
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer or float")
    if math.isnan(seconds) or seconds < 0:
        raise ValueError("sleep length must be non-negative")
    start = now_ms()
    if juggle_threads.active():
        # Other threads live: only this one sleeps (it gives the GIL up), as in CPython.
        juggle_threads.sleep(float(seconds))
        return
    with juggle_threads.released("time.sleep"):
        _host.sleep(float(seconds) * 1000)
    end = now_ms()
    if _tracer is not None:
        _tracer.blocked(f"time.sleep({seconds:g})", start, end)
    if _host.take_interrupt():
        raise KeyboardInterrupt


def _stop(signum, frame):
    """The page asked to stop (Pyodide's interrupt buffer): KeyboardInterrupt, as CPython's default, in
    the main thread (a thread that noticed it hands the GIL to the main thread, which raises it). Noticed
    inside Pyodide's glue, it is asked for again, to be raised at the next check in the program's code
    (raised there, it was lost, and the run waited for the hard stop: 3 runs in 20 here). So is a Stop
    before the program runs (raised while ``begin`` readied the run, it left a half-made tracer and an
    uncoded error: 5 stops in 5 asked 1 ms after Run). Otherwise the page is told it was given
    (``stop_given``): until then it asks again (control-words.js)."""
    if not _program_runs or juggle_threads.in_host_glue(frame):
        _host.interrupt_again()
        return
    _host.stop_given()
    if juggle_threads.current_lane() != 0 or juggle_threads.stop_noted():
        juggle_threads.interrupt_main_from_thread()
        return
    raise KeyboardInterrupt


def setup(host, pool_host, shm_host, thread_host=None):
    """Makes this interpreter the page's: everything a program meets that differs from Pyodide's defaults."""
    global _host
    _host = host
    import juggle_mp
    import juggle_pool
    import juggle_sandbox

    juggle_sandbox.install()
    if thread_host is not None:
        juggle_threads.install(_ThreadHost(host, thread_host), observer=_current_thread_recorder)
    juggle_loop.install(_LoopHost(host), observer=_current_tracer)
    juggle_trace.patch_loop_class(juggle_loop.JuggleLoop, _current_tracer)
    # Named as time.sleep, so that pickle sends it by reference (pool.apply_async(time.sleep, ...)).
    _blocking_sleep.__module__, _blocking_sleep.__name__, _blocking_sleep.__qualname__ = "time", "sleep", "sleep"
    time.sleep = _blocking_sleep
    # Stop raises KeyboardInterrupt where the program is (the page's Stop is not a first Ctrl-C: with
    # CPython's default handler in place, asyncio.Runner would only cancel the main task, and a task
    # that never awaits would run on until the page ends the interpreter).
    signal.signal(signal.SIGINT, _stop)
    juggle_pool.install_parent(_PoolHost(pool_host), _current_tracer, juggle_loop.JuggleLoop)
    # The pool's results in flight are one of the event loop's event sources.
    juggle_loop.watch(juggle_pool.results_due, juggle_pool.on_doorbell)
    juggle_mp.install(_ShmHost(shm_host))


def begin(argv, filename, traced, heartbeat_ms, t0):
    """A run starts: its own __main__ module (so that pickle finds the program's functions by reference, as
    the pool's processes need), sys.argv, the tracer (sys.monitoring only when traced), the health check
    (due every ``heartbeat_ms`` from ``t0``). Returns the program's globals."""
    global _tracer, _saved_main
    import juggle_pool

    juggle_pool.begin_run()
    juggle_loop.begin_run(heartbeat_ms, t0)
    main = types.ModuleType("__main__")
    main.__file__ = filename
    main.__builtins__ = builtins
    _saved_main = sys.modules.get("__main__")
    sys.modules["__main__"] = main
    sys.argv = [filename, *argv]
    _tracer = juggle_trace.Tracer(now_ms)
    _tracer.mirror = getattr(_host, "printed", None)
    tell = getattr(_host, "spans_so_far", None)
    if tell is not None:
        from pyodide.ffi import to_js

        # The arrays as typed arrays (Int32Array, Float64Array), copied: nothing of Python's is kept.
        _tracer.mirror_spans = lambda kinds, codes, times, count: tell(kinds, to_js(codes), to_js(times), count)
    juggle_loop.mirror_beats(getattr(_host, "beat_so_far", None))
    _tracer.streams = juggle_streams.capture(_tracer)
    if traced:
        _tracer.start()
    return main.__dict__


def run(code, filename, globals):
    """Runs the program; returns None, or its exception as JSON ``{"kind", "message"}`` (the traceback as
    CPython prints it, from the program's first frame)."""
    # The source for tracebacks, as CPython reads it from the file.
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    global _program_runs
    failure = None
    _program_runs = True
    try:
        try:
            exec(compile(code, filename, "exec", dont_inherit=True), globals)  # noqa: S102 - running it is the job
        except SystemExit as error:
            failure = _exit_status(error)
        except BaseException as error:  # noqa: BLE001 - the program's own failure is its result
            tb = error.__traceback__.tb_next if error.__traceback__ is not None else None
            text = _traceback_text(error, tb)
            failure = json.dumps({"kind": type(error).__name__, "message": text})
            if isinstance(error, (KeyboardInterrupt, juggle_threads.Deadlock)):
                return failure
        # The interpreter's end, as CPython's: first it waits for the threads that are not daemons...
        if juggle_threads.active():
            try:
                sys.modules["threading"]._shutdown()
            except (KeyboardInterrupt, juggle_threads.Deadlock) as error:
                text = "".join(traceback.format_exception(type(error), error, None))
                return json.dumps({"kind": type(error).__name__, "message": text})
        # ...then runs its atexit functions, multiprocessing's among them: the program's Processes joined.
        try:
            import juggle_mp

            juggle_mp.exit_function()
        except BaseException as error:  # noqa: BLE001 - a Stop (or a failure) while joining ends the run too
            if failure is None:
                text = _traceback_text(error, error.__traceback__)
                failure = json.dumps({"kind": type(error).__name__, "message": text})
    finally:
        juggle_threads.end_run()
    return failure


def _traceback_text(error, tb):
    """An uncaught exception as CPython prints it: at most ``sys.tracebacklimit`` (1,000 unless the program
    set it) of the most recent frames. (A RecursionError a million frames deep, formatted in full, took
    longer than the run's cap.)"""
    limit = getattr(sys, "tracebacklimit", 1000)
    limit = max(0, limit) if isinstance(limit, int) else 1000
    return "".join(traceback.format_exception(type(error), error, tb, limit=-limit))


def _exit_status(error):
    """``sys.exit(code)``, as CPython ends with it: no traceback; ``None`` or 0 is a normal end, another
    number the exit status, any other object printed to stderr with status 1. Returns the run's failure (the
    status said in CPython's words) or None."""
    code = error.code
    if code is None or code == 0:
        return None
    if not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    message = f"SystemExit: {error.code!r}: the program ended with exit status {code}, as python3 would"
    return json.dumps({"kind": "SystemExit", "message": message})


def end():
    """A run ends: the tracer stops; returns what was recorded (and the processes', the beats) as JSON."""
    global _tracer, _program_runs
    import juggle_pool

    _program_runs = False
    tracer, _tracer = _tracer, None
    processes = juggle_pool.end_run()
    beats = juggle_loop.end_run()
    if _saved_main is not None:
        sys.modules["__main__"] = _saved_main
    if tracer is None:
        return json.dumps({"spans": [], "output": [], "truncated": None, "processes": processes, "beats": beats})
    tracer.streams.restore()
    tracer.stop()
    return json.dumps({**tracer.records(), "processes": processes, "beats": beats})
