"""What a crash keeps of a run: the tracer tells the worker's JavaScript its spans as it records them
(``Tracer.mirror_spans``), in batches and before each printed line, so that the spans that had ended when
the interpreter died are still drawn (python-worker.js's ``crashRecord``)."""

import json


def _told(juggle_trace):
    clock = iter(range(10**6))
    tracer = juggle_trace.Tracer(lambda: float(next(clock)))
    batches = []
    tracer.mirror_spans = lambda batch, count: batches.append(
        (json.loads(batch), count)
    )
    return tracer, batches


def test_spans_are_told_in_batches_and_before_each_printed_line(juggle_trace):
    tracer, batches = _told(juggle_trace)
    every = juggle_trace.MIRROR_SPANS
    for i in range(every * 2 + 10):
        tracer.span("main program", "cpu", "running", i, i + 0.5)
    # Two whole batches told; the last 10 wait for the next batch or line.
    assert [count for _, count in batches] == [every, every]
    tracer.line("main program", "hello")
    assert [count for _, count in batches] == [every, every, 10]
    told = [span for batch, _ in batches for span in batch]
    assert told == [list(span[:5]) + [None] for span in tracer.spans]
    assert all(len(batch) == count for batch, count in batches)
    # A line with no new span tells nothing more.
    tracer.line("main program", "again")
    assert len(batches) == 3


def test_a_spans_lane_is_told_and_nothing_is_told_twice(juggle_trace):
    tracer, batches = _told(juggle_trace)
    tracer.span("Thread-1", "cpu", "running", 1, 2, "thread-1")
    tracer.line("main program", "one")
    tracer.span("main program", "wait", "time.sleep(0.1)", 2, 3)
    tracer.line("main program", "two")
    assert [batch for batch, _ in batches] == [
        [["Thread-1", "cpu", "running", 1, 2, "thread-1"]],
        [["main program", "wait", "time.sleep(0.1)", 2, 3, None]],
    ]


def test_nothing_is_told_without_a_listener(juggle_trace):
    clock = iter(range(100))
    tracer = juggle_trace.Tracer(lambda: float(next(clock)))
    for i in range(juggle_trace.MIRROR_SPANS + 1):
        tracer.span("main program", "cpu", "running", i, i + 0.5)
    tracer.line("main program", "hello")
    assert len(tracer.spans) == juggle_trace.MIRROR_SPANS + 1
