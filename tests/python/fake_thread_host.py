"""A fake host for juggle_threads under CPython: each green thread an operating-system thread, but only one
of them runs at a time, as one JavaScript thread runs one stack at a time.

It plays the browser's event loop: a stack that parks (or ends) hands control on to the next *microtask*
(a waiter settled, a thread to start), else waits (really) for the next timer. A parked stack waits on a
real lock of its own until its waiter's turn comes. The switch-interval signal is a trace function that
calls juggle_threads' handler once the deadline has passed.

Run a program as the browser's worker does: ``python fake_thread_host.py program.py`` (it prints what the
program prints; a failure's traceback goes to stderr and the exit status is 1).
"""

import _thread as _real_thread
import collections
import heapq
import sys
import time
import traceback
from pathlib import Path

_real_sleep = time.sleep
_monotonic = time.monotonic


class _Waiter:
    def __init__(self, host, timeout_ms, listen_stop):
        self.host = host
        self.settled = False
        self.lock = _real_thread.allocate_lock()
        self.lock.acquire()
        self.listen_stop = listen_stop
        if timeout_ms >= 0:
            host._timer(host.now() + timeout_ms, self.wake)

    def wake(self):
        if self.settled:
            return
        self.settled = True
        self.host._microtasks.append(self.lock.release)


class FakeHost:
    def __init__(self):
        self._microtasks = collections.deque()
        self._timers = []
        self._seq = 0
        self._interrupt = False
        self._stop_waiters = []
        self.preempting = False
        self.deadline = float("inf")
        self.parks = 0
        self._loop_waiters = []
        self._rung = False
        self.running = (
            _real_thread.get_ident()
        )  # the OS thread of the stack that runs now

    # ----- the host's API -----

    def now(self):
        return _monotonic() * 1000.0

    def can_switch(self):
        return True

    def take_interrupt(self):
        taken, self._interrupt = self._interrupt, False
        return taken

    def spawn(self, entry):
        def start():
            _real_thread.start_new_thread(self._run_stack, (entry,))

        self._microtasks.append(start)

    def waiter(self, timeout_ms, listen_stop, loop_ms=None):
        w = _Waiter(self, timeout_ms, listen_stop)
        if loop_ms is not None:
            if loop_ms >= 0:
                self._timer(self.now() + loop_ms, w.wake)
            if self._rung:
                self._rung = False
                w.wake()
            else:
                self._loop_waiters.append(w)
        if listen_stop:
            self._stop_waiters.append(w)
        return w

    def park(self, waiter):
        self.parks += 1
        # From here this stack is parked: the next one may start before this OS thread reaches its lock,
        # and a switch-interval signal must not reach this one meanwhile (a JavaScript stack that parks is
        # suspended at once).
        self.running = None
        self._next()
        waiter.lock.acquire()
        self.running = _real_thread.get_ident()
        self._trace_here()

    def preempt(self, on, interval_ms):
        self.preempting = on
        self.deadline = self.now() + interval_ms if on else float("inf")
        self._trace_here()

    def arm(self, ms):
        self.deadline = self.now() + ms

    def loop_wake(self):
        """The event loop's wake (``call_soon_threadsafe``): its wait ends, or the next one at once."""
        waiting = [w for w in self._loop_waiters if not w.settled]
        self._loop_waiters = []
        if not waiting:
            self._rung = True
        for w in waiting:
            w.wake()

    # ----- the page -----

    def stop(self):
        """The page's Stop: the interrupt flag, and the waiters that listen for it settle."""
        self._interrupt = True
        for w in self._stop_waiters:
            w.wake()
        self._stop_waiters = [w for w in self._stop_waiters if not w.settled]

    # ----- the event loop -----

    def _timer(self, at, callback):
        self._seq += 1
        heapq.heappush(self._timers, (at, self._seq, callback))

    def _next(self):
        """The running stack gives control up: the next microtask runs, else the next timer's."""
        while True:
            if self._microtasks:
                self._microtasks.popleft()()
                return
            if not self._timers:
                return  # nothing will ever run again: every thread waits for another (a deadlock)
            at, _, callback = heapq.heappop(self._timers)
            left = at - self.now()
            if left > 0:
                _real_sleep(left / 1000.0)
            callback()

    def _run_stack(self, entry):
        self.running = _real_thread.get_ident()
        self._trace_here()
        try:
            entry()
        finally:
            self.running = None
            self._next()

    def _trace_here(self):
        sys.settrace(self._trace if self.preempting else None)
        if self.preempting:
            frame = sys._getframe(1)
            while frame is not None:
                frame.f_trace = self._trace
                frame = frame.f_back

    def _trace(self, frame, event, arg):
        if _real_thread.get_ident() != self.running:
            return self._trace  # a stack that just parked, on its way to its lock
        if event == "line" and self.now() >= self.deadline:
            import juggle_threads

            self.deadline = float("inf")
            juggle_threads._on_preempt(None, None)
        return self._trace


class LoopHost:
    """juggle_loop's host: while threads live, the loop's wait parks only the main thread."""

    def __init__(self, host, threads):
        self.host = host
        self.threads = threads
        self.now = host.now
        self.take_interrupt = host.take_interrupt

    def park(self, timeout_ms):
        if self.threads.active():
            self.threads.wait_external("selector.select", timeout_ms)
        elif timeout_ms > 0:
            _real_sleep(timeout_ms / 1000.0)

    def wake(self):
        self.host.loop_wake()


def install():
    """juggle_threads on the fake host (and CPython's loop on juggle_loop), time.sleep parking the thread
    while threads live."""
    here = Path(__file__).resolve().parents[2] / "www" / "python"
    sys.path.insert(0, str(here))
    import juggle_loop
    import juggle_threads

    host = FakeHost()
    juggle_threads.install(host)
    juggle_loop.install(LoopHost(host, juggle_threads))

    def sleep(seconds):
        if juggle_threads.active():
            juggle_threads.sleep(seconds)
        else:
            with juggle_threads.released("time.sleep"):  # as juggle_worker's time.sleep
                _real_sleep(seconds)

    time.sleep = sleep
    return host, juggle_threads


def run(path):
    """Runs the program at ``path`` as python-worker.js does: then waits for non-daemon threads."""
    _host, juggle_threads = install()
    code = Path(path).read_text()
    globals_ = {"__name__": "__main__", "__file__": str(path)}
    failed = False
    try:
        try:
            exec(compile(code, str(path), "exec"), globals_)  # noqa: S102 - running it is the job
        except BaseException:  # noqa: BLE001
            traceback.print_exc()
            failed = True
        if juggle_threads.active():
            sys.modules["threading"]._shutdown()
    finally:
        juggle_threads.end_run()
    sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1]))
