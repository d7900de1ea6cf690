"""speedup: count the primes below a limit on 1, 2, ... processes -- how far do more cores go, in Python?

Run: python3 twin.py scaling
     python3 twin.py tiny-tasks
     python3 twin.py scaling 300000   (a second argument sets the limit)

The limit is one million for scaling, as on the page, and 200,000 for tiny-tasks (a smaller range in
the browser's Python, whose shared counter is reached through JavaScript; the first line says which).
As on the page, the processes take pieces from one shared counter; in everyday Python the piece size is
the `chunksize` of `pool.map`. os.cpu_count() counts logical cores (as the page's thread count does), and
hyper-threads are not full cores. Each time is taken after the pool has started.
"""

import os
import sys
import time
from multiprocessing import Pool, Value

DEFAULT_LIMIT = 1_000_000
TINY_TASKS_LIMIT = 200_000
SCALING_PIECES = 256


def is_prime(n: int) -> bool:
    # Plain trial division by 2 and the odd numbers up to the square root: real CPU work per number.
    if n < 4:
        return n >= 2
    if n % 2 == 0:
        return False
    divisor = 3
    while divisor * divisor <= n:
        if n % divisor == 0:
            return False
        divisor += 2
    return True


def count_primes_in(start: int, end: int) -> int:
    return sum(1 for n in range(start, end) if is_prime(n))


def share(counter) -> None:
    """Runs once in each new process of the pool: keep the shared counter where drain() finds it."""
    global next_piece
    next_piece = counter


def drain(limit: int, pieces: int) -> int:
    """What every process does: take the next piece until none is left, and count its primes."""
    primes = 0
    while True:
        with next_piece.get_lock():  # one hand-out: read and add one, with every process competing
            index = next_piece.value
            next_piece.value = index + 1
        if index >= pieces:
            return primes
        primes += count_primes_in(index * limit // pieces, (index + 1) * limit // pieces)


def count_primes(limit: int, pieces: int, processes: int) -> tuple:
    """Counts the primes below `limit` on `processes` processes; returns (count, seconds)."""
    counter = Value("q", 0)  # the next piece's number, in memory that all the processes share
    with Pool(processes, initializer=share, initargs=(counter,)) as pool:
        started = time.perf_counter()
        count = sum(pool.starmap(drain, [(limit, pieces)] * processes, chunksize=1))
        return count, time.perf_counter() - started


def amdahl_fit(times: dict) -> float:
    """The parallel fraction P whose Amdahl curve best fits the times (least squares).

    Amdahl: T(k) / T(1) = (1 - P) + P / k = 1 - P * x, with x = 1 - 1/k. Minimising the sum of
    (T(k) / T(1) - 1 + P * x) ** 2 over P gives P = sum(x * (1 - T(k) / T(1))) / sum(x * x).
    """
    pairs = [(1 - 1 / k, seconds / times[1]) for k, seconds in times.items()]
    squares = sum(x * x for x, _ in pairs)
    if squares == 0:
        return 1.0  # one process only: nothing to fit
    fraction = sum(x * (1 - ratio) for x, ratio in pairs) / squares
    return min(1.0, max(0.0, fraction))


def main(variant: str, limit: int) -> None:
    pieces = limit if variant == "tiny-tasks" else SCALING_PIECES
    print(f"primes below {limit:,} in {pieces:,} pieces")
    times, counts = {}, set()
    for k in range(1, os.cpu_count() + 1):
        count, seconds = count_primes(limit, pieces, k)
        times[k] = seconds
        counts.add(count)
        speedup = times[1] / seconds
        print(f"{k} process{'es' if k > 1 else ''}: {count} primes in {seconds:.3f} s, "
              f"speedup {speedup:.2f}, efficiency {speedup / k:.0%}")
    print(f"same prime count at every process count: {'yes' if len(counts) == 1 else 'NO'}")
    print(f"fitted parallel fraction P = {amdahl_fit(times):.2f}")


# How each variant fares in the browser's Python, which the page reads: "runs" (its threads take turns
# under one GIL, a lane each; each process is a separate interpreter of its own), "needs processes",
# "needs free-threading" or "no Python equivalent".
IN_THE_BROWSER = {
    "scaling": "runs",
    "tiny-tasks": "runs",
}


if __name__ == "__main__":
    variant = sys.argv[1] if len(sys.argv) > 1 else "scaling"
    default = TINY_TASKS_LIMIT if variant == "tiny-tasks" else DEFAULT_LIMIT
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else default
    started = time.perf_counter()
    main(variant, limit)
    print(f"{variant}: {time.perf_counter() - started:.3f} s")
