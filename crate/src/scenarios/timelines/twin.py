"""timelines: two tasks A and B, each with CPU work, run three ways -- the same pictures in Python.

Run: python3 twin.py parallel | concurrent | async
"""

import asyncio
import sys
import time
from concurrent.futures import ProcessPoolExecutor

WORK_S = 0.3
SLICE_S = 0.025
WAIT_S = 0.3


def burn(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def run_parallel() -> None:
    # A and B, each in a process of its own.
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(burn, [WORK_S, WORK_S]))


async def sliced(seconds: float) -> None:
    while seconds > 0:
        burn(min(SLICE_S, seconds))
        seconds -= SLICE_S
        await asyncio.sleep(0)  # hand the thread to the other task


async def with_wait() -> None:
    burn(WORK_S / 2)
    await asyncio.sleep(WAIT_S)  # a simulated network call
    burn(WORK_S / 2)


async def run_concurrent() -> None:
    await asyncio.gather(sliced(WORK_S), sliced(WORK_S))


async def run_async() -> None:
    await asyncio.gather(with_wait(), with_wait())


# How each variant fares in the browser's Python, which the page reads: "runs" (its threads take turns
# under one GIL, a lane each; each process is a separate interpreter of its own), "needs processes",
# "needs free-threading" or "no Python equivalent".
IN_THE_BROWSER = {
    "parallel": "runs",
    "concurrent": "runs",
    "async": "runs",
}


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "parallel"
    started = time.perf_counter()
    if variant == "parallel":
        run_parallel()
    elif variant == "concurrent":
        asyncio.run(run_concurrent())
    else:
        asyncio.run(run_async())
    print(f"{variant}: {time.perf_counter() - started:.3f} s")
