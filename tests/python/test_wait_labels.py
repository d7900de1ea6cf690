"""What a task's wait says it waits for (juggle_trace.wait_label), in Python's words: a thread's result is
not a process's, and ``asyncio.to_thread`` is named as the learner wrote it."""

import asyncio
import concurrent.futures
import time


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
