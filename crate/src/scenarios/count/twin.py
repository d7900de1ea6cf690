"""count: three tasks print "One", wait one second, print "Two" -- the same workload in Python.

Run: python3 twin.py sync   (One Two One Two One Two, about 3.0 s)
     python3 twin.py async  (One One One Two Two Two, about 1.0 s)
"""

import asyncio
import sys
import time

TASKS = 3
SLEEP_S = 1.0


def count_blocking() -> None:
    print("One")
    time.sleep(SLEEP_S)  # holds the thread: nothing else runs meanwhile
    print("Two")


async def count_awaiting() -> None:
    print("One")
    await asyncio.sleep(SLEEP_S)  # steps aside: the event loop runs the other tasks
    print("Two")


def run_sync() -> None:
    for _ in range(TASKS):
        count_blocking()


async def run_async() -> None:
    await asyncio.gather(*(count_awaiting() for _ in range(TASKS)))


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "async"
    started = time.perf_counter()
    if variant == "sync":
        run_sync()
    else:
        asyncio.run(run_async())
    print(f"{variant}: {time.perf_counter() - started:.3f} s")
