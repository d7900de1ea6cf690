"""threads: threads and the GIL -- the same workloads in Python (threading, asyncio.to_thread).

Run: python3 twin.py cpu-gil
     python3 twin.py io-gil
     python3 twin.py free-threaded
     python3 twin.py to-thread
     python3 twin.py inline
"""

import asyncio
import sys
import sysconfig
import threading
import time

THREADS = 2
TASKS = 10
INCREMENTS = 2_000_000  # CPU work per task, "pure Python": it needs the GIL to run
WAIT_S = 0.2  # blocking wait per task (io-gil)
CALL_S = 0.5  # one blocking call (to-thread, inline)
HEARTBEAT_S = 0.01


def cpu_task() -> None:
    n = 0
    for _ in range(INCREMENTS):
        n += 1


def io_task() -> None:
    time.sleep(WAIT_S)  # a blocking call: the thread releases the GIL while it waits


def on_threads(task, tasks: int, threads: int) -> float:
    """Runs `tasks` calls of `task` shared out over `threads` threads; returns the wall-clock time."""
    shares = [range(t, tasks, threads) for t in range(threads)]
    workers = [threading.Thread(target=lambda s=s: [task() for _ in s]) for s in shares]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


async def health_check(gaps: list) -> None:
    last = time.perf_counter()
    while True:
        await asyncio.sleep(HEARTBEAT_S)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now


async def loop_with_call(in_thread: bool) -> float:
    gaps: list = []
    beat = asyncio.create_task(health_check(gaps))
    await asyncio.sleep(0)
    if in_thread:
        await asyncio.to_thread(time.sleep, CALL_S)  # the call runs in another thread; this task awaits it
    else:
        time.sleep(CALL_S)  # the same call, made right here in this task
    await asyncio.sleep(HEARTBEAT_S * 2)
    beat.cancel()
    return max(gaps, default=CALL_S)


# How each variant fares in the browser's Python, which the page reads: "runs" (its threads take turns
# under one GIL, a lane each; each process is a separate interpreter of its own), "needs processes",
# "needs free-threading" or "no Python equivalent".
IN_THE_BROWSER = {
    "cpu-gil": "runs",
    "io-gil": "runs",
    "free-threaded": "needs free-threading",
    "to-thread": "runs",
    "inline": "runs",
}


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "cpu-gil"
    gil = "no GIL" if sysconfig.get_config_var("Py_GIL_DISABLED") else "with a GIL"
    if variant in ("cpu-gil", "free-threaded"):
        one = on_threads(cpu_task, TASKS, 1)
        many = on_threads(cpu_task, TASKS, THREADS)
        print(f"{variant} ({gil}): 1 thread {one:.3f} s, {THREADS} threads {many:.3f} s, "
              f"ratio {many / one:.2f}")
    elif variant == "io-gil":
        took = on_threads(io_task, TASKS, THREADS)
        print(f"io-gil: {TASKS} x {WAIT_S} s waits on {THREADS} threads: {took:.3f} s "
              f"({TASKS // THREADS} waits in turn)")
    else:
        started = time.perf_counter()
        gap = asyncio.run(loop_with_call(variant == "to-thread"))
        print(f"{variant}: {time.perf_counter() - started:.3f} s, longest health-check gap {gap * 1000:.0f} ms")
