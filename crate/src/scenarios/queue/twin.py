"""queue: a producer and consumers that talk through an asyncio.Queue -- the same workload in Python.

Run: python3 twin.py unbounded
     python3 twin.py bounded
     python3 twin.py consumers
"""

import asyncio
import sys
import time

ITEMS = 20
PRODUCE_S = 0.010  # the producer makes an item every 10 ms
CONSUME_S = 0.050  # a consumer needs 50 ms per item (an awaited wait, such as a request)
MAXSIZE = 3
CONSUMERS = 4


async def producer(queue: asyncio.Queue, consumers: int, high_water: list) -> None:
    for item in range(1, ITEMS + 1):
        await asyncio.sleep(PRODUCE_S)  # make the item
        await queue.put(item)  # waits here while a bounded queue is full
        high_water[0] = max(high_water[0], queue.qsize())
    for _ in range(consumers):
        await queue.put(None)  # one "no more items" per consumer


async def consumer(queue: asyncio.Queue) -> None:
    while True:
        item = await queue.get()  # waits here while the queue is empty
        if item is None:
            return
        await asyncio.sleep(CONSUME_S)  # handle the item


async def main(variant: str) -> int:
    maxsize = 0 if variant == "unbounded" else MAXSIZE  # 0: no bound
    consumers = CONSUMERS if variant == "consumers" else 1
    queue: asyncio.Queue = asyncio.Queue(maxsize)
    high_water = [0]
    await asyncio.gather(
        producer(queue, consumers, high_water),
        *(consumer(queue) for _ in range(consumers)),
    )
    return high_water[0]


# How each variant fares in the browser's Python, which the page reads: "runs" (its threads take turns
# under one GIL, a lane each; each process is a separate interpreter of its own), "needs processes",
# "needs free-threading" or "no Python equivalent".
IN_THE_BROWSER = {
    "unbounded": "runs",
    "bounded": "runs",
    "consumers": "runs",
}


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "unbounded"
    started = time.perf_counter()
    high = asyncio.run(main(variant))
    print(f"{variant}: {time.perf_counter() - started:.3f} s, high-water {high}")
