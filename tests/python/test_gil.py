"""juggle_gil under CPython: the lanes and GIL holds recorded from juggle_threads' own observations, on the
fake host (tests/python/fake_thread_host.py), with a stand-in for the tracer that keeps what it is given.

What is checked is what a learner reads off the picture: one thread holds the GIL at a time, a thread
computes only while it holds it, a thread that could go on waits for the GIL (ready, not running), and
every hold says why it ended (the switch interval, the blocking call, the thread's end).
"""

import itertools
import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DRIVER = """
import json, sys, threading
sys.path.insert(0, {here!r})
import fake_thread_host

host, juggle_threads = fake_thread_host.install()
import juggle_gil


class Tracer:
    def __init__(self):
        self.spans = []

    def span(self, task, kind, label, start, end, lane=None):
        self.spans.append((task, kind, label, start, end, lane))

    def current_name(self):
        return "main program"


tracer = Tracer()
recorder = juggle_gil.ThreadRecorder(tracer)
recorder.held[0] = host.now()
# The main thread's own code, as the tracer records it: one executing span from start to end.
start = host.now()
juggle_threads._State.observer = lambda: recorder
threading = sys.modules["threading"]
exec(compile(open(sys.argv[1]).read(), "program.py", "exec"), {{"__name__": "__main__"}})
if juggle_threads.active():
    threading._shutdown()
juggle_threads.end_run()
end = host.now()
recorder.finish(end)
spans = recorder.clip(tracer.spans + [("main program", "cpu", "running", start, end, None)])
print(json.dumps([dict(zip(("task", "kind", "label", "start", "end", "lane"), s)) for s in spans]))
"""


