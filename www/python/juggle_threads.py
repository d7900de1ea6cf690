"""Threads for the browser's Python: a green ``_thread`` module under one GIL, as CPython's.

Pyodide has one operating-system thread. Each Python thread here is a stack of its own (WebAssembly stack
switching: the host starts it with a promising call), and the standard library's ``threading``, ``queue``
and ``concurrent.futures.thread`` run on top of this module unmodified (``install`` puts it in
``sys.modules`` as ``_thread`` and reloads ``threading``).

One thread executes Python at a time: the one holding the GIL (``_gil``). A thread gives it up

- when it blocks (``time.sleep``, a lock's ``acquire``, and so ``Condition.wait``, ``queue`` gets and puts,
  ``Event.wait``, ``join``; the event loop's wait): the thread *parks* (its stack is suspended on a waiter of
  the host) and the GIL goes to the first ready thread;
- when its switch interval is over (``sys.getswitchinterval()``) and another thread is ready: the host
  raises a signal at the interpreter's own check points (``preempt``), as CPython drops the GIL there;
- when it ends.

A thread that can go on (its lock was released, its sleep is over) is *ready*: it waits in ``_ready`` for the
GIL, first come first served. Everything a thread waits for is decided here, in Python: the host only
parks and wakes stacks, keeps time and says when the switch interval is over. Every hand-off is reported to
the run's observer (juggle_gil's recorder) with its cause, for the page's ``gil`` lane.

The host (python-worker.js in the browser; a fake one of real threads passing a baton in the tests):

- ``now()``: ms; ``spawn(entry)``: runs ``entry()`` on a new stack once the current one parks;
- ``waiter(timeout_ms, listen_stop)``: a waiter, settled by ``wake()``, after ``timeout_ms`` (-1: never), and
  (``listen_stop``) when the page asks to stop; ``park(waiter)``: suspends this stack until it settles;
- ``take_interrupt()``: true once when the page asked to stop;
- ``preempt(on, interval_ms)``: whether the switch-interval signal is armed (only while several threads
  live, so a program without threads never meets it); ``arm(ms)``: the signal comes once ``ms`` have passed.
"""

import collections
import contextlib
import itertools
import signal
import sys

__all__ = ["MAX_THREADS", "Deadlock", "ThreadCapError", "active", "install", "sleep"]

# The most threads one run may have alive at once (the main thread included).
MAX_THREADS = 256
TIMEOUT_MAX = 4294967.0
# The signal the host raises when a switch interval is over (any number the interpreter checks will do).
PREEMPT_SIGNAL = getattr(signal, "SIGUSR1", 10)
MAIN_IDENT = 1

error = RuntimeError


class ThreadCapError(RuntimeError):
    """More threads than ``MAX_THREADS`` at once: said plainly, with a code the page shows."""


class Deadlock(BaseException):
    """Every thread waits for another and nothing else can wake them: raised in the main thread, which
    CPython would leave waiting forever. A BaseException, as KeyboardInterrupt is: it ends the run."""


Deadlock.__module__ = "builtins"  # its traceback ends "Deadlock: ...", as a built-in exception's does
DEADLOCK = (
    "[deadlock] every thread is waiting for another, and nothing can wake them: {waits}. CPython would "
    "wait here forever; the browser's Python ends the run instead"
)
# Waits only another thread of this interpreter can end (no time-out, no event from outside, no process).
_THREAD_ONLY_WAITS = {
    "Lock.acquire",
    "Thread.join",
    "Event.wait",
    "Condition.wait",
    "Semaphore.acquire",
    "Barrier.wait",
    "queue.get",
    "queue.put",
    "queue.join",
}


THREAD_CAP = (
    "[threads-cap] can't start new thread: the browser's Python runs at most {cap} threads at once "
    "(a run here is small; a real program would use a ThreadPoolExecutor with a few workers)"
)
NO_STACK_SWITCHING = (
    "[threads-no-jspi] can't start new thread: threads in the browser's Python need WebAssembly stack "
    "switching (JSPI), which this browser lacks (Chromium 137 or later has it). Run the program with python3 "
    "on your machine, or watch the Rust `threads` scenario for the GIL"
)


