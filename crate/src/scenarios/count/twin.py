"""count: three tasks print "One", wait one second, print "Two" -- the same workload in Python.

Run: python3 twin.py sync
     python3 twin.py async
     python3 twin.py blocking-in-async
"""

import asyncio
import sys
import time

TASKS = 3
SLEEP_S = 1.0


def count_blocking() -> None:
    print("One")
    time.sleep(SLEEP_S)  # wait with time.sleep
    print("Two")


async def count_awaiting() -> None:
    print("One")
    await asyncio.sleep(SLEEP_S)  # wait with await asyncio.sleep
    print("Two")


async def count_blocking_inside_async() -> None:
    print("One")
    time.sleep(SLEEP_S)  # wait with time.sleep, inside an async def
    print("Two")


def run_sync() -> None:
    for _ in range(TASKS):
        count_blocking()


async def run_async() -> None:
    await asyncio.gather(*(count_awaiting() for _ in range(TASKS)))


async def run_blocking_in_async() -> None:
    await asyncio.gather(*(count_blocking_inside_async() for _ in range(TASKS)))


# How each variant fares in the browser's Python, which the page reads: "runs" (its threads take turns
# under one GIL, a lane each; each process is a separate interpreter of its own), "needs processes",
# "needs free-threading" or "no Python equivalent".
IN_THE_BROWSER = {
    "sync": "runs",
    "async": "runs",
    "blocking-in-async": "runs",
}


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "async"
    started = time.perf_counter()
    if variant == "sync":
        run_sync()
    elif variant == "blocking-in-async":
        asyncio.run(run_blocking_in_async())
    else:
        asyncio.run(run_async())
    print(f"{variant}: {time.perf_counter() - started:.3f} s")
