"""What a crash keeps of a run: the tracer tells the worker's JavaScript its spans as it records them
(``Tracer.mirror_spans``), in batches and before each printed line, so that the spans that had ended when
the interpreter died are still drawn (python-worker.js's ``crashRecord``)."""

import json


def _told(juggle_trace):
    """A tracer whose told spans are unpacked as python-worker.js's ``toldSpans`` does: each batch a list of
    ``[task, kind, label, start, end, lane]``, with its count."""
    clock = iter(range(10**6))
    tracer = juggle_trace.Tracer(lambda: float(next(clock)))
    batches = []
    kinds = []

    def tell(new, codes, times, count):
        kinds.extend(json.loads(new))
        spans = []
        for i, code in enumerate(codes):
            task, kind, label, lane = kinds[code]
            spans.append([task, kind, label, times[2 * i], times[2 * i + 1], lane])
        batches.append((spans, count))

    tracer.mirror_spans = tell
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
    # Spans of one kind are told as one kind, once.
    assert len(tracer._told_kinds) == 1
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


def test_without_threads_the_told_batches_are_the_records_spans(juggle_trace):
    tracer, batches = _told(juggle_trace)
    for i in range(juggle_trace.MIRROR_SPANS + 3):
        tracer.span("main program", "cpu", "running", i, i + 0.5)
    record = tracer.records()
    # Each span written once: the last ones told as the record is made, none in the record itself.
    assert record["spans_told"] is True
    assert record["spans"] == []
    told = [span for batch, _ in batches for span in batch]
    assert told == [list(span[:5]) + [None] for span in tracer.spans]


def test_without_a_listener_the_record_holds_the_spans(juggle_trace):
    clock = iter(range(100))
    tracer = juggle_trace.Tracer(lambda: float(next(clock)))
    tracer.span("main program", "cpu", "running", 1, 2)
    record = tracer.records()
    assert record["spans_told"] is False
    assert record["spans"] == [
        {
            "task": "main program",
            "kind": "cpu",
            "label": "running",
            "start_ms": 1,
            "end_ms": 2,
        }
    ]


def test_with_threads_the_record_holds_every_span_cut_to_whole_gil_holds(juggle_trace):
    tracer, _ = _told(juggle_trace)
    tracer.span("Thread-1", "cpu", "running", 1, 2, "thread-1")
    tracer.threads.started = (
        True  # a thread ran: the told batches were cut to the holds known then
    )
    record = tracer.records()
    assert record["spans_told"] is False
    assert [span["task"] for span in record["spans"]] == ["Thread-1"]
