"""cpu-in-async: ten 100 ms CPU "parses" as async tasks, with a health check -- the same workload in Python.

Run: python3 twin.py async
     python3 twin.py yield-macro
     python3 twin.py pool-blocking
     python3 twin.py offload

The two pool variants start a process pool (one process per core) inside the measured time.
"""

import asyncio
import sys
import time
from concurrent.futures import ProcessPoolExecutor

TASKS = 10
TASK_S = 0.1
YIELD_EVERY_S = 0.005


def burn(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


async def parse(yields: bool) -> None:
    if not yields:
        burn(TASK_S)  # the whole parse in one go, with no await inside
        return
    left = TASK_S
    while left > 0:
        burn(min(YIELD_EVERY_S, left))
        left -= YIELD_EVERY_S
        await asyncio.sleep(0)  # back to the event loop


async def parse_all_on_pool_blocking() -> None:
    with ProcessPoolExecutor() as pool:
        # pool.map is an ordinary call, not awaited: it hands the parses to the pool's processes and
        # returns when all of them are done.
        list(pool.map(burn, [TASK_S] * TASKS))


async def parse_all_offloaded() -> None:
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor() as pool:
        # run_in_executor hands each parse to the pool and returns a future at once; this task awaits them.
        await asyncio.gather(*(loop.run_in_executor(pool, burn, TASK_S) for _ in range(TASKS)))


async def health_check(beats: list) -> None:
    while True:
        await asyncio.sleep(0.01)
        beats.append(time.perf_counter())


async def main(variant: str) -> None:
    beats = [time.perf_counter()]  # the run's start counts as a beat
    checker = asyncio.create_task(health_check(beats))
    if variant == "pool-blocking":
        await parse_all_on_pool_blocking()
    elif variant == "offload":
        await parse_all_offloaded()
    else:
        await asyncio.gather(*(parse(variant == "yield-macro") for _ in range(TASKS)))
    beats.append(time.perf_counter())  # and so does its end
    checker.cancel()
    gap = max(later - earlier for earlier, later in zip(beats, beats[1:]))
    print(f"longest health-check gap: {gap * 1000:.0f} ms")


# How each variant fares in the browser's Python, which the page reads: "runs" (its threads take turns
# under one GIL, a lane each; each process is a separate interpreter of its own), "needs processes",
# "needs free-threading" or "no Python equivalent".
IN_THE_BROWSER = {
    "async": "runs",
    "yield-micro": "no Python equivalent",
    "yield-macro": "runs",
    "pool-blocking": "runs",
    "offload": "runs",
}


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "async"
    started = time.perf_counter()
    asyncio.run(main(variant))
    print(f"{variant}: {time.perf_counter() - started:.3f} s")
