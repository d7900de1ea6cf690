"""race: four tasks increment a shared counter, with a pause between read and write -- in Python.

Run: python3 twin.py await-race
     python3 twin.py await-locked
     python3 twin.py thread-race
     python3 twin.py atomic
     python3 twin.py mutex
"""

import asyncio
import itertools
import sys
import threading
import time

TASKS = 4
INCREMENTS = 1000
counter = 0


# --- One thread, asyncio: the await is the gap between read and write. ---
async def increment_many(lock) -> None:
    global counter
    for _ in range(INCREMENTS):
        if lock is None:
            seen = counter
            await asyncio.sleep(0)  # step aside to the event loop between the read and the write
            counter = seen + 1
        else:
            async with lock:
                seen = counter
                await asyncio.sleep(0)
                counter = seen + 1


async def run_awaiting(locked: bool) -> int:
    lock = asyncio.Lock() if locked else None
    await asyncio.gather(*(increment_many(lock) for _ in range(TASKS)))
    return counter


# --- Several threads: a thread switch can fall between read and write. ---
def pause() -> None:
    # Stands for anything that releases the GIL (a log write, a cache lookup), so another thread may take
    # it here. (A busy pause of a couple of microseconds would release nothing: CPython would switch
    # threads only at the GIL's switch interval, every 5 ms.)
    time.sleep(0)


def load_then_store(_lock) -> None:
    global counter
    for _ in range(INCREMENTS):
        seen = counter
        pause()
        counter = seen + 1  # write back what was read, plus one


def locked_read_write(lock) -> None:
    global counter
    for _ in range(INCREMENTS):
        with lock:  # held across the read, the pause and the write
            seen = counter
            pause()
            counter = seen + 1


# Python has no one-step "add one" for a shared int: even `counter += 1` is a read, an add and a write,
# three steps. The closest thing is a read-and-add done inside one C call, which the GIL makes a single
# step: next() on an itertools.count. That is a CPython detail, not a rule of the language; portable code
# takes a lock (the `mutex` variant).
tickets = itertools.count(1)


def add_in_one_step(_lock) -> None:
    for _ in range(INCREMENTS):
        next(tickets)  # one indivisible step: read the count and move it on


def run_threads(increment_many_on_thread) -> int:
    lock = threading.Lock()
    start = threading.Barrier(TASKS)  # all threads start at the same instant

    def task() -> None:
        start.wait()
        increment_many_on_thread(lock)

    threads = [threading.Thread(target=task) for _ in range(TASKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if increment_many_on_thread is add_in_one_step:
        return next(tickets) - 1  # the next ticket, minus one, is how many were taken
    return counter


# How each variant fares in the browser's Python, which the page reads: "runs" (its threads take turns
# under one GIL, a lane each; each process is a separate interpreter of its own), "needs processes",
# "needs free-threading" or "no Python equivalent".
IN_THE_BROWSER = {
    "await-race": "runs",
    "await-locked": "runs",
    "thread-race": "runs",
    "atomic": "runs",
    "mutex": "runs",
}


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "await-race"
    on_threads = {"thread-race": load_then_store, "atomic": add_in_one_step, "mutex": locked_read_write}
    started = time.perf_counter()
    if variant in on_threads:
        final = run_threads(on_threads[variant])
    else:
        final = asyncio.run(run_awaiting(variant == "await-locked"))
    expected = TASKS * INCREMENTS
    print(f"final {final} of {expected}: {expected - final} updates lost")
    print(f"{variant}: {time.perf_counter() - started:.3f} s")
