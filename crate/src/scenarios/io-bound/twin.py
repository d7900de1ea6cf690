"""io-bound: twenty requests with simulated latency -- one at a time, all at once, a few at a time, or the
wrong tool: a process per request.

Run: python3 twin.py sequential | concurrent | limited | workers
     python3 twin.py concurrent 10000   (at scale: the requests and the memory per waiting task)
"""

import asyncio
import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor

REQUESTS = 20
LATENCY_S = 0.2
LIMIT = 5
WORK_S = 0.002


def work_on_response() -> None:
    end = time.perf_counter() + WORK_S
    while time.perf_counter() < end:  # a little CPU work on the response
        pass


async def request(i: int) -> str:
    await asyncio.sleep(LATENCY_S)  # simulated network latency
    work_on_response()
    return f"response {i}"


def blocking_request(i: int) -> str:
    time.sleep(LATENCY_S)  # the same latency, waited for by blocking a whole process
    work_on_response()
    return f"response {i}"


async def sequential() -> None:
    for i in range(1, REQUESTS + 1):
        await request(i)


async def concurrent() -> None:
    await asyncio.gather(*(request(i) for i in range(1, REQUESTS + 1)))


async def limited() -> None:
    slots = asyncio.Semaphore(LIMIT)

    async def polite(i: int) -> str:
        async with slots:
            return await request(i)

    await asyncio.gather(*(polite(i) for i in range(1, REQUESTS + 1)))


def workers() -> None:
    # One process per request, each a whole interpreter started for this run, waiting with time.sleep.
    with ProcessPoolExecutor(max_workers=REQUESTS) as pool:
        list(pool.map(blocking_request, range(1, REQUESTS + 1)))


# How each variant fares in the browser's Python, which the page reads: "runs" (its threads take turns
# under one GIL, a lane each; each process is a separate interpreter of its own), "needs processes",
# "needs free-threading" or "no Python equivalent".
IN_THE_BROWSER = {
    "sequential": "runs",
    "concurrent": "runs",
    "limited": "runs",
    "workers": "needs processes",
}


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "concurrent"
    REQUESTS = int(sys.argv[2]) if len(sys.argv) > 2 else REQUESTS
    if REQUESTS > 1000:
        WORK_S = 0.0  # at scale: waiting only
    runs = {"sequential": sequential, "concurrent": concurrent, "limited": limited}
    started = time.perf_counter()
    if variant == "workers":
        workers()
    else:
        asyncio.run(runs[variant]())
    print(f"{variant}: {REQUESTS} requests, {time.perf_counter() - started:.3f} s")
    if REQUESTS > 1000 and variant != "workers":
        tracemalloc.start()  # once more, measuring the heap (tracing slows it down)
        asyncio.run(runs[variant]())
        peak = tracemalloc.get_traced_memory()[1]
        print(f"about {peak / REQUESTS / 1024:.1f} KiB of Python heap per waiting task (peak / requests)")
