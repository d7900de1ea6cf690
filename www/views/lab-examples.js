// @ts-check
/**
 * The Lab's examples: short classics written for the Lab, and every scenario's twin.py. Each says, in one
 * sentence, what to look at, never what happens (the run shows that). Pure data and functions, tested with
 * node (tests/unit/lab-examples.test.js).
 */

/**
 * @typedef {{ id: string, title: string, look: string, source: string, argv: string[], runs: boolean }} LabExample
 *   `runs`: whether the browser's Python can run it (not more processes than a page should start)
 */

/** @type {LabExample[]} */
export const CLASSICS = [
  {
    id: 'busy-loop',
    title: 'The busy loop inside gather',
    look: 'Look at when each parse task runs on its row, and at the health check row while they run.',
    argv: [],
    runs: true,
    source: `import asyncio
import time


def parse(page):
    """Stands for real parsing: 100 ms of pure CPU work, with no await inside."""
    end = time.perf_counter() + 0.1
    while time.perf_counter() < end:
        pass
    return f"page {page} parsed"


async def handle(page):
    print(parse(page))


async def main():
    await asyncio.gather(*(handle(page) for page in range(1, 6)))


asyncio.run(main())
`,
  },
  {
    id: 'blocking-sleep',
    title: 'The blocking call (time.sleep) inside async',
    look: 'Look at the order of the printed lines, the total time, and the health check row.',
    argv: [],
    runs: true,
    source: `import asyncio
import time


async def count(name):
    print(f"{name}: One")
    time.sleep(0.5)  # a blocking call inside an async function
    print(f"{name}: Two")


async def main():
    await asyncio.gather(count("a"), count("b"), count("c"))


asyncio.run(main())
`,
  },
  {
    id: 'semaphore',
    title: 'At most two at a time: a semaphore',
    look: 'Look at how many download tasks are waiting at the same instant, and at the total time.',
    argv: [],
    runs: true,
    source: `import asyncio

limit = asyncio.Semaphore(2)


async def download(n):
    async with limit:
        print(f"start {n}")
        await asyncio.sleep(0.3)  # stands for waiting on a server
        print(f"done {n}")


async def main():
    await asyncio.gather(*(download(n) for n in range(1, 7)))


asyncio.run(main())
`,
  },
  {
    id: 'lost-update',
    title: 'The lost update: an await between read and write',
    look: 'Look at the final count it prints beside the number of increments the tasks made.',
    argv: [],
    runs: true,
    source: `import asyncio

counter = 0


async def add(times):
    global counter
    for _ in range(times):
        value = counter          # read
        await asyncio.sleep(0)   # another task may run here
        counter = value + 1      # write


async def main():
    await asyncio.gather(add(100), add(100), add(100))
    print(f"3 tasks x 100 increments: counter = {counter}")


asyncio.run(main())
`,
  },
  {
    id: 'queue',
    title: 'A producer and a consumer: asyncio.Queue',
    look: 'Look at when the producer waits at put and when the consumer waits at get.',
    argv: [],
    runs: true,
    source: `import asyncio


async def producer(queue):
    for item in range(1, 11):
        await queue.put(item)
        print(f"put {item} (queue size {queue.qsize()})")
        await asyncio.sleep(0.02)
    await queue.put(None)  # nothing more


async def consumer(queue):
    while (item := await queue.get()) is not None:
        await asyncio.sleep(0.05)  # stands for handling the item
        print(f"handled {item}")


async def main():
    queue = asyncio.Queue(maxsize=3)
    await asyncio.gather(producer(queue), consumer(queue))


asyncio.run(main())
`,
  },
  {
    id: 'process-pool',
    title: 'The fix with a process pool',
    look: 'Look at the health check row while the busy loop’s parses run on the process rows, and at each process’s start-up (a whole interpreter of its own).',
    argv: [],
    runs: true,
    source: `import asyncio
import time
from concurrent.futures import ProcessPoolExecutor


def parse(page):
    """100 ms of pure CPU work, now in another process."""
    end = time.perf_counter() + 0.1
    while time.perf_counter() < end:
        pass
    return f"page {page} parsed"


async def handle(pool, page):
    loop = asyncio.get_running_loop()
    print(await loop.run_in_executor(pool, parse, page))


async def main():
    with ProcessPoolExecutor() as pool:
        await asyncio.gather(*(handle(pool, page) for page in range(1, 6)))


if __name__ == "__main__":
    asyncio.run(main())
`,
  },
  {
    id: 'thread-pool-waits',
    title: 'Waiting on threads: ThreadPoolExecutor',
    look: 'Look at the five thread rows while they wait, at the GIL row meanwhile, and at the total it prints.',
    argv: [],
    runs: true,
    source: `import time
from concurrent.futures import ThreadPoolExecutor


def download(page):
    time.sleep(0.2)  # stands for waiting on the network: the thread lets the GIL go
    return f"page {page} downloaded"


start = time.perf_counter()
with ThreadPoolExecutor(max_workers=5) as pool:
    for result in pool.map(download, range(1, 6)):
        print(result)
print(f"5 downloads took {time.perf_counter() - start:.2f} s")
`,
  },
  {
    id: 'threads-vs-processes',
    title: 'CPU work: one thread, two threads, two processes',
    look: 'Look at the three times it prints, at the GIL row while the two threads count, and at the process rows.',
    argv: [],
    runs: true,
    source: `import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def count(n):
    total = 0
    for i in range(n):
        total += i
    return total


def timed(label, run):
    start = time.perf_counter()
    run()
    print(f"{label}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    work = [3_000_000, 3_000_000]
    timed("one thread", lambda: [count(n) for n in work])
    with ThreadPoolExecutor(max_workers=2) as pool:
        timed("two threads", lambda: list(pool.map(count, work)))
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(count, [0, 0]))  # start the processes first: their start-up is not the work
        timed("two processes", lambda: list(pool.map(count, work)))
`,
  },
  {
    id: 'thread-lost-update',
    title: 'The lost update with threads, and its Lock',
    look: 'Look at the two counts it prints beside the 300 increments the threads made, and at the Lock.acquire waits on the thread rows.',
    argv: [],
    runs: true,
    source: `import threading
import time

counter = 0
lock = threading.Lock()


def add(times, use_lock):
    global counter
    for _ in range(times):
        if use_lock:
            with lock:
                value = counter
                time.sleep(0)  # lets the GIL go, as a log write or a cache lookup would
                counter = value + 1
        else:
            value = counter
            time.sleep(0)
            counter = value + 1


for use_lock in (False, True):
    counter = 0
    threads = [threading.Thread(target=add, args=(100, use_lock)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"{'with' if use_lock else 'without'} a Lock: 3 threads x 100 increments: counter = {counter}")
`,
  },
  {
    id: 'to-thread',
    title: 'A blocking call off the event loop: asyncio.to_thread',
    look: 'Look at the ticks printed while the call runs on its thread, and at the main thread’s row meanwhile.',
    argv: [],
    runs: true,
    source: `import asyncio
import time


def blocking_call():
    time.sleep(0.5)  # a library call with no async version
    return "done"


async def health_check():
    while True:
        await asyncio.sleep(0.1)
        print("tick")


async def main():
    ticks = asyncio.create_task(health_check())
    print(await asyncio.to_thread(blocking_call))
    ticks.cancel()


asyncio.run(main())
`,
  },
];