def record(tmp_path, code):
    """Runs ``code`` on green threads with a recorder attached; returns its spans as dicts."""
    (tmp_path / "driver.py").write_text(
        DRIVER.format(here=str(ROOT / "tests" / "python"))
    )
    (tmp_path / "program.py").write_text(textwrap.dedent(code))
    done = subprocess.run(
        [sys.executable, str(tmp_path / "driver.py"), str(tmp_path / "program.py")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def overlaps(spans):
    ordered = sorted(spans, key=lambda s: s["start"])
    return [
        (a, b) for a, b in itertools.pairwise(ordered) if b["start"] < a["end"] - 1e-6
    ]


CPU_THREADS = """
    import threading, time

    def count():
        n = 0
        for _ in range(400_000):
            n += 1

    threads = [threading.Thread(target=count) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
"""


def test_cpu_threads_take_turns_holding_the_gil(tmp_path):
    spans = record(tmp_path, CPU_THREADS)
    holds = [s for s in spans if s["lane"] == "gil"]
    assert not overlaps(holds), "two threads held the GIL at once"
    executing = [s for s in spans if s["kind"] == "cpu" and s["lane"] != "gil"]
    assert not overlaps(executing), "two threads executed at once"
    causes = [s["label"].split("; then: ")[1] for s in holds]
    assert causes.count("switch interval") >= 4, causes
    assert causes.count("thread end") == 2
    assert (
        causes[0] == "Thread.start"
    )  # start() waits for the thread to begin, as in CPython
    assert causes[-1] == "the run's end"
    assert {s["task"] for s in holds} == {
        "MainThread",
        "Thread-1 (count)",
        "Thread-2 (count)",
    }
    # A thread that could go on waits for the GIL on its lane, and takes it when its wait ends.
    for lane in ("thread-1", "thread-2"):
        mine = sorted((s for s in spans if s["lane"] == lane), key=lambda s: s["start"])
        assert {s["kind"] for s in mine} == {"cpu", "ready"}
        assert all(
            s["label"] == "waiting for the GIL" for s in mine if s["kind"] == "ready"
        )
        taken = {round(s["start"], 6) for s in holds if s["task"] == mine[0]["task"]}
        assert all(round(s["end"], 6) in taken for s in mine if s["kind"] == "ready")
    # The main thread executes only while it holds the GIL: its span is cut where it waited in join().
    main_cpu = [s for s in spans if s["lane"] is None and s["kind"] == "cpu"]
    assert len(main_cpu) >= 2
    joins = [s for s in spans if s["lane"] is None and s["kind"] == "blocked"]
    assert "Thread.join: waiting for the thread to end" in {s["label"] for s in joins}


def test_sleeping_threads_release_the_gil_and_wait_together(tmp_path):
    spans = record(
        tmp_path,
        """
        import threading, time

        threads = [threading.Thread(target=time.sleep, args=(0.1,)) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        """,
    )
    sleeps = [s for s in spans if s["kind"] == "blocked" and s["lane"]]
    assert [s["label"] for s in sleeps] == ["time.sleep (GIL released)"] * 3
    assert min(s["end"] for s in sleeps) > max(s["start"] for s in sleeps), (
        "the sleeps did not overlap"
    )
    holds = [s for s in spans if s["lane"] == "gil"]
    assert not overlaps(holds)
    assert [s["label"] for s in holds if s["task"] != "MainThread"].count(
        "Thread-1 (sleep) holds it; then: time.sleep"
    ) == 1


def test_the_last_thread_left_releases_the_gil_while_it_waits(tmp_path):
    # After the other threads end, the main thread's blocking calls still release the GIL (CPython's do,
    # whatever the number of threads): the gil lane must not say MainThread holds it through a sleep.
    spans = record(
        tmp_path,
        CPU_THREADS
        + """
    time.sleep(0.15)
    """,
    )
    holds = [s for s in spans if s["lane"] == "gil"]
    assert not overlaps(holds)
    main = [s for s in holds if s["task"] == "MainThread"]
    assert main[-2]["label"] == "MainThread holds it; then: time.sleep"
    gap = main[-1]["start"] - main[-2]["end"]
    assert gap >= 140, f"the GIL was free for {gap:.0f} ms of a 150 ms sleep"
    assert main[-1]["label"] == "MainThread holds it; then: the run's end"


def test_a_lock_wait_is_said_in_pythons_words(tmp_path):
    spans = record(
        tmp_path,
        """
        import threading, time

        lock = threading.Lock()
        with lock:
            t = threading.Thread(target=lambda: lock.acquire() and lock.release())
            t.start()
            time.sleep(0.05)
        t.join()
        """,
    )
    waits = [s for s in spans if s["lane"] == "thread-1" and s["kind"] == "blocked"]
    assert [s["label"] for s in waits] == ["Lock.acquire: waiting for the lock"]
    assert waits[0]["end"] - waits[0]["start"] > 30


def test_a_thread_is_known_by_its_thread_name(tmp_path):
    spans = record(
        tmp_path,
        """
        import threading

        def work():
            pass

        named = threading.Thread(target=work, name="downloader")
        named.start()
        named.join()
        unnamed = threading.Thread(target=work)
        unnamed.start()
        unnamed.join()
        """,
    )
    by_lane = {
        s["lane"]: s["task"]
        for s in spans
        if s["lane"] and s["lane"].startswith("thread-")
    }
    assert by_lane == {"thread-1": "downloader", "thread-2": "Thread-1 (work)"}
    holders = {
        s["label"] for s in spans if s["lane"] == "gil" and s["task"] == "downloader"
    }
    assert holders == {"downloader holds it; then: thread end"}


def test_a_sleep_of_zero_lets_the_others_go_first_without_overlapping_itself(tmp_path):
    spans = record(
        tmp_path,
        """
        import threading, time

        def step():
            for _ in range(50):
                time.sleep(0)

        threads = [threading.Thread(target=step) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        """,
    )
    for lane in ("thread-1", "thread-2"):
        assert not overlaps([s for s in spans if s["lane"] == lane]), lane
    holds = [s for s in spans if s["lane"] == "gil"]
    assert not overlaps(holds)
    assert sum(s["label"].endswith("; then: time.sleep") for s in holds) >= 90
