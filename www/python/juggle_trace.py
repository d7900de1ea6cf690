"""Juggle's tracer for Python programs run in the browser (Pyodide, CPython 3.14).

It records what one interpreter thread did, in the shape of a Juggle trace's spans, for the page to draw:

- ``cpu``: an asyncio task executing (one *step*, from when the loop resumed its coroutine until it
  suspended at an ``await``, returned or raised), or the program's own code outside any task;
- ``blocked``: a ``time.sleep`` that held the thread (CPython semantics; see ``blocking_sleep``);
- ``wait``: a task suspended at an ``await``, until what it awaited is done;
- ``ready``: a task that can go on (what it awaited is done) but waits for the loop to get to it.

Steps come from ``sys.monitoring`` (PEP 669): coroutine frames starting, resuming, yielding, returning and
unwinding; every other code object is disabled at its first event, so plain functions run at full speed.
"Ready" comes from the loop's ``call_soon``: a task's wake-up or step is scheduled there. ``print`` and
standard error go to writers (juggle_streams) that record each line with the time, the task that printed it
and its stream. Times are ms on the worker's clock (``performance.now()``); the worker subtracts the run's
start.

One thread executes one thing at a time, and the spans say so: ``cpu`` and ``blocked`` spans never overlap.
"""

import array
import asyncio
import inspect
import json
import sys

from juggle_gil import ThreadRecorder

_COROUTINE_FLAGS = inspect.CO_COROUTINE | inspect.CO_ITERABLE_COROUTINE | inspect.CO_ASYNC_GENERATOR
_MAIN = "main program"


class _MainProgram:
    """The program's own code outside any task: a step of its own on the tracer's stack (see below)."""

    def __repr__(self):
        return _MAIN


MAIN = _MainProgram()
# Tasks that asyncio.run starts for itself once the program's main coroutine is done (CPython's Runner):
# the main program's own call, not tasks the learner wrote.
_RUNNER_COROUTINES = {"BaseEventLoop.shutdown_asyncgens", "BaseEventLoop.shutdown_default_executor"}
_TOOL_NAME = "juggle"
_monitoring = sys.monitoring
_events = _monitoring.events


# What a task waits for, in Python's words, by the asyncio coroutine it is suspended in (file, qualname).
_WAITS = {
    ("tasks.py", "sleep"): "asyncio.sleep",
    ("tasks.py", "__sleep0"): "asyncio.sleep(0)",
    ("queues.py", "Queue.put"): "queue.put: waiting for room",
    ("queues.py", "Queue.get"): "queue.get: waiting for an item",
    ("queues.py", "Queue.join"): "queue.join: waiting for every item to be done",
    ("locks.py", "Lock.acquire"): "a lock: waiting for it to be released",
    ("locks.py", "Semaphore.acquire"): "a semaphore: waiting for a free place",
    ("locks.py", "Event.wait"): "an event: waiting for it to be set",
    ("locks.py", "Condition.wait"): "a condition: waiting to be notified",
    ("locks.py", "Barrier.wait"): "a barrier: waiting for the others",
    ("tasks.py", "wait"): "asyncio.wait: waiting for tasks",
    ("tasks.py", "wait_for"): "asyncio.wait_for",
    ("timeouts.py", "Timeout.__aexit__"): "asyncio.timeout",
    ("streams.py", "StreamReader._wait_for_data"): "a stream: waiting for data",
    ("threads.py", "to_thread"): "asyncio.to_thread: waiting for its thread's result",
}


def wait_label(code, awaited):
    """What a task suspended at an ``await`` waits for, in Python's words (the label of its ``wait`` span).

    ``code`` is the innermost coroutine that suspended (an asyncio one such as ``Queue.put``, or the
    task's own when it awaited a future or a task directly); ``awaited`` is what it handed the loop.
    """
    if code is not None:
        folder, _, file = code.co_filename.replace("\\", "/").rpartition("/")
        if folder.endswith("asyncio"):
            label = _WAITS.get((file, code.co_qualname))
            if label is not None:
                return label
    if isinstance(awaited, asyncio.Task):
        return f"waiting for a task to finish ({awaited.get_name()})"
    if type(awaited).__name__ == "_GatheringFuture":
        return "asyncio.gather: waiting for its tasks"
    if isinstance(awaited, asyncio.Future):
        callbacks = [getattr(cb, "__name__", "") for cb, *_ in getattr(awaited, "_callbacks", None) or ()]
        if "_call_check_cancel" in callbacks:  # asyncio.wrap_future: run_in_executor's future
            return f"run_in_executor: waiting for {_executor_of(awaited)}'s result"
        return "a future: waiting for its result"
    return "await"