class _State:
    host = None
    observer = None  # returns the run's recorder (juggle_gil), told of hand-offs, or None
    resumer = None  # what the host's park needs as asyncio's running loop (see juggle_worker)


class _Thread:
    """One green thread: its ident, its lane number, its state and the waiter it is parked on."""

    __slots__ = (
        "cause",
        "daemon",
        "deadline",
        "external",
        "handle",
        "ident",
        "killed",
        "lane",
        "loop",
        "name",
        "reason",
        "sentinel",
        "state",
        "waiter",
    )

    def __init__(self, ident, lane, name):
        self.ident = ident
        self.lane = lane
        self.name = name
        self.state = "ready"  # running, ready, blocked or done
        self.waiter = None
        self.deadline = None
        self.reason = None
        self.killed = False
        self.daemon = True
        self.handle = None
        self.sentinel = None
        self.loop = None
        self.external = None
        self.cause = None  # what it waits in (juggle_threads' name for the call), while blocked


_main = _Thread(MAIN_IDENT, 0, "MainThread")
_main.state = "running"
_threads = {MAIN_IDENT: _main}
_gil = _main
_current = _main
_ready = collections.deque()
_next_ident = MAIN_IDENT + 1
_next_lane = 1
_preempting = False
_interrupt_main = False
# True while ``end_run`` unwinds the threads left: the run is over, so a Stop then has nothing to interrupt.
_ending = False


def _now():
    return _State.host.now()


def active():
    """Whether a thread other than the main one is alive (blocking calls then park only their thread)."""
    return len(_threads) > 1


def current_lane():
    """The lane of the thread running now: 0 for the main thread, N for ``thread-N``."""
    return _current.lane


def current_name():
    return _current.name


_debug = None


def _observe(kind, *args):
    if _debug is not None:
        _debug(f"{kind} {args} gil={_gil.lane if _gil else None} ready={[t.lane for t in _ready]}")
    observer = _State.observer() if _State.observer is not None else None
    if observer is not None:
        method = getattr(observer, kind, None)
        if method is not None:
            method(*args)


# ----- the GIL -----
#
# The interpreter's signals (the switch interval, Stop's SIGINT) run their handlers at any bytecode
# boundary, so also in the middle of the bookkeeping below: ``_busy`` is true while it runs, and a handler
# that finds it so only notes what it was for (``_on_preempt`` re-arms, ``_stop`` sets ``_interrupt_main``).
# Only one stack runs at a time and each returns to the program's code through ``_done``, so one flag is
# enough for all of them.

_busy = False


def _done():
    global _busy
    _busy = False


def _unbusy(was):
    """Back to the program's code from a lock's bookkeeping: a Stop noted meanwhile is raised now."""
    global _busy, _interrupt_main
    _busy = was
    if not was and _interrupt_main and _current is _main and _gil is _main:
        _interrupt_main = False
        raise KeyboardInterrupt


def _promote_due(t):
    """Sleepers whose time is up become ready (in deadline order)."""
    due = [
        th for th in list(_threads.values()) if th.state == "blocked" and th.deadline is not None and th.deadline <= t
    ]
    due.sort(key=lambda th: th.deadline)
    for th in due:
        th.state = "ready"
        th.reason = "timeout"
        _ready.append(th)
        _observe("thread_ready", th.lane, th.deadline)


def _hand(t):
    """The GIL goes to ``t`` (ready): its stack resumes once the current one parks."""
    global _gil
    if t in _ready:
        _ready.remove(t)
    _gil = t
    t.state = "running"
    if t.waiter is not None:
        t.waiter.wake()


def _release(cause):
    """The running thread gives the GIL up (``cause``: why); the first ready thread gets it."""
    global _gil
    t = _now()
    _gil = None
    _observe("gil_released", _current.lane, cause, t)
    _promote_due(t)
    if not _ready and not _ending and _deadlocked():
        # Nobody can run, and nothing but another thread could wake anyone: the main thread is told.
        _main.state = "ready"
        _main.reason = "deadlock"
        _ready.append(_main)
    if _ready:
        _hand(_ready[0])


