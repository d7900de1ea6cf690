"""CPython's own event loop for the browser's Python.

``asyncio.run``, ``asyncio.Runner``, ``asyncio.new_event_loop()`` and the rest run on :class:`JuggleLoop`, a
subclass of CPython's ``asyncio.BaseEventLoop``: its ``_run_once``, its ready queue and its timer heap are
CPython's, unchanged. What a selector does in CPython (wait until the next timer is due or an event
arrives) is the only part written here, and it waits the same way: it holds the interpreter's thread.

The wait goes through a *host* (python-worker.js in the browser, a fake one in the tests), so that the loop
knows nothing of JavaScript:

- ``host.now()``: the time in ms (the worker's ``performance.now()``);
- ``host.park(timeout_ms)``: hold this thread until ``timeout_ms`` pass (``-1``: no limit), ``host.wake()``
  is called, an event source rings (a process of the pool has a result) or the page asks to stop. In the
  browser it parks through ``pyodide.ffi.run_sync`` on a promise, so the browser's own event loop runs
  meanwhile and, once the browser's Python has threads, only the waiting thread is parked;
- ``host.wake()``: ends a park early (``call_soon_threadsafe``, as CPython writes to its self-pipe);
- ``host.take_interrupt()``: true once when the page asked to stop (the wait then raises
  ``KeyboardInterrupt``, as Ctrl-C interrupts CPython's ``select``).

Event sources (the process pool) are *watched*: :func:`watch` registers ``pending()`` (is anything in
flight?) and ``harvest()`` (take what arrived), called after every wait while something is pending, as
CPython's loop processes the file descriptors its selector returned.

The run's health check (:class:`Heartbeat`) is one of the loop's own timers while a loop runs: a beat runs
when asyncio's timers can, between two callbacks, never while one executes.
"""

import asyncio
import heapq
from asyncio import base_events, events
from typing import ClassVar

__all__ = ["Heartbeat", "JuggleLoop", "JugglePolicy", "begin_run", "end_run", "install", "watch"]


