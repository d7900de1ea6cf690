"""cpu-in-async: ten 100 ms CPU "parses" as async tasks, with a health check -- the same trap in Python.

Run: python3 twin.py async        (about 1.0 s; the health check cannot run meanwhile)
     python3 twin.py yield-macro  (about 1.0 s; the health check answers between slices)
"""

import asyncio
import sys
import time

TASKS = 10
TASK_S = 0.1
YIELD_EVERY_S = 0.005


def burn(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


async def parse(yields: bool) -> None:
    if not yields:
        burn(TASK_S)  # no await: the event loop is stuck here
        return
    left = TASK_S
    while left > 0:
        burn(min(YIELD_EVERY_S, left))
        left -= YIELD_EVERY_S
        await asyncio.sleep(0)  # back to the event loop


async def health_check(beats: list) -> None:
    while True:
        await asyncio.sleep(0.01)
        beats.append(time.perf_counter())


async def main(yields: bool) -> None:
    beats = [time.perf_counter()]  # the run's start counts as a beat
    checker = asyncio.create_task(health_check(beats))
    await asyncio.gather(*(parse(yields) for _ in range(TASKS)))
    beats.append(time.perf_counter())  # and so does its end
    checker.cancel()
    gap = max(later - earlier for earlier, later in zip(beats, beats[1:]))
    print(f"longest health-check gap: {gap * 1000:.0f} ms")


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "async"
    started = time.perf_counter()
    asyncio.run(main(variant == "yield-macro"))
    print(f"{variant}: {time.perf_counter() - started:.3f} s")