def _deadlocked():
    """Whether every thread waits, without a time-out, in a call only another thread can end."""
    threads = list(_threads.values())
    return len(threads) > 1 and all(
        th.state == "blocked" and th.deadline is None and th.external is None and th.cause in _THREAD_ONLY_WAITS
        for th in threads
    )


def _deadlock_words():
    waits = [f"{th.name} in {th.cause}" for th in _threads.values()]
    return DEADLOCK.format(waits=", ".join(waits))


def _wake(th, reason="woken"):
    """``th`` (blocked) can go on: it becomes ready, and takes the GIL at once if nobody holds it."""
    global _busy
    if th.state != "blocked":
        return
    was, _busy = _busy, True
    th.state = "ready"
    th.reason = reason
    th.deadline = None
    _observe("thread_ready", th.lane, _now())
    _ready.append(th)
    if _gil is None:
        _hand(th)
    _busy = was


def _settled(me, external):
    """``me``'s waiter was settled by the host, not by a hand-off: why, and whether it can go on."""
    global _interrupt_main
    if me.state != "blocked":
        return
    interrupted = me is _main and (_interrupt_main or _State.host.take_interrupt())
    if interrupted and not _ending:
        _interrupt_main = True
        me.reason = "interrupt"
    elif external is not None:
        me.reason = "event"
    elif me.deadline is not None and me.deadline <= _now():
        me.reason = "timeout"
    else:
        return  # the doorbell rang for something else: wait on
    me.state = "ready"
    _ready.append(me)
    _observe("thread_ready", me.lane, _now())


def _park(me):
    """Suspends ``me`` (which gave the GIL up) until it holds the GIL again; then it runs on (``_busy``
    is true on entry, false on return)."""
    global _current, _interrupt_main
    host = _State.host
    while _gil is not me:
        if me is _main and _interrupt_main and me.state != "running":
            # Stop came while the main thread was getting ready to wait: it goes first.
            if me.state == "blocked":
                me.state = "ready"
                me.reason = "interrupt"
            if me in _ready:
                _ready.remove(me)
            _ready.appendleft(me)
            if _gil is None:
                _hand(me)
                break
        if me.state == "blocked" and me.deadline is not None:
            timeout = max(0.0, me.deadline - _now())
        else:
            timeout = -1
        external, me.external = me.external, None
        me.waiter = host.waiter(timeout, me is _main, external)
        host.park(me.waiter)
        me.waiter = None
        if _gil is me:
            break
        _settled(me, external)
        if me.state == "ready" and _gil is None:
            _hand(me)
    _current = me
    me.state = "running"
    _observe("gil_taken", me.lane, _now())
    if _preempting:
        host.arm(sys.getswitchinterval() * 1000.0)
    _done()
    if me.killed:
        raise SystemExit
    if me is _main and _interrupt_main:
        _interrupt_main = False
        raise KeyboardInterrupt


def _block(cause, timeout=None, external=None):
    """The running thread waits for at most ``timeout`` s (or until the host's event loop wait of
    ``external`` ms ends): the GIL goes to the next ready thread meanwhile. Returns why it woke
    (``timeout``, ``event``, ``interrupt`` or a waker's reason)."""
    global _busy
    me = _current
    if me.killed:
        raise SystemExit
    _busy = True
    me.external = external
    me.state = "blocked"
    me.reason = None
    me.cause = cause
    me.deadline = None if timeout is None else _now() + timeout * 1000.0
    words = None
    try:
        _release(cause)
        _park(me)
        if me.reason == "deadlock":
            words = _deadlock_words()  # said while every thread still says what it waits in
    finally:
        me.cause = None
    me.deadline = None
    if words is not None:
        me.reason = None
        raise Deadlock(words)
    return me.reason


def _yield(cause):
    """The running thread lets the ready ones run first (its switch interval is over)."""
    global _busy, _interrupt_main
    me = _current
    _busy = True
    _promote_due(_now())
    if not _ready:
        if _preempting:
            _State.host.arm(sys.getswitchinterval() * 1000.0)
        _done()
        if me is _main and _interrupt_main:
            _interrupt_main = False
            raise KeyboardInterrupt
        return
    me.state = "ready"
    _ready.append(me)
    _observe("thread_ready", me.lane, _now())
    _release(cause)
    _park(me)


