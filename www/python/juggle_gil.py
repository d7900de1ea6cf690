"""The threads of a Python run and its GIL, recorded for the trace from juggle_threads' observations.

juggle_threads tells its observer (the run's tracer's :class:`ThreadRecorder`, ``Tracer.threads``) when
a thread starts, becomes ready, takes the GIL and releases it, and why it released it. From these come
the lanes a learner reads: one per thread, and one for the GIL that shows who holds it. The format of
the labels is the core's (crate/src/gil.rs), which counts and judges the hand-offs.
"""

import bisect

GIL_LANE = "gil"
# What a thread waiting for the GIL is doing, on its lane (crate/src/gil.rs: GIL_WAIT_LABEL).
GIL_WAIT = "waiting for the GIL"
# How a hold on the GIL lane is labelled: who held it and why it let go (crate/src/gil.rs: HOLD_CAUSE).
HOLD_CAUSE = "; then: "
HOLD_LABEL = "{name} holds it" + HOLD_CAUSE + "{cause}"
# Why the GIL changed hands without a blocking call (juggle_threads' causes).
_TURN_CAUSES = {"switch interval", "KeyboardInterrupt"}
_THREAD_END = "thread end"
_RUN_END = "the run's end"
# The event loop's own wait for events (CPython's loop calls its selector's select()): on the main thread,
# its tasks' wait spans say what they wait for.
_LOOP_WAIT = "selector.select"
# A blocking call's span label, by juggle_threads' cause: what it waits for, in Python's words.
_BLOCKING = {
    "time.sleep": "time.sleep (GIL released)",
    "Thread.join": "Thread.join: waiting for the thread to end",
    "Thread.start": "Thread.start: waiting for the thread to begin",
    "Lock.acquire": "Lock.acquire: waiting for the lock",
    "queue.get": "queue.get: waiting for an item",
    "queue.put": "queue.put: waiting for room",
    "queue.join": "queue.join: waiting for every item to be done",
    "Event.wait": "Event.wait: waiting for it to be set",
    "Semaphore.acquire": "Semaphore.acquire: waiting for a free place",
    "Barrier.wait": "Barrier.wait: waiting for the others",
    "Condition.wait": "Condition.wait: waiting to be notified",
    "Future.result": "Future.result: waiting for its result",
    "Future.exception": "Future.exception: waiting for it to finish",
    "concurrent.futures.wait": "concurrent.futures.wait: waiting for futures",
    "Future.as_completed": "as_completed: waiting for a future",
    _LOOP_WAIT: "selector.select: its event loop waits for events (GIL released)",
}


def blocking_label(cause):
    """A blocking call's span label, from juggle_threads' name for it."""
    return _BLOCKING.get(cause, f"{cause} (GIL released)")