def _executor_of(awaited):
    """Whose result a ``run_in_executor`` future waits for: "a process" (a ProcessPoolExecutor's future,
    juggle_pool's) or "a thread" (a ThreadPoolExecutor's, the loop's default executor among them). The
    future asyncio chained to it is held by its ``_call_check_cancel`` callback."""
    for callback, *_ in getattr(awaited, "_callbacks", None) or ():
        if getattr(callback, "__name__", "") != "_call_check_cancel":
            continue
        for cell in getattr(callback, "__closure__", None) or ():
            try:
                source = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if type(source).__module__ == "juggle_pool":
                return "a process"
    return "a thread"


class Limits:
    """Caps on what one run may record; past one, recording stops and the trace says so."""

    spans = 50_000
    lines = 5_000
    line_chars = 1_000


# How many spans the tracer keeps before telling them to the worker's JavaScript (``Tracer.mirror_spans``).
MIRROR_SPANS = 256


class Tracer:
    """Records one run. ``now`` returns ms on the worker's clock."""

    def __init__(self, now):
        self.now = now
        self.spans = []
        self.output = []
        # Told each printed line as it is recorded (the worker's JavaScript keeps them): what a crash still
        # has of the run, since this record dies with the interpreter.
        self.mirror = None
        # Told the spans recorded since the last telling (packed: see ``tell_spans``), every ``MIRROR_SPANS``
        # spans and before each printed line: a crash keeps them too, and without threads they are the record's.
        self.mirror_spans = None
        self._spans_mirrored = 0
        self._told_kinds = {}
        self.truncated = None
        self.tool = None
        self._depth = {}
        self._step_start = {}
        self._suspended_at = {}
        self._ready_at = {}
        self._names = {}
        self._stack = []
        self._inner_end = {}
        self._innermost = {}
        self._awaits = {}  # task -> (code, awaited) of the first coroutine that yielded in its step
        self._loop_depth = 0
        self.threads = ThreadRecorder(self)

    # ----- naming -----

    def name_of(self, task):
        """A task's row name: its own name if it was given one, else the coroutine's name and the task's."""
        if task is MAIN:
            return _MAIN
        name = self._names.get(task)
        if name is None:
            given = task.get_name()
            coro = task.get_coro()
            coro_name = getattr(coro, "__qualname__", None) or getattr(coro, "__name__", "task")
            if coro_name in _RUNNER_COROUTINES:
                name = _MAIN
            else:
                name = f"{coro_name} ({given})" if given.startswith("Task-") else given
            self._names[task] = name
        return name

    # ----- recording -----

    def span(self, task, kind, label, start, end, lane=None):
        """Records a span: on the interpreter's own lane, or on ``lane`` (``thread-N``, ``gil``)."""
        if end < start or self.truncated:
            return
        if len(self.spans) >= Limits.spans:
            self.truncated = f"the trace reached {Limits.spans:,} spans; recording stopped there"
            return
        self.spans.append((task, kind, label, start, end, lane))
        if self.mirror_spans is not None and len(self.spans) - self._spans_mirrored >= MIRROR_SPANS:
            self.tell_spans()

    def tell_spans(self):
        """Tells ``mirror_spans`` the spans recorded since the last telling (with threads, the main thread's
        executing spans cut to its GIL holds so far, as ``records`` cuts them: never at once with another's).

        Packed, since this runs during the program (as a JSON list the telling cost 3 us a span here): the
        kinds of span not told before, ``[task, kind, label, lane]`` each, as a JSON list; then a kind code
        a span (int32) and two times a span (float64) as arrays; then how many spans."""
        batch = self.spans[self._spans_mirrored :]
        self._spans_mirrored = len(self.spans)
        if not batch or self.mirror_spans is None:
            return
        known = self._told_kinds
        new = []
        codes = array.array("i")
        times = array.array("d")
        for task, kind, label, start, end, lane in self.threads.clip(batch):
            key = (task, kind, label, lane)
            code = known.get(key)
            if code is None:
                code = known[key] = len(known)
                new.append(key)
            codes.append(code)
            times.append(start)
            times.append(end)
        self.mirror_spans(json.dumps(new), codes, times, len(codes))

    def line(self, task, text, stream="stdout"):
        """Records a printed line (``stream`` is ``stdout`` or ``stderr``: see juggle_streams)."""
        if self.truncated:
            return
        if len(self.output) >= Limits.lines:
            self.truncated = f"the program printed more than {Limits.lines:,} lines; recording stopped there"
            return
        if len(text) > Limits.line_chars:
            text = text[: Limits.line_chars] + "…"
        t = self.now()
        self.output.append((t, task, text, stream))
        if self.mirror_spans is not None:
            self.tell_spans()
        if self.mirror is not None:
            self.mirror(t, task, text, stream)

    def current_name(self):
        threads = sys.modules.get("juggle_threads")
        if threads is not None and threads.current_lane():
            return threads.current_name()  # a thread's line: its Thread.name
        task = _current_task()
        return self.name_of(task) if task is not None else _MAIN

    # ----- task steps -----
    #
    # Steps nest only in one way: the program's own top-level code (``MAIN``, "main program") calls
    # ``asyncio.run`` (or another way into an event loop), and the loop runs the tasks' steps inside that
    # call. So the open steps form a stack with ``MAIN`` at the bottom: the loop tells the tracer when it
    # takes the thread (``loop_runs``: the main program pauses) and when it gives it back (``loop_stops``:
    # the main program resumes). A task's step that ends while another is open below it (not possible
    # with CPython's loop, kept for safety) leaves the one below resuming at its end.

    def main_begins(self, t):
        """The program's own code starts executing (its thread holding the GIL)."""
        self.threads.held[0] = t
        self.step_begins(MAIN, t)

    def loop_runs(self, t):
        """An event loop takes the thread: the step open below it (the main program) pauses at ``t``."""
        self._loop_depth += 1
        if self._stack:
            outer = self._stack[-1]
            start = self._resumed_at(outer)
            if start is not None:
                self.span(self.name_of(outer), "cpu", "running", start, t)
            self._step_start[outer] = None
            self._inner_end.pop(outer, None)

    def loop_stops(self, t):
        """The event loop gives the thread back at ``t``: the step below it resumes."""
        self._loop_depth = max(0, self._loop_depth - 1)
        if self._stack:
            outer = self._stack[-1]
            self._inner_end.pop(outer, None)
            self._step_start[outer] = t

    def step_begins(self, task, t):
        if self._stack:
            outer = self._stack[-1]
            start = self._step_start.get(outer)
            if start is not None:
                self.span(self.name_of(outer), "cpu", "running", start, t)
                self._step_start[outer] = None
        self._stack.append(task)
        name = self.name_of(task)
        ready = self._ready_at.pop(task, None)
        suspended = self._suspended_at.pop(task, None)
        if name != _MAIN:
            if suspended is not None:
                label = self._awaits.pop(task, "await")
                self.span(name, "wait", label, suspended, ready if ready is not None else t)
            if ready is not None:
                self.span(name, "ready", "ready, waiting for the loop", ready, t)
        self._step_start[task] = t

    def _resumed_at(self, task):
        """When ``task``'s open step last (re)started executing."""
        start = self._step_start.get(task)
        return start if start is not None else self._inner_end.get(task)

    def step_ends(self, task, t, finished):
        if task in self._stack:
            self._stack.remove(task)
        start = self._resumed_at(task)
        self._step_start.pop(task, None)
        self._inner_end.pop(task, None)
        if start is not None:
            self.span(self.name_of(task), "cpu", "running", start, t)
        if self._stack:
            self._inner_end[self._stack[-1]] = t
        innermost = self._innermost.pop(task, None)
        if not finished:
            self._suspended_at[task] = t
            self._awaits[task] = wait_label(*innermost) if innermost else "await"

    def scheduled(self, task, t):
        """The loop was asked to run ``task``'s next step (what it awaited is done, or it yielded)."""
        if task not in self._ready_at and task not in self._stack:
            self._ready_at[task] = t

    def blocked(self, label, start, end):
        """A blocking call held the thread from ``start`` to ``end``: split it out of the running span."""
        task = _current_task()
        if task is None and not self._loop_depth:
            task = MAIN  # the program's own code, outside any event loop
        name = self.name_of(task) if task is not None else _MAIN
        if task is not None and task in self._stack:
            resumed = self._resumed_at(task)
            if resumed is not None:
                self.span(name, "cpu", "running", resumed, start)
            self._inner_end.pop(task, None)
            self._step_start[task] = end
        self.span(name, "blocked", label, start, end)

    # ----- sys.monitoring callbacks -----

    def on_enter(self, code, offset, *rest):
        if not code.co_flags & _COROUTINE_FLAGS:
            return _monitoring.DISABLE
        self._enter()
        return None

    def on_throw(self, code, offset, exception):
        # Non-local event: it cannot be disabled.
        if code.co_flags & _COROUTINE_FLAGS:
            self._enter()

    def on_yield(self, code, offset, value):
        if not code.co_flags & _COROUTINE_FLAGS:
            return _monitoring.DISABLE
        task = _current_task()
        if task is not None and task not in self._innermost and (value is None or asyncio.isfuture(value)):
            self._innermost[task] = (code, value)  # the innermost coroutine yields first: wait_label
        self._exit(finished=False)
        return None

    def on_return(self, code, offset, value):
        if not code.co_flags & _COROUTINE_FLAGS:
            return _monitoring.DISABLE
        self._exit(finished=True)
        return None

    def on_unwind(self, code, offset, exception):
        if code.co_flags & _COROUTINE_FLAGS:
            self._exit(finished=True)

    def _enter(self):
        task = _current_task()
        if task is None:
            return
        depth = self._depth.get(task, 0)
        if depth == 0:
            self.step_begins(task, self.now())
        self._depth[task] = depth + 1

    def _exit(self, finished):
        task = _current_task()
        if task is None:
            return
        depth = self._depth.get(task, 0) - 1
        if depth <= 0:
            self._depth.pop(task, None)
            # At depth 0 the task's own coroutine returned (the task is done) or yielded (it awaits).
            self.step_ends(task, self.now(), finished)
        else:
            self._depth[task] = depth

    # ----- installing -----

    def start(self):
        for tool in (_monitoring.PROFILER_ID, 3, 4, 5):
            try:
                _monitoring.use_tool_id(tool, _TOOL_NAME)
            except ValueError:
                continue
            self.tool = tool
            break
        if self.tool is None:
            raise RuntimeError("no sys.monitoring tool id is free for Juggle's tracer")
        register = _monitoring.register_callback
        register(self.tool, _events.PY_START, self.on_enter)
        register(self.tool, _events.PY_RESUME, self.on_enter)
        register(self.tool, _events.PY_THROW, self.on_throw)
        register(self.tool, _events.PY_YIELD, self.on_yield)
        register(self.tool, _events.PY_RETURN, self.on_return)
        register(self.tool, _events.PY_UNWIND, self.on_unwind)
        _monitoring.set_events(
            self.tool,
            _events.PY_START
            | _events.PY_RESUME
            | _events.PY_THROW
            | _events.PY_YIELD
            | _events.PY_RETURN
            | _events.PY_UNWIND,
        )
        _monitoring.restart_events()
        self.main_begins(self.now())

    def stop(self):
        t = self.now()
        self.threads.finish(t)
        for task in list(self._stack):
            start = self._resumed_at(task)
            if start is not None:
                self.span(self.name_of(task), "cpu", "running", start, t)
        self._stack.clear()
        self._step_start.clear()
        if self.tool is not None and _monitoring.get_tool(self.tool) != _TOOL_NAME:
            # The program freed the tracer's tool id (or took it over): what it ran after that went
            # unrecorded, and the id is no longer the tracer's to free.
            self.truncated = self.truncated or (
                f"the program freed the tracer's sys.monitoring tool (id {self.tool}); recording stopped there"
            )
            self.tool = None
        if self.tool is not None:
            _monitoring.set_events(self.tool, 0)
            for event in (
                _events.PY_START,
                _events.PY_RESUME,
                _events.PY_THROW,
                _events.PY_YIELD,
                _events.PY_RETURN,
                _events.PY_UNWIND,
            ):
                _monitoring.register_callback(self.tool, event, None)
            _monitoring.free_tool_id(self.tool)
            self.tool = None

    def records(self):
        """What the run recorded, as plain lists for JSON. Spans already told (``mirror_spans``) are not
        written again when no thread ran (``spans_told``: the told batches are the spans, each serialised
        once); with threads, the main thread's spans are cut to its whole GIL holds here, so all are written."""
        if self.mirror_spans is not None and not self.threads.started:
            self.tell_spans()
            return {"spans": [], "spans_told": True, **self._lines_record()}
        return {
            "spans": [
                {"task": task, "kind": kind, "label": label, "start_ms": start, "end_ms": end}
                | ({} if lane is None else {"lane": lane})
                for task, kind, label, start, end, lane in self.threads.clip(self.spans)
            ],
            "spans_told": False,
            **self._lines_record(),
        }

    def _lines_record(self):
        """The printed lines and why recording stopped early (if it did), as plain lists for JSON."""
        return {
            "output": [
                {"t_ms": t, "task": task, "text": text, "stream": stream} for t, task, text, stream in self.output
            ],
            "truncated": self.truncated,
        }


def _current_task():
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


def patch_loop_class(loop_class, tracer_ref):
    """Wraps ``loop_class.call_soon`` so that scheduling a task's step marks the task ready."""
    if getattr(loop_class, "_juggle_patched", False):
        return
    original = loop_class.call_soon

    def call_soon(self, callback, *args, **kwargs):
        tracer = tracer_ref()
        if tracer is not None:
            owner = getattr(callback, "__self__", None)
            if isinstance(owner, asyncio.Task):
                tracer.scheduled(owner, tracer.now())
        return original(self, callback, *args, **kwargs)

    loop_class.call_soon = call_soon
    loop_class._juggle_patched = True