/** The example a fresh Lab opens with. */
export const DEFAULT_EXAMPLE = 'busy-loop';

/**
 * A scenario's twin as a Lab example, run with the first variant its IN_THE_BROWSER table says runs in the
 * browser (as `python twin.py <variant>`); when none does, with its first variant, saying so.
 * @param {{ id: string, title: string, variants: { id: string, title: string }[] }} scenario
 * @param {{ source: string, browser: Record<string, string> }} python the lesson's `content.python`
 * @returns {LabExample}
 */
export function twinExample(scenario, python) {
  const runnable = scenario.variants.filter((v) => python.browser?.[v.id] === 'runs');
  if (!runnable.length) {
    const first = scenario.variants[0];
    return {
      id: `twin:${scenario.id}`,
      title: `twin.py of “${scenario.title}”`,
      look: `None of its variants can run in the browser’s Python (${python.browser?.[first.id] ?? 'it needs a real Python'}), so here it stops with a message saying so: read it, then run python twin.py ${first.id} on your machine.`,
      argv: [first.id],
      source: python.source,
      runs: false,
    };
  }
  const others = runnable.slice(1).map((v) => v.id);
  return {
    id: `twin:${scenario.id}`,
    title: `twin.py of “${scenario.title}”`,
    look: `Runs as python twin.py ${runnable[0].id}: look at each task’s row and the health check row${others.length ? `, then change the argument to ${others.join(' or ')} and compare` : ''}.`,
    argv: [runnable[0].id],
    source: python.source,
    runs: true,
  };
}

/**
 * A classic by id, or null.
 * @param {string | null} id
 */
export const classic = (id) => CLASSICS.find((example) => example.id === id) ?? null;
