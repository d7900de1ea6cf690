"""What a task's wait says it waits for (juggle_trace.wait_label), in Python's words: a thread's result is
not a process's, and ``asyncio.to_thread`` is named as the learner wrote it."""

import asyncio
import concurrent.futures
import importlib
import sys
import time
import types
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "www" / "python"))


@pytest.fixture
def juggle_trace(monkeypatch):
    """The module, imported for this test only. Its import reads ``sys.monitoring`` (CPython 3.12+, as the
    browser's Python has it); an older CPython gets a stand-in, which the labels never touch."""
    if not hasattr(sys, "monitoring"):
        monkeypatch.setattr(
            sys, "monitoring", types.SimpleNamespace(events=None), raising=False
        )
    sys.modules.pop("juggle_trace", None)
    module = importlib.import_module("juggle_trace")
    yield module
    sys.modules.pop("juggle_trace", None)


def test_run_in_executor_says_whether_a_thread_or_a_process_computes(juggle_trace):
    labels = []

    async def main():
        loop = asyncio.get_running_loop()
        on_thread = loop.run_in_executor(None, time.sleep, 0.01)
        labels.append(juggle_trace.wait_label(None, on_thread))
        await on_thread

        class ProcessFuture(concurrent.futures.Future):
            """Stands for juggle_pool's futures, a ProcessPoolExecutor's in the browser's Python."""

        ProcessFuture.__module__ = "juggle_pool"
        source = ProcessFuture()
        on_process = asyncio.wrap_future(source)
        labels.append(juggle_trace.wait_label(None, on_process))
        source.set_result(None)
        await on_process

    asyncio.run(main())
    assert labels == [
        "run_in_executor: waiting for a thread's result",
        "run_in_executor: waiting for a process's result",
    ]


def test_to_thread_is_named_as_written(juggle_trace):
    code = asyncio.to_thread.__code__
    assert (
        juggle_trace.wait_label(code, None)
        == "asyncio.to_thread: waiting for its thread's result"
    )
