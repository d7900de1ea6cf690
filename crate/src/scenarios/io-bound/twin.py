"""io-bound: twenty requests with simulated latency -- one at a time, all at once, or a few at a time.

Run: python3 twin.py sequential | concurrent | limited
"""

import asyncio
import sys
import time

REQUESTS = 20
LATENCY_S = 0.2
LIMIT = 5
WORK_S = 0.002


async def request(i: int) -> str:
    await asyncio.sleep(LATENCY_S)  # simulated network latency
    end = time.perf_counter() + WORK_S
    while time.perf_counter() < end:  # a little CPU work on the response
        pass
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


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "concurrent"
    runs = {"sequential": sequential, "concurrent": concurrent, "limited": limited}
    started = time.perf_counter()
    asyncio.run(runs[variant]())
    print(f"{variant}: {time.perf_counter() - started:.3f} s")