def in_host_glue(frame):
    """Whether ``frame`` runs inside Pyodide's own glue called from JavaScript (a promise's result handed
    to a future): a stack cannot park there, and an exception raised there goes back to JavaScript, lost."""
    while frame is not None:
        if "/_pyodide/" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


def _on_preempt(signum, frame):
    """The host's switch-interval signal: hand the GIL to the next ready thread, as CPython's eval loop
    does when another thread asked for it (not from inside the bookkeeping, nor from Pyodide's glue: the
    switch then comes at the next check)."""
    if _busy or in_host_glue(frame):
        if _preempting:
            _State.host.arm(0.2)
        return
    if _interrupt_main and _current is not _main:
        # A Stop noted while this thread was busy: the main thread still has to get it.
        interrupt_main_from_thread()
    elif len(_threads) > 1:
        _yield("switch interval")


def interrupt_main_from_thread():
    """Stop reached a thread other than the main one: KeyboardInterrupt goes to the main thread (as CPython
    delivers signals), which takes the GIL at once."""
    global _busy, _interrupt_main
    if _ending:
        return
    _interrupt_main = True
    if _busy:
        return
    _busy = True  # the main thread's move to the front is one step for the switch interval
    if _main.state == "blocked":
        _main.state = "ready"
        _main.reason = "interrupt"
    if _main.state == "ready":
        if _main in _ready:
            _ready.remove(_main)
        _ready.appendleft(_main)
        _yield("KeyboardInterrupt")
    else:
        _done()


def stop_noted():
    """Whether Stop came while the scheduler was busy (it is then raised in the main thread later) or
    after the run (it is then ignored)."""
    return _busy or _ending


def _set_preempting(on):
    global _preempting
    if on == _preempting:
        return
    _State.host.preempt(on, sys.getswitchinterval() * 1000.0)
    _preempting = on


# ----- threads -----


def _new_thread(function=None):
    """A thread record for ``function``: named by its Thread's name when threading started it (it passes
    the Thread's bound ``_bootstrap``), so that its lane is known by that name from its start."""
    global _next_ident, _next_lane
    if len(_threads) >= MAX_THREADS:
        raise ThreadCapError(THREAD_CAP.format(cap=MAX_THREADS))
    if not _State.host.can_switch():
        raise RuntimeError(NO_STACK_SWITCHING)
    name = getattr(getattr(function, "__self__", None), "name", None)
    th = _Thread(_next_ident, _next_lane, name if isinstance(name, str) else f"Thread-{_next_lane}")
    _next_ident += 1
    _next_lane += 1
    return th


def _launch(th, body):
    """Starts ``th`` on a stack of its own; it runs once it gets the GIL (it is ready from now). One step
    for the switch interval: were the running thread switched out between ``th`` joining the ready ones and
    its stack being asked for, the GIL could go to a thread that has no stack, and nothing would run again."""
    global _busy

    def entry():
        global _busy
        _busy = True
        try:
            _park(th)
        except SystemExit:
            _finish(th)
            return
        try:
            body()
        except SystemExit:
            pass
        except BaseException as failure:  # noqa: BLE001 - as CPython's thread bootstrap reports it
            try:
                sys.unraisablehook(_unraisable(failure))
            except BaseException:  # noqa: BLE001, S110 - nothing to report to any more
                pass
        _finish(th)

    was, _busy = _busy, True
    try:
        # The stack first (it starts only once this one parks): should the host fail, no thread is left
        # queued that never starts.
        _State.host.spawn(entry)
        _set_preempting(True)
        _threads[th.ident] = th
        _ready.append(th)
        _observe("thread_started", th.lane, th.name, _now())
        _observe("thread_ready", th.lane, _now())
    finally:
        _unbusy(was)


def _unraisable(failure):
    args = collections.namedtuple("UnraisableHookArgs", "exc_type exc_value exc_traceback err_msg object")
    return args(
        type(failure),
        failure,
        failure.__traceback__,
        "Exception ignored in thread started by",
        None,
    )


