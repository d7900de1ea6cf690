"""The cost of one asyncio step, and of pure-Python work, in the same interpreter (`npm run bench` runs it
with python3 and in the browser's Python, and sets the two side by side).

    python3 bench/asyncio_steps.py

Prints `step: <us> us` (8,000 `await asyncio.sleep(0)` in one task, per step) and `pure: <ms> ms` (a
plain loop of 300,000 additions): the browser's step cost over CPython's, against its pure-Python
slowdown, says what the event loop itself costs.
"""

import asyncio
import time

STEPS = 8000


async def stepper():
    for _ in range(STEPS):
        await asyncio.sleep(0)


async def main():
    start = time.perf_counter()
    await stepper()
    print(f"step: {(time.perf_counter() - start) * 1e6 / STEPS:.2f} us")


def pure():
    start = time.perf_counter()
    total = 0
    for i in range(300_000):
        total += i
    print(f"pure: {(time.perf_counter() - start) * 1000:.2f} ms")


if __name__ == "__main__":
    pure()
    asyncio.run(main())
