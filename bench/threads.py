"""Threads under the GIL, timed in one interpreter (`npm run bench` runs it with python3 and in the
browser's Python, and sets the two side by side).

    python3 bench/threads.py

Prints, each the best of three:
- `sequential: <ms> ms`: two CPU tasks (pure-Python additions) one after the other;
- `threads: <ms> ms`: the same two tasks on two threads (under the GIL, about as long);
- `sleeps: <ms> ms`: twenty threads each sleeping 0.2 s (they wait together: about 0.2 s);
- `alone: <ms> ms` and `beside: <ms> ms`: one CPU task alone, then beside a thread that only waits
  (the switch interval is then armed, with nobody to switch to): the cost of preemption.
"""

import threading
import time

ADDITIONS = 1_000_000
SLEEPERS = 20


def count():
    total = 0
    for i in range(ADDITIONS):
        total += i
    return total


def best(run):
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def on_threads(target, n, *args):
    threads = [threading.Thread(target=target, args=args) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def beside_a_waiter():
    done = threading.Event()
    waiter = threading.Thread(target=done.wait)
    waiter.start()
    try:
        return best(count)
    finally:
        done.set()
        waiter.join()


if __name__ == "__main__":
    print(f"sequential: {best(lambda: (count(), count())):.1f} ms")
    print(f"threads: {best(lambda: on_threads(count, 2)):.1f} ms")
    print(f"sleeps: {best(lambda: on_threads(time.sleep, SLEEPERS, 0.2)):.1f} ms")
    print(f"alone: {best(count):.1f} ms")
    print(f"beside: {beside_a_waiter():.1f} ms")