def _finish(th):
    """``th``'s function returned: its handle is done (joiners wake), it leaves, the GIL goes on."""
    global _busy
    _busy = True
    th.state = "done"
    _threads.pop(th.ident, None)
    if th.handle is not None:
        th.handle._set_done()
    if th.sentinel is not None and th.sentinel.locked():
        th.sentinel.release()
    if len(_threads) == 1:
        _set_preempting(False)
    if _gil is th:
        _release("thread end")


class _ThreadHandle:
    """What 3.13+ threading keeps per thread: its ident, whether it is done, and a join."""

    def __init__(self):
        self._ident = None
        self._done = False
        self._joiners = []

    @property
    def ident(self):
        return self._ident

    def is_done(self):
        return self._done

    def _set_done(self):
        self._done = True
        joiners, self._joiners = self._joiners, []
        for th in joiners:
            _wake(th)

    def join(self, timeout=None):
        global _busy
        if timeout is not None and timeout < 0:
            timeout = None
        if self._ident == _current.ident and not self._done:
            raise RuntimeError("Cannot join current thread")
        # Seeing the thread alive and waiting for it are one step: were this thread switched out between
        # them, the thread could end meanwhile and its wake-up be lost.
        was, _busy = _busy, True
        try:
            if self._done or timeout == 0:
                return
            me = _current
            self._joiners.append(me)
            try:
                _block("Thread.join", timeout)
            finally:
                _busy = True
                if me in self._joiners:
                    self._joiners.remove(me)
        finally:
            _unbusy(was)


def start_joinable_thread(function, handle=None, daemon=True):
    """Starts ``function()`` in a new thread; returns its handle (3.13+ threading calls this)."""
    th = _new_thread(function)
    if handle is None:
        handle = _ThreadHandle()
    handle._ident = th.ident
    th.handle = handle
    th.daemon = daemon
    _launch(th, function)
    return handle


def start_new_thread(function, args, kwargs=None):
    """Starts ``function(*args, **kwargs)`` in a new thread; returns its ident (``_thread``'s old API)."""
    th = _new_thread(function)
    _launch(th, lambda: function(*args, **(kwargs or {})))
    return th.ident


start_new = start_new_thread


def _make_thread_handle(ident):
    handle = _ThreadHandle()
    handle._ident = ident
    return handle


def _get_main_thread_ident():
    return MAIN_IDENT


def _is_main_interpreter():
    return True


def daemon_threads_allowed():
    return True


def _shutdown():
    """The interpreter's end: waits for every non-daemon thread (as CPython's ``_thread._shutdown``)."""
    while True:
        waiting = [th for th in list(_threads.values()) if th is not _current and not th.daemon and th.handle]
        if not waiting:
            return
        waiting[0].handle.join()


def get_ident():
    return _current.ident


def get_native_id():
    return _current.ident


def set_name(name):
    _current.name = str(name)
    _observe("thread_named", _current.lane, _current.name)


def _count():
    return len(_threads) - 1


def stack_size(size=0):
    if size:
        raise ValueError("the browser's Python sets no thread stack size")
    return 0


def interrupt_main(signum=signal.SIGINT):
    global _interrupt_main
    _interrupt_main = True


def allocate_lock():
    return LockType()


allocate = allocate_lock


def _set_sentinel():
    """3.11-3.12 threading: a lock the thread takes, released when it ends."""
    lock = LockType()
    _current.sentinel = lock
    return lock


def _cause():
    """Which blocking call the program made, in Python's words: the first frame outside the machinery."""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        file = code.co_filename.replace("\\", "/").rpartition("/")[2]
        if file == "queue.py" and code.co_name in ("get", "put", "join"):
            return f"queue.{code.co_name}"
        if file == "threading.py":
            qual = getattr(code, "co_qualname", code.co_name)
            outer = frame.f_back
            if qual == "Event.wait" and outer is not None and outer.f_code.co_name == "start":
                return "Thread.start"  # start() waits until the new thread has begun, as in CPython
            if qual in (
                "Thread.join",
                "Event.wait",
                "Semaphore.acquire",
                "Barrier.wait",
            ):
                return qual
            if qual in ("Condition.wait", "Condition.wait_for"):
                outer_file = outer.f_code.co_filename.replace("\\", "/").rpartition("/")[2] if outer else ""
                if outer_file not in (
                    "threading.py",
                    "queue.py",
                    "thread.py",
                    "_base.py",
                ):
                    return "Condition.wait"
        elif file == "_base.py" and code.co_name in (
            "result",
            "exception",
            "wait",
            "as_completed",
        ):
            return f"Future.{code.co_name}" if code.co_name != "wait" else "concurrent.futures.wait"
        elif file not in (
            "juggle_threads.py",
            "threading.py",
            "queue.py",
            "thread.py",
            "_base.py",
        ):
            return "Lock.acquire"
        frame = frame.f_back
    return "Lock.acquire"


