"""juggle_loop under CPython, against a fake host: CPython's own loop with a selector that waits through
the host gives CPython's order and timing; the health check is one of its timers; Stop raises
KeyboardInterrupt out of a wait; watched event sources are harvested after waits."""

import asyncio
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "www" / "python"))

import juggle_loop


class FakeHost:
    """The worker's side, in CPython: a real clock, a park that really waits (woken by wake())."""

    def __init__(self):
        self.parks = []
        self.interrupt = False
        self._woken = threading.Event()

    def now(self):
        return time.monotonic() * 1000.0

    def park(self, timeout_ms):
        self.parks.append(timeout_ms)
        self._woken.wait(None if timeout_ms < 0 else timeout_ms / 1000.0)
        self._woken.clear()

    def wake(self):
        self._woken.set()

    def take_interrupt(self):
        taken, self.interrupt = self.interrupt, False
        return taken


@pytest.fixture
def host():
    fake = FakeHost()
    juggle_loop.install(fake)
    yield fake
    juggle_loop.end_run()
    asyncio.set_event_loop_policy(None)


def test_asyncio_run_uses_cpython_base_event_loop_subclass(host):
    async def main():
        return type(asyncio.get_running_loop())

    loop_type = asyncio.run(main())
    assert loop_type is juggle_loop.JuggleLoop
    assert issubclass(loop_type, asyncio.BaseEventLoop)


def test_gathered_sleeps_overlap_and_print_in_cpython_order(host):
    printed = []

    async def count():
        printed.append("One")
        await asyncio.sleep(0.05)
        printed.append("Two")

    async def main():
        await asyncio.gather(count(), count(), count())

    start = time.monotonic()
    asyncio.run(main())
    elapsed = time.monotonic() - start
    assert printed == ["One", "One", "One", "Two", "Two", "Two"]
    # The three sleeps overlap: well under three sleeps, and at least one.
    assert 0.05 <= elapsed < 0.15
    # The loop waited through the host's park for the timer (not a spin).
    assert any(ms > 0 for ms in host.parks)


def test_sleep_zero_steps_never_park(host):
    async def main():
        for _ in range(200):
            await asyncio.sleep(0)

    asyncio.run(main())
    assert all(ms != 0 for ms in host.parks)
    assert len(host.parks) < 5


def test_taskgroup_queue_and_wait_for_as_cpython(host):
    out = []

    async def producer(q):
        for i in range(4):
            await q.put(i)
            out.append(f"put {i}")
        await q.put(None)

    async def consumer(q):
        while (item := await q.get()) is not None:
            await asyncio.sleep(0.001)
            out.append(f"got {item}")

    async def main():
        q = asyncio.Queue(maxsize=2)
        async with asyncio.TaskGroup() as tg:
            tg.create_task(producer(q))
            tg.create_task(consumer(q))
        try:
            await asyncio.wait_for(asyncio.sleep(1), 0.01)
        except TimeoutError:
            out.append("timeout")

    asyncio.run(main())
    assert out == [
        "put 0",
        "put 1",
        "put 2",
        "got 0",
        "put 3",
        "got 1",
        "got 2",
        "got 3",
        "timeout",
    ]


def test_call_soon_threadsafe_wakes_a_parked_wait(host):
    loop = asyncio.new_event_loop()
    fut = loop.create_future()
    threading.Timer(
        0.02, lambda: loop.call_soon_threadsafe(fut.set_result, "woken")
    ).start()
    start = time.monotonic()
    assert loop.run_until_complete(fut) == "woken"
    assert time.monotonic() - start < 1.0
    assert -1 in host.parks  # it waited with no time-out, until the wake
    loop.close()


def test_stop_raises_keyboard_interrupt_out_of_a_wait(host):
    async def main():
        host.interrupt = True
        await asyncio.sleep(0.01)

    with pytest.raises(KeyboardInterrupt):
        asyncio.run(main())


def test_watched_source_is_harvested_while_pending(host):
    harvested = []
    pending = [True]

    def harvest():
        harvested.append(True)
        pending[0] = False

    juggle_loop.watch(lambda: pending[0], harvest)

    async def main():
        await asyncio.sleep(0.005)

    asyncio.run(main())
    assert harvested == [True]


def test_heartbeat_beats_between_steps_and_coalesces_missed_deadlines(host):
    juggle_loop.begin_run(5)

    async def busy():
        end = time.monotonic() + 0.03
        while time.monotonic() < end:
            pass  # holds the loop: beats due meanwhile are coalesced

    async def main():
        await busy()
        await asyncio.sleep(0.03)

    asyncio.run(main())
    beats = juggle_loop.end_run()
    assert beats, "the health check beat while the loop waited"
    first = beats[0]
    assert first["due_ms"] == 5
    assert first["ran_ms"] >= 30  # it could not run while busy() held the thread
    # Deadlines that passed meanwhile were skipped: the next one is after the late beat.
    assert beats[1]["due_ms"] > first["ran_ms"]
    assert all(b["ran_ms"] >= b["due_ms"] for b in beats)


def test_get_event_loop_outside_a_loop_raises_as_cpython(host):
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()
