"""race: four tasks increment a shared counter with an await between read and write -- in asyncio.

Run: python3 twin.py await-race    (final count 1000 of 4000: updates lost on one thread)
     python3 twin.py await-locked  (final count 4000)
"""

import asyncio
import sys

TASKS = 4
INCREMENTS = 1000
counter = 0


async def increment_many(lock) -> None:
    global counter
    for _ in range(INCREMENTS):
        if lock is None:
            seen = counter
            await asyncio.sleep(0)  # another task runs here and reads the same value
            counter = seen + 1
        else:
            async with lock:
                seen = counter
                await asyncio.sleep(0)
                counter = seen + 1


async def main(locked: bool) -> None:
    lock = asyncio.Lock() if locked else None
    await asyncio.gather(*(increment_many(lock) for _ in range(TASKS)))
    expected = TASKS * INCREMENTS
    print(f"final {counter} of {expected}: {expected - counter} updates lost")


if __name__ == "__main__":
    asyncio.run(main(len(sys.argv) > 1 and sys.argv[1] == "await-locked"))