class LockType:
    """A lock: ``acquire`` blocks only the thread that waits (the GIL goes on to another)."""

    __slots__ = ("__weakref__", "_locked", "_waiters")

    def __init__(self):
        self._locked = False
        self._waiters = []

    def acquire(self, blocking=True, timeout=-1):
        global _busy
        if not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        if timeout < 0 and timeout != -1:
            raise ValueError("timeout value must be a non-negative number")
        # Taken as one step: no switch between seeing the lock free and taking it.
        was, _busy = _busy, True
        try:
            if not self._locked:
                self._locked = True
                return True
            if not blocking:
                return False
            me = _current
            deadline = _now() + timeout * 1000.0 if timeout != -1 else None
            cause = _cause()
            while self._locked:
                left = None if deadline is None else max(0.0, (deadline - _now()) / 1000.0)
                if left == 0.0:
                    return False
                self._waiters.append(me)
                try:
                    reason = _block(cause, left)
                finally:
                    _busy = True
                    if me in self._waiters:
                        self._waiters.remove(me)
                if reason == "timeout" and self._locked:
                    return False
            self._locked = True
            return True
        finally:
            _unbusy(was)

    def release(self):
        global _busy
        if not self._locked:
            if _current is not None and _current.killed:
                return  # a thread ended after the run unwinds a `with` whose acquire it never finished
            raise RuntimeError("release unlocked lock")
        was, _busy = _busy, True
        self._locked = False
        if self._waiters:
            _wake(self._waiters.pop(0))
        _unbusy(was)

    def locked(self):
        return self._locked

    def _at_fork_reinit(self):
        self._locked = False
        self._waiters = []

    acquire_lock = acquire
    release_lock = release
    locked_lock = locked

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    def __repr__(self):
        state = "locked" if self._locked else "unlocked"
        return f"<{state} _thread.lock object at {id(self):#x}>"


def wait_external(cause, loop_ms):
    """The running thread waits as the event loop waits (``loop_ms``: its time-out, -1 none; the host's
    wait also ends on an event): only this thread parks."""
    _block(cause, None, float(loop_ms))


def wait_event(cause, event):
    """The running thread waits until ``event`` (the host's ``{ promise }``: a multiprocessing object's word
    changing) settles, or Stop: only this thread parks."""
    _block(cause, None, event)


@contextlib.contextmanager
def released(cause):
    """A blocking call of the only thread left, after other threads ran in this run: the GIL is free while
    it waits, as CPython's blocking calls release it, and the observer is told so for the ``gil`` lane (the
    call itself is drawn by its caller). Without threads in the run, nothing is told."""
    if _next_lane == 1 or len(_threads) > 1:
        yield
        return
    _observe("gil_let_go", _current.lane, cause, _now())
    try:
        yield
    finally:
        _observe("gil_back", _current.lane, _now())


def sleep(seconds):
    """``time.sleep`` in a thread: parks only this thread."""
    _block("time.sleep", seconds)
    if _interrupt_main and _current is _main:
        raise KeyboardInterrupt


# ----- thread-local data -----