class Heartbeat:
    """The run's health check: a beat due every ``interval_ms`` from ``t0`` (ms on the host's clock).

    Each beat records when it was due and when it ran (ms from ``t0``). Deadlines that passed while the
    thread was held are skipped, as a periodic timer coalesces them. Rust summarises the beats.
    """

    def __init__(self, now, interval_ms, t0):
        self.now = now
        self.interval_ms = float(interval_ms)
        self.t0 = t0
        self.beats = []
        self.due_ms = self.interval_ms
        # Told each beat as it is recorded (the worker's JavaScript keeps them): what a crash still has.
        self.mirror = None

    def next_at(self):
        """When the next beat is due, in ms on the host's clock."""
        return self.t0 + self.due_ms

    def beat(self):
        """Records one beat now and moves the deadline past it."""
        ran = self.now() - self.t0
        self.beats.append({"due_ms": self.due_ms, "ran_ms": ran})
        if self.mirror is not None:
            self.mirror(self.due_ms, ran)
        self.due_ms += self.interval_ms
        if self.due_ms <= ran:
            self.due_ms += ((ran - self.due_ms) // self.interval_ms + 1) * self.interval_ms


class _State:
    """What the loops of this interpreter share: the host, the watched sources, the run's observers."""

    host = None
    watched: ClassVar[list] = []
    heartbeat = None
    # The run's tracer (or None), told when a loop takes the thread and when it gives it back.
    observer = staticmethod(lambda: None)


def watch(pending, harvest):
    """Registers an event source: after each wait, while ``pending()`` is true, ``harvest()`` runs."""
    _State.watched.append((pending, harvest))


_PARKED = ("parked",)


class _HostSelector:
    """The part of a selector asyncio's loop uses: ``select(timeout)`` waits through the host."""

    def __init__(self, host):
        self._host = host

    def select(self, timeout=None):
        """Holds the thread for ``timeout`` seconds (``None``: until an event). Returns ``(PARKED,)`` when
        it waited (the loop then looks for a Stop), ``()`` for a poll (``timeout`` 0: no wait at all)."""
        if timeout is None:
            self._host.park(-1)
        elif timeout > 0:
            self._host.park(timeout * 1000.0)
        else:
            return ()
        return _PARKED

    def close(self):
        """Nothing to release: the host outlives every loop."""


class JuggleLoop(base_events.BaseEventLoop):
    """CPython's ``BaseEventLoop`` whose selector waits through the host (see the module's docstring).

    A loop needs a host: ``install`` sets it for the loops that ``asyncio.new_event_loop()`` makes. There
    are no sockets, pipes or subprocesses in the browser's Python: those methods raise as CPython's base
    class does (``NotImplementedError``), and juggle_sandbox says why where a program would reach them.
    """

    def __init__(self, host=None):
        super().__init__()
        self._host = host if host is not None else _State.host
        if self._host is None:
            raise RuntimeError("the browser's event loop has no host: juggle_loop.install() was not called")
        self._selector = _HostSelector(self._host)
        self._heartbeat_handle = None

    def _process_events(self, event_list):
        """After a wait, Stop raises ``KeyboardInterrupt``; watched sources with work in flight are harvested
        after every wait or poll (a busy loop's Stop comes from the interpreter's own interrupt check)."""
        if event_list and self._host.take_interrupt():
            raise KeyboardInterrupt
        for pending, harvest in _State.watched:
            if pending():
                harvest()

    def _write_to_self(self):
        self._host.wake()

    def time(self):
        """The loop's clock, in seconds: the host's (so timers and the trace's times agree)."""
        return self._host.now() / 1000.0

    def run_forever(self):
        """Runs until ``stop()``: CPython's loop, with the run's health check among its timers."""
        observer = _State.observer()
        self._schedule_heartbeat()
        if observer is not None:
            observer.loop_runs(self._host.now())
        try:
            super().run_forever()
        finally:
            self._cancel_heartbeat()
            if observer is not None:
                observer.loop_stops(self._host.now())

    def close(self):
        """Closes the loop (as CPython's); the host stays."""
        self._cancel_heartbeat()
        super().close()
        self._selector = None

    # ----- the health check, one of this loop's timers -----

    def _schedule_heartbeat(self):
        heartbeat = _State.heartbeat
        if heartbeat is None or self._heartbeat_handle is not None:
            return
        handle = asyncio.TimerHandle(heartbeat.next_at() / 1000.0, self._beat, (), self)
        heapq.heappush(self._scheduled, handle)
        handle._scheduled = True
        self._heartbeat_handle = handle

    def _beat(self):
        self._heartbeat_handle = None
        heartbeat = _State.heartbeat
        if heartbeat is None:
            return
        heartbeat.beat()
        self._schedule_heartbeat()

    def _cancel_heartbeat(self):
        handle, self._heartbeat_handle = self._heartbeat_handle, None
        if handle is not None:
            handle.cancel()


# 3.14 names it with an underscore (policies are deprecated there); 3.11-3.13 without.
_BasePolicy = getattr(events, "_BaseDefaultEventLoopPolicy", None) or events.BaseDefaultEventLoopPolicy


class JugglePolicy(_BasePolicy):
    """The event loop policy: ``new_event_loop()`` makes a :class:`JuggleLoop` (in place of Pyodide's)."""

    _loop_factory = JuggleLoop


def install(host, observer=lambda: None):
    """Makes asyncio run on :class:`JuggleLoop` in this interpreter, waiting through ``host``.

    Pyodide's setup made its WebLoop the running loop and the policy's loop, and replaced ``asyncio.run``;
    CPython's are put back, so a program meets asyncio as CPython's ``python3`` gives it.
    """
    _State.host = host
    _State.observer = observer
    _State.watched = []
    from asyncio import runners

    asyncio.run = runners.run
    set_policy = getattr(events, "_set_event_loop_policy", None) or events.set_event_loop_policy
    set_policy(JugglePolicy())
    events._set_running_loop(None)


def begin_run(interval_ms, t0=None):
    """A run starts: its health check is due every ``interval_ms`` from ``t0`` (ms on the host's clock;
    default now); no loop is running."""
    events._set_running_loop(None)
    start = _State.host.now() if t0 is None else t0
    _State.heartbeat = Heartbeat(_State.host.now, interval_ms, start)


def mirror_beats(tell):
    """The run's health check tells ``tell(due_ms, ran_ms)`` each beat as it is recorded."""
    if _State.heartbeat is not None:
        _State.heartbeat.mirror = tell


def end_run():
    """A run ends: returns its health check's beats; the policy forgets the run's loop."""
    heartbeat, _State.heartbeat = _State.heartbeat, None
    get_policy = getattr(events, "_get_event_loop_policy", None) or events.get_event_loop_policy
    get_policy().set_event_loop(None)
    events._set_running_loop(None)
    return [] if heartbeat is None else heartbeat.beats
