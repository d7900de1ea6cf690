"""scraper: download ten pages (simulated latency), then parse each (100 ms of CPU) -- in Python.

Run: python3 twin.py all-async
     python3 twin.py hybrid

`hybrid` starts a process pool (one process per core) inside the measured time.
"""

import asyncio
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor

PAGES = 10
LATENCY_S = 0.3
JITTER_S = 0.2
PARSE_S = 0.1
SEED = 1


def burn(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


async def download(page: int, latency: float) -> str:
    await asyncio.sleep(latency)  # simulated network latency
    return f"<html>page {page}</html>"


def parse(html: str) -> int:
    burn(PARSE_S)  # stands for real parsing: pure CPU work
    return len(html)


async def fetch_and_parse(page: int, latency: float, pool) -> int:
    html = await download(page, latency)
    if pool is None:
        return parse(html)  # parsed right here, in the event loop's own thread
    loop = asyncio.get_running_loop()
    # Hand the parse to another process as soon as the page is here, and await its result.
    return await loop.run_in_executor(pool, parse, html)


async def scrape(latencies: list, pool) -> None:
    await asyncio.gather(*(fetch_and_parse(page, latency, pool)
                           for page, latency in enumerate(latencies, start=1)))


async def health_check(beats: list) -> None:
    while True:
        await asyncio.sleep(0.01)
        beats.append(time.perf_counter())


async def main(hybrid: bool) -> None:
    rng = random.Random(SEED)  # the same "servers" on every run
    latencies = [LATENCY_S + rng.uniform(0, JITTER_S) for _ in range(PAGES)]
    beats = [time.perf_counter()]  # the run's start counts as a beat
    checker = asyncio.create_task(health_check(beats))
    if hybrid:
        with ProcessPoolExecutor() as pool:
            await scrape(latencies, pool)
    else:
        await scrape(latencies, None)
    beats.append(time.perf_counter())  # and so does its end
    checker.cancel()
    gap = max(later - earlier for earlier, later in zip(beats, beats[1:]))
    print(f"slowest download: {max(latencies) * 1000:.0f} ms")
    print(f"longest health-check gap: {gap * 1000:.0f} ms")


# How each variant fares in the browser's Python, which the page reads: "runs" (its threads take turns
# under one GIL, a lane each; each process is a separate interpreter of its own), "needs processes",
# "needs free-threading" or "no Python equivalent".
IN_THE_BROWSER = {
    "all-async": "runs",
    "hybrid": "runs",
}


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "all-async"
    started = time.perf_counter()
    asyncio.run(main(variant == "hybrid"))
    print(f"{variant}: {time.perf_counter() - started:.3f} s")