class _local:
    """``threading.local``: attributes of one thread's own (each thread sees its own ``__dict__``)."""

    __slots__ = ("__dict__", "__weakref__", "_juggle_local")

    def __new__(cls, /, *args, **kw):
        if (args or kw) and (cls.__init__ is object.__init__):
            raise TypeError("Initialization arguments are not supported")
        self = object.__new__(cls)
        object.__setattr__(self, "_juggle_local", ({}, args, kw))
        _local_dict(self)
        return self

    def __getattribute__(self, name):
        _local_dict(self)
        return object.__getattribute__(self, name)

    def __setattr__(self, name, value):
        if name == "__dict__":
            raise AttributeError(f"{type(self).__name__!r} object attribute '__dict__' is read-only")
        _local_dict(self)
        return object.__setattr__(self, name, value)

    def __delattr__(self, name):
        if name == "__dict__":
            raise AttributeError(f"{type(self).__name__!r} object attribute '__dict__' is read-only")
        _local_dict(self)
        return object.__delattr__(self, name)


def _local_dict(self):
    dicts, args, kw = object.__getattribute__(self, "_juggle_local")
    key = _current.ident
    d = dicts.get(key)
    fresh = d is None
    if fresh:
        d = {}
        dicts[key] = d
    object.__setattr__(self, "__dict__", d)
    if fresh and type(self).__init__ is not object.__init__ and dicts.__len__() > 1:
        type(self).__init__(self, *args, **kw)


# ----- installing, and each run's end -----


def install(host, observer=None):
    """Makes this module the interpreter's ``_thread`` and reloads ``threading`` on it (and what holds it)."""
    import importlib

    _State.host = host
    _State.observer = observer
    this = sys.modules[__name__]
    sys.modules["_thread"] = this
    sys.modules.pop("_threading_local", None)
    signal.signal(PREEMPT_SIGNAL, _on_preempt)
    threading = sys.modules.get("threading")
    if threading is None:
        import threading
    else:
        threading = importlib.reload(threading)
    import queue

    queue.SimpleQueue = queue._PySimpleQueue
    # What already holds threading's old classes: objects made before stay (used without contention).
    cft = sys.modules.get("concurrent.futures.thread")
    if cft is not None:
        importlib.reload(cft)
    return threading


def end_run():
    """After a run: threads still alive (daemons, or all of them after Stop) end by SystemExit, unwinding
    their stacks; the threading module is made ready for the next run."""
    global _next_lane, _interrupt_main, _ending, _busy, _gil
    me = _current
    _ending = True
    _interrupt_main = False
    try:
        for _ in range(3):
            left = [th for th in list(_threads.values()) if th is not me]
            if not left:
                break
            # Whatever a Stop left half-done, from here: this thread holds the GIL, each other one is
            # ready (once) to take it and unwind.
            _busy = True
            _gil = me
            me.state = "running"
            while me in _ready:
                _ready.remove(me)
            for th in left:
                th.killed = True
                th.deadline = None
                if th.state != "ready":
                    th.state = "ready"
                    th.reason = "killed"
                if th not in _ready:
                    _ready.append(th)
            _done()
            try:
                _block_until_alone()
            except (KeyboardInterrupt, SystemExit):
                continue
    finally:
        _ending = False
    for th in list(_threads.values()):
        if th is not me:
            _threads.pop(th.ident, None)
    _ready.clear()
    _set_preempting(False)
    _interrupt_main = False
    _next_lane = 1
    threading = sys.modules.get("threading")
    if threading is not None:
        threading._SHUTTING_DOWN = False
        # The next run's threads are named from Thread-1 again, as in a fresh CPython.
        threading._counter = itertools.count(1).__next__
        main = threading._main_thread
        if hasattr(main, "_os_thread_handle"):
            main._os_thread_handle = _make_thread_handle(MAIN_IDENT)
        with threading._active_limbo_lock:
            for ident in [i for i in threading._active if i != MAIN_IDENT]:
                threading._active.pop(ident, None)
            threading._limbo.clear()
    cft = sys.modules.get("concurrent.futures.thread")
    if cft is not None:
        cft._shutdown = False
        cft._threads_queues.clear()


def _block_until_alone():
    """The main thread waits (a few ms at most per killed thread) until the others have unwound."""
    deadline = _now() + 1000.0
    while len(_threads) > 1 and _now() < deadline:
        _yield_or_wait()


def _yield_or_wait():
    global _busy
    me = _current
    _busy = True
    while me in _ready:
        _ready.remove(me)
    if _ready:
        me.state = "ready"
        _ready.append(me)
        _release("thread end")
        _park(me)
    else:
        _block("Thread.join", 0.01)