class ThreadRecorder:
    """Records the threads of a run and the GIL from juggle_threads' observations (its ``_observe``).

    Each thread other than the main one gets the lane ``thread-N``: ``cpu`` while it holds the GIL,
    ``ready`` (:data:`GIL_WAIT`) while it could go on but another holds it, ``blocked`` in a blocking call
    (which released the GIL). The ``gil`` lane has one span per hold, its task the holder, its label why
    the holder let go (:data:`HOLD_LABEL`). The main thread's own lane is the interpreter's: the tracer's
    task spans there are cut where it did not hold the GIL (``clip``), and its GIL waits and blocking calls
    are added to it, under the task that was running.
    """

    def __init__(self, tracer):
        self.tracer = tracer
        self.names = {0: "MainThread"}
        self.held = {}  # lane -> since when it holds the GIL
        self.ready = {}  # lane -> since when it waits for the GIL
        self.blocked = {}  # lane -> (since, cause, task)
        self.released = {}  # lane -> when it last let the GIL go
        self.main_holds = []  # (start, end): the main thread held the GIL
        self.ends = {}  # lane name -> where its last span ended (a lane does one thing at a time)
        self.main_task = "main program"
        self.started = False

    def thread_started(self, lane, name, t):
        self.names[lane] = name
        self.started = True

    def thread_ready(self, lane, t):
        # A sleep that was due already (time.sleep(0)) is ready from when its thread let the GIL go.
        t = max(t, self.released.get(lane, t))
        waiting = self.blocked.pop(lane, None)
        if waiting is not None:
            self._blocked_span(lane, waiting, t)
        self.ready.setdefault(lane, t)

    def thread_named(self, lane, name):
        """``lane``'s thread was (re)named: its spans so far and from now on carry the new name."""
        old = self.names.get(lane)
        self.names[lane] = name
        if old is None or old == name or not lane:
            return
        self.tracer.spans = [self._renamed(span, f"thread-{lane}", old, name) for span in self.tracer.spans]

    @staticmethod
    def _renamed(span, lane, old, new):
        task, kind, label, start, end, where = span
        if where == lane:
            return (new, kind, label, start, end, where)
        if where == GIL_LANE and task == old:
            cause = label.partition(HOLD_CAUSE)[2]
            return (new, kind, HOLD_LABEL.format(name=new, cause=cause), start, end, where)
        return span

    def gil_taken(self, lane, t):
        waiting = self.blocked.pop(lane, None)
        if waiting is not None:
            self._blocked_span(lane, waiting, t)
        since = self.ready.pop(lane, None)
        if since is not None and t > since:
            self._span(lane, "ready", GIL_WAIT, since, t)
        self.held[lane] = t

    def gil_released(self, lane, cause, t):
        self.released[lane] = t
        since = self.held.pop(lane, None)
        if since is not None:
            self._hold(lane, cause, since, t)
        if lane == 0:
            self.main_task = self.tracer.current_name()
        if lane in self.ready or cause in _TURN_CAUSES:
            self.ready[lane] = t
        elif cause != _THREAD_END:
            name = self.names.get(lane, f"Thread-{lane}")
            self.blocked[lane] = (t, cause, self.main_task if lane == 0 else name)

    def gil_let_go(self, lane, cause, t):
        """The only thread left waits in a blocking call (``cause``), drawn by the call's caller: the GIL is
        free meanwhile (juggle_threads' ``released``)."""
        since = self.held.pop(lane, None)
        if since is not None:
            self._hold(lane, cause, since, t)

    def gil_back(self, lane, t):
        """That call returned: its thread holds the GIL again."""
        if self.started:
            self.held.setdefault(lane, t)

    def _hold(self, lane, cause, since, t):
        """A hold of the GIL by ``lane`` from ``since`` to ``t``: on the GIL's lane, and as the thread's
        running (the main thread's: where its task spans may be)."""
        start = max(since, self.ends.get(GIL_LANE, since))
        if t <= start:
            return
        name = self.names.get(lane, f"Thread-{lane}")
        self.ends[GIL_LANE] = t
        self.tracer.span(name, "cpu", HOLD_LABEL.format(name=name, cause=cause), start, t, GIL_LANE)
        if lane:
            self._span(lane, "cpu", "running (holds the GIL)", start, t)
        else:
            self.main_holds.append((start, t))

    def finish(self, t):
        """The run's end: what is open closes at ``t`` (threads ended by then; the main thread holds it)."""
        for lane, waiting in list(self.blocked.items()):
            self._blocked_span(lane, waiting, t)
        self.blocked.clear()
        since = self.held.pop(0, None)
        if self.started and since is not None:
            self._hold(0, _RUN_END, since, t)
        self.held.clear()
        self.ready.clear()

    def _blocked_span(self, lane, waiting, t):
        since, cause, task = waiting
        if lane == 0 and cause == _LOOP_WAIT:
            return  # the loop idles: its tasks' wait spans say what they wait for
        kind = "wait" if cause == _LOOP_WAIT else "blocked"
        if lane:
            self._span(lane, kind, blocking_label(cause), since, t)
        else:
            self.tracer.span(task, kind, blocking_label(cause), since, t)

    def _span(self, lane, kind, label, start, end):
        if lane == 0:
            self.tracer.span(self.main_task, kind, label, start, end)
            return
        where = f"thread-{lane}"
        start = max(start, self.ends.get(where, start))  # after its last span, whatever the clock said
        if end <= start:
            return
        self.ends[where] = end
        self.tracer.span(self.names.get(lane, f"Thread-{lane}"), kind, label, start, end, where)

    def clip(self, spans):
        """With threads, the main thread's executing spans only where it held the GIL (so never at once
        with another thread's); without, the spans as they are."""
        if not self.started:
            return spans
        holds = sorted(self.main_holds)
        hold_ends = [end for _, end in holds]
        kept = []
        for span in spans:
            task, kind, label, start, end, lane = span
            if lane is not None or kind != "cpu":
                kept.append(span)
                continue
            # The holds that end after the span starts, up to the first that starts after it ends.
            i = bisect.bisect_right(hold_ends, start)
            while i < len(holds) and holds[i][0] < end:
                piece = (max(start, holds[i][0]), min(end, holds[i][1]))
                if piece[0] < piece[1]:
                    kept.append((task, kind, label, *piece, None))
                i += 1
        return kept
