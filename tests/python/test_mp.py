"""juggle_spawn, juggle_pool and juggle_mp under CPython, against a fake host: the page's interpreter is this
one, and each "process" runs its tasks here too, in turn, as itself (its pid and name set while it runs),
its printed lines recorded as a process's are. What is checked: distinct pids as CPython gives, Processes
joined at the program's end with their output kept, the process cap kept, a missing __main__ guard
explained, asyncio's subprocesses refused as subprocess's, and the modules' shape (no import circle, no
reaching into another module's private names)."""

import ast
import contextlib
import multiprocessing
import os
import pickle
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

PY = Path(__file__).resolve().parents[2] / "www" / "python"
sys.path.insert(0, str(PY))

import juggle_mp
import juggle_pool
import juggle_spawn
import juggle_streams


class Bytes:
    """What Pyodide hands Python for JavaScript bytes: ``to_bytes()``."""

    def __init__(self, data):
        self.data = bytes(data)

    def to_bytes(self):
        return self.data


class FakeShm:
    """shared-memory.js in one interpreter: heaps of bytes; Int32 words, cells and locks on them. A wait
    that would hold runs the processes' pending work first (they run here, in turn, when the parent polls)."""

    def __init__(self):
        self.heaps = {"run": bytearray(8), "own": bytearray(8)}
        self.tops = {"run": 8, "own": 8}
        self.values = {}

    def has_heap(self, name):
        return True

    def alloc(self, name, size):
        at = (self.tops[name] + 7) // 8 * 8
        self.tops[name] = at + max(size, 1)
        heap = self.heaps[name]
        heap.extend(bytes(max(0, self.tops[name] - len(heap))))
        return at

    def read(self, heap, offset, length):
        return Bytes(self.heaps[heap][offset : offset + length])

    def write(self, heap, offset, data):
        self.heaps[heap][offset : offset + len(data)] = bytes(data)

    def cell(self, heap, code, offset):
        values = self.values

        def get(i):
            return values.get((heap, offset, i), 0)

        def put(i, value):
            values[(heap, offset, i)] = value

        return types.SimpleNamespace(get=get, set=put)

    def words(self, heap, offset):
        memory = self.heaps[heap]

        def at(i):
            return offset + 4 * i

        def load(i):
            return int.from_bytes(memory[at(i) : at(i) + 4], "little", signed=True)

        def store(i, value):
            memory[at(i) : at(i) + 4] = int(value).to_bytes(4, "little", signed=True)
            return value

        def add(i, value):
            old = load(i)
            store(i, old + value)
            return old

        def cas(i, expected, value):
            old = load(i)
            if old == expected:
                store(i, value)
            return old

        def wait(i, value, timeout_ms):
            for _ in range(100):
                if load(i) != value:
                    return 1
                juggle_pool.on_doorbell()  # the processes run their pending work
            if timeout_ms >= 0:
                return 0
            raise AssertionError(
                "a wait with no limit that nothing would end (the fake's processes are done)"
            )

        return types.SimpleNamespace(
            load=load, store=store, add=add, cas=cas, wait=wait, notify=lambda i, n: 0
        )

    def lock(self, heap, offset):
        w = self.words(heap, offset)

        def owner():
            pid = juggle_spawn.getpid()
            return 1 if pid == juggle_spawn.MAIN_PID else pid

        def acquire(block, timeout_ms):
            if w.cas(0, 0, 1) == 0:
                w.store(1, owner())
                return 1
            return 0  # the fake's processes run one at a time: a held lock stays held

        def release():
            if w.load(0) != 1:
                return 1
            w.store(1, 0)
            w.store(0, 0)
            return 0

        return types.SimpleNamespace(
            acquire=acquire,
            release=release,
            state=lambda: w.load(1) if w.load(0) else 0,
        )


class FakePoolHost:
    """python-worker.js's juggle_pool_host: each process runs here, in turn, when the parent polls."""

    cores = 2

    def __init__(self, program=None):
        self.program = program
        self.next_id = 1
        self.alive = set()
        self.most_alive = 0
        self.todo = []  # (child, kind, ...) to run at the next poll
        self.ended = []
        self.mains = {}  # child -> its __mp_main__ module
        self.names = {}  # child -> the name the parent gave its process

    def available(self):
        return True

    def now(self):
        return time.monotonic() * 1000.0

    def take_interrupt(self):
        return False

    def wait(self, ms, label):
        pass

    def released(self, label):
        return contextlib.nullcontext()

    def arm(self):
        pass

    def spawn(self, lane, initializer, name):
        child = self.next_id
        self.next_id += 1
        self.names[child] = name
        self.alive.add(child)
        self.most_alive = max(self.most_alive, len(self.alive))
        self.todo.append((child, "start", initializer))
        return child

    def send(self, child, task_id, payload, name):
        self.todo.append((child, "task", task_id, bytes(payload), name))

    def end(self, child):
        self.alive.discard(child)
        self.ended.append(child)

    def end_all(self):
        self.alive.clear()

    def poll(self):
        # One piece of the processes' work per poll, as results come in one by one in the browser.
        while self.todo:
            item = self.todo.pop(0)
            if item[0] in self.alive:
                return [(item[0], Bytes(self._run(*item)))]
        return []

    @contextlib.contextmanager
    def _as_child(self, child, lines, task):
        saved = {
            k: v for k, v in vars(juggle_spawn._State).items() if not k.startswith("__")
        }
        parent = multiprocessing.process._parent_process
        juggle_spawn.become_child(juggle_spawn.pid_of(child), self.names[child])
        streams = sys.stdout, sys.stderr
        recorder = ChildLines(self.now, task, lines)
        sys.stdout = juggle_streams.LineWriter(juggle_streams.STDOUT, recorder)
        sys.stderr = juggle_streams.LineWriter(juggle_streams.STDERR, recorder)
        main = sys.modules.get("__main__")
        if child in self.mains:
            sys.modules["__main__"] = self.mains[child]
        try:
            yield
        finally:
            sys.modules["__main__"] = main
            sys.stdout.flush()
            sys.stderr.flush()
            sys.stdout, sys.stderr = streams
            for name, value in saved.items():
                setattr(juggle_spawn._State, name, value)
            juggle_spawn.set_process_name(juggle_spawn._State.name)
            multiprocessing.process._parent_process = parent

    def _run(self, child, kind, *rest):
        lines = []
        if kind == "start":
            error = None
            with self._as_child(child, lines, "start-up"):
                if self.program is not None:
                    juggle_spawn.set_bootstrapping(True)
                    module = types.ModuleType("__mp_main__")
                    self.mains[child] = sys.modules["__main__"] = module
                    try:
                        code = compile(self.program, "<program>", "exec")
                        exec(code, module.__dict__)  # noqa: S102
                    except Exception as failure:  # noqa: BLE001 - what pool-worker.js sends as the reason
                        error = f"Traceback (most recent call last):\n{type(failure).__name__}: {failure}"
                    finally:
                        juggle_spawn.set_bootstrapping(False)
            if error is not None:
                return pickle.dumps(("broken", error, 0, [], lines))
            return pickle.dumps(("ready", 0, [], lines))
        task_id, payload, name = rest
        with self._as_child(child, lines, name):
            fn, args, kwargs = pickle.loads(payload)
            try:
                data, ok = pickle.dumps(fn(*args, **kwargs)), True
            except Exception as failure:  # noqa: BLE001 - a task's exception is its result
                data, ok = pickle.dumps(failure), False
        return pickle.dumps(("done", task_id, ok, data, 0, [], lines))


class ChildLines:
    """What pool-worker.js's process records its printed lines into (juggle_pool's child side)."""

    def __init__(self, now, task, lines):
        self.now, self.task, self.lines = now, task, lines

    def current_name(self):
        return self.task

    def line(self, task, text, stream):
        self.lines.append((self.now(), task, text, stream))


class NoLoop:
    run_in_executor = None


@pytest.fixture
def host():
    fake = FakePoolHost()
    juggle_pool.install_parent(fake, lambda: None, NoLoop)
    juggle_mp.install(FakeShm())
    juggle_pool.begin_run()
    yield fake
    juggle_pool.end_run()


# ----- which process is which -----


def report_ids(*_):
    return os.getpid(), os.getppid(), multiprocessing.current_process().name


def test_the_main_process_has_its_own_pid_and_a_parent(host):
    assert os.getpid() == juggle_spawn.MAIN_PID
    assert os.getppid() == juggle_spawn.PAGE_PID
    assert multiprocessing.current_process().name == "MainProcess"
    assert multiprocessing.current_process().pid == juggle_spawn.MAIN_PID


def test_each_process_has_a_distinct_pid_whose_parent_is_the_main_process(host):
    with juggle_mp.Pool(2) as pool:
        ids = pool.map(report_ids, range(8), chunksize=1)
    pids = {pid for pid, _, _ in ids}
    assert len(pids) == 2
    assert juggle_spawn.MAIN_PID not in pids
    assert {ppid for _, ppid, _ in ids} == {juggle_spawn.MAIN_PID}
    assert os.getpid() == juggle_spawn.MAIN_PID  # the parent's own stays


def show_info(title):
    print(title)
    print("module name:", __name__ == "test_mp")
    print("parent process:", os.getppid())
    print("process id:", os.getpid())
    print("name:", multiprocessing.current_process().name)


def test_a_process_knows_its_pid_name_and_parent_and_its_pid_is_process_pid(host):
    process = juggle_mp.Process(target=show_info, args=("function f",), name="worker")
    process.start()
    process.join()
    assert process.exitcode == 0
    lines = [line["text"] for line in juggle_pool.end_run()["output"]]
    assert lines == [
        "function f",
        "module name: True",
        f"parent process: {juggle_spawn.MAIN_PID}",
        f"process id: {process.pid}",
        "name: worker",
    ]
    assert process.pid != juggle_spawn.MAIN_PID


def report_parent(*_):
    parent = multiprocessing.parent_process()
    return (
        parent.name,
        parent.pid,
        parent.is_alive(),
        multiprocessing.current_process().name,
    )


def test_a_process_parent_is_the_main_process_and_processes_are_numbered_per_run_as_cpython(
    host,
):
    assert multiprocessing.parent_process() is None
    first = juggle_mp.Process(target=show_info, args=("one",))
    with juggle_pool.ProcessPoolExecutor(max_workers=1) as pool:
        from_executor = pool.submit(report_parent).result()
    with juggle_mp.Pool(1) as pool:
        from_pool = pool.apply(report_parent)
    last = juggle_mp.Process(target=show_info, args=("two",))
    # One count for every process a run creates, as CPython's _process_counter.
    assert (first.name, last.name) == ("Process-1", "Process-4")
    assert from_executor == (
        "MainProcess",
        juggle_spawn.MAIN_PID,
        True,
        "SpawnProcess-2",
    )
    assert from_pool == (
        "MainProcess",
        juggle_spawn.MAIN_PID,
        True,
        "SpawnPoolWorker-3",
    )
    assert multiprocessing.parent_process() is None  # the parent's own stays
    juggle_pool.end_run()
    juggle_pool.begin_run()  # the next run numbers its processes from 1, as a new python would
    assert juggle_mp.Process(target=show_info).name == "Process-1"


def complain(x):
    print(f"task {x}", file=sys.stderr)
    print("to stdout")
    sys.stderr.write(
        "no newline"
    )  # recorded when the task ends, as CPython flushes at a process's end
    return x


def test_a_process_stderr_lines_are_kept_on_their_stream_with_their_task(host):
    with juggle_pool.ProcessPoolExecutor(max_workers=1) as pool:
        assert pool.submit(complain, 7).result() == 7
    output = juggle_pool.end_run()["output"]
    assert [(line["stream"], line["task"], line["text"]) for line in output] == [
        ("stderr", "complain", "task 7"),
        ("stdout", "complain", "to stdout"),
        ("stderr", "complain", "no newline"),
    ]


def fail(x):
    raise ValueError(f"bad {x}")


def test_a_process_whose_target_raises_prints_its_name_and_traceback_on_stderr(host):
    process = juggle_mp.Process(target=fail, args=(5,))
    process.start()
    process.join()
    assert process.exitcode == 1
    output = juggle_pool.end_run()["output"]
    assert {line["stream"] for line in output} == {"stderr"}
    texts = [line["text"] for line in output]
    # CPython: "Process Process-1:", then the traceback of the target, as traceback.print_exc() prints it.
    assert texts[:2] == ["Process Process-1:", "Traceback (most recent call last):"]
    assert any(text.strip() == 'raise ValueError(f"bad {x}")' for text in texts)
    assert texts[-1] == "ValueError: bad 5"


# ----- Processes joined at the end, output kept, cap kept -----


def locked_print(lock, i):
    lock.acquire()
    try:
        print("hello world", i)
    finally:
        lock.release()


def test_docs_lock_example_without_join_prints_all_ten_lines_at_exit_within_the_cap(
    host,
):
    lock = multiprocessing.Lock()
    for num in range(10):
        juggle_mp.Process(target=locked_print, args=(lock, num)).start()
    juggle_mp.exit_function()  # what juggle_worker.run calls when the program ends
    lines = sorted(line["text"] for line in juggle_pool.end_run()["output"])
    assert lines == sorted(f"hello world {i}" for i in range(10))
    assert host.most_alive <= juggle_pool.process_cap()
    assert juggle_mp.active_children() == []


def test_daemon_processes_are_ended_not_joined_at_exit(host):
    daemon = juggle_mp.Process(target=print, args=("daemon",), daemon=True)
    daemon.start()
    juggle_mp.exit_function()
    assert daemon.exitcode == -15
    assert [line["text"] for line in juggle_pool.end_run()["output"]] == []


def test_process_names_count_from_one_in_each_run(host):
    assert juggle_mp.Process().name == "Process-1"
    assert juggle_mp.Process().name == "Process-2"
    juggle_pool.begin_run()
    assert juggle_mp.Process().name == "Process-1"


# ----- a missing __main__ guard -----

UNGUARDED = """
from concurrent.futures import ProcessPoolExecutor
executor = ProcessPoolExecutor(2)
"""


def test_missing_main_guard_is_explained_with_cpythons_words(host):
    host.program = UNGUARDED
    executor = juggle_pool.ProcessPoolExecutor(2)
    future = executor.submit(abs, -1)
    with pytest.raises(juggle_pool.BrokenProcessPool) as caught:
        future.result()
    message = str(caught.value)
    assert 'if __name__ == "__main__":' in message
    assert "runs the whole program first" in message
    assert "finished its bootstrapping phase" in str(caught.value.__cause__)


def test_a_process_still_bootstrapping_refuses_to_start_one_as_cpython_does(host):
    juggle_spawn.set_bootstrapping(True)
    try:
        with pytest.raises(
            RuntimeError,
            match="An attempt has been made to start a new process before the",
        ):
            juggle_mp.Process(target=print).start()
        with pytest.raises(RuntimeError, match="bootstrapping phase"):
            juggle_pool.ProcessPoolExecutor(1)
    finally:
        juggle_spawn.set_bootstrapping(False)


def test_guarded_program_starts_its_processes(host):
    host.program = (
        'if __name__ == "__main__":\n    raise SystemExit("not run in a process")\n'
    )
    with juggle_mp.Pool(2) as pool:
        assert pool.apply(abs, (-3,)) == 3


# ----- asyncio's subprocesses -----


def test_asyncio_subprocesses_are_refused_with_subprocess_message():
    script = f"""
import asyncio, subprocess, sys
sys.path.insert(0, {str(PY)!r})
import juggle_sandbox
juggle_sandbox.install()
messages = []
try:
    subprocess.run(["true"])
except OSError as error:
    messages.append((type(error).__name__, error.errno, error.strerror))
async def main():
    for make in (asyncio.create_subprocess_exec, asyncio.create_subprocess_shell):
        try:
            await make("true")
        except OSError as error:
            messages.append((type(error).__name__, error.errno, error.strerror))
    try:
        await asyncio.get_running_loop().subprocess_exec(asyncio.SubprocessProtocol, "true")
    except OSError as error:
        messages.append((type(error).__name__, error.errno, error.strerror))
asyncio.run(main())
print(len(messages), len(set(messages)), messages[0][1], "subprocess" in messages[0][2].lower())
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["4", "1", "138", "True"]


# ----- the modules' shape -----

MODULES = [
    "juggle_spawn",
    "juggle_pool",
    "juggle_mp",
    "juggle_sandbox",
    "juggle_worker",
]


def imports_of(name):
    tree = ast.parse((PY / f"{name}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return {module for module in found if module.startswith("juggle_")}


def test_no_import_circle_between_the_process_modules():
    assert imports_of("juggle_spawn") == set()
    assert imports_of("juggle_streams") == set()
    assert imports_of("juggle_pool") == {"juggle_spawn", "juggle_streams"}
    assert imports_of("juggle_sync") == {"juggle_pool", "juggle_spawn"}
    assert imports_of("juggle_queues") == {"juggle_pool", "juggle_spawn", "juggle_sync"}
    assert imports_of("juggle_managers") == {"juggle_queues", "juggle_sync"}
    parts = [
        "juggle_spawn",
        "juggle_pool",
        "juggle_sync",
        "juggle_queues",
        "juggle_managers",
    ]
    assert "juggle_mp" not in set().union(*(imports_of(name) for name in parts))


def test_no_module_reaches_into_another_modules_private_names():
    for name in MODULES:
        tree = ast.parse((PY / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                owner = node.value.id
                if owner.startswith("juggle_") and owner != name:
                    assert not node.attr.startswith("_"), (
                        f"{name}.py reads {owner}.{node.attr}"
                    )
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "juggle_"
            ):
                for alias in node.names:
                    assert not alias.name.startswith("_"), (
                        f"{name}.py imports {node.module}.{alias.name}"
                    )


# ----- synchronisation, queues, pipes, managers -----


def put_items(q, items):
    for item in items:
        q.put(item)


def test_queue_between_processes_keeps_order_and_refuses_pickling_outside_inheritance(
    host,
):
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=put_items, args=(q, [1, "two", [3.0, None]]))
    p.start()
    assert [q.get(), q.get(), q.get()] == [1, "two", [3.0, None]]
    p.join()
    assert q.empty()
    with pytest.raises(
        RuntimeError,
        match="Queue objects should only be shared between processes through inheritance",
    ):
        pickle.dumps(q)


def test_queue_limits_timeouts_and_a_message_bigger_than_its_ring(host):
    import queue

    q = multiprocessing.Queue(maxsize=2)
    q.put(1)
    q.put(2)
    assert q.full()
    with pytest.raises(queue.Full):
        q.put(3, timeout=0.01)
    assert q.get() == 1
    assert q.get_nowait() == 2
    with pytest.raises(queue.Empty):
        q.get(timeout=0.01)
    big = "x" * 100_000
    q.put(big)
    assert q.get() == big


def work_through(q):
    while True:
        item = q.get()
        q.task_done()
        if item is None:
            return


def test_joinable_queue_join_returns_when_every_item_is_done(host):
    q = multiprocessing.JoinableQueue()
    for item in [1, 2, None]:
        q.put(item)
    p = multiprocessing.Process(target=work_through, args=(q,))
    p.start()
    q.join()
    p.join()
    with pytest.raises(ValueError, match="task_done"):
        q.task_done()


def echo(conn):
    while True:
        message = conn.recv()
        if message is None:
            conn.close()
            return
        conn.send(message * 2)


def test_duplex_pipe_both_ways_and_eof_when_the_other_end_closes(host):
    parent, child = multiprocessing.Pipe()
    parent.send(21)
    parent.send("ab")
    parent.send(None)
    p = multiprocessing.Process(target=echo, args=(child,))
    p.start()
    p.join()
    assert parent.recv() == 42
    assert parent.poll()
    assert parent.recv() == "abab"
    with pytest.raises(EOFError):
        parent.recv()
    reader, writer = multiprocessing.Pipe(duplex=False)
    writer.send_bytes(b"raw")
    assert reader.recv_bytes() == b"raw"
    assert not reader.poll(0)
    with pytest.raises(OSError):
        reader.send(1)


def release_twice(sem, event):
    sem.release()
    sem.release()
    event.set()


def test_semaphore_event_and_bounded_semaphore(host):
    sem = multiprocessing.Semaphore(0)
    event = multiprocessing.Event()
    assert not sem.acquire(timeout=0.01)
    assert not event.is_set()
    p = multiprocessing.Process(target=release_twice, args=(sem, event))
    p.start()
    assert event.wait()
    assert sem.acquire() and sem.acquire(block=False)
    assert not sem.acquire(block=False)
    p.join()
    bounded = multiprocessing.BoundedSemaphore(1)
    with pytest.raises(ValueError, match="released too many times"):
        bounded.release()


def notify_after(cond, flag):
    with cond:
        flag.set()
        cond.notify_all()


def test_condition_wait_for_a_process_notify(host):
    cond = multiprocessing.Condition()
    flag = multiprocessing.Event()
    with cond:
        p = multiprocessing.Process(target=notify_after, args=(cond, flag))
        p.start()
        # The lock is released while waiting: the process takes it and notifies.
        assert cond.wait(timeout=1)
        assert flag.is_set()
    p.join()
    assert p.exitcode == 0
    with cond:
        assert cond.wait_for(flag.is_set, timeout=1)
    with pytest.raises(AssertionError):
        cond.notify()


def meet(barrier):
    barrier.wait()


def test_barrier_of_two_and_its_reset(host):
    barrier = multiprocessing.Barrier(2)
    p = multiprocessing.Process(target=meet, args=(barrier,))
    p.start()
    assert barrier.wait() in (0, 1)  # the parent waits; the process arrives second
    p.join()
    assert p.exitcode == 0
    assert barrier.n_waiting == 0
    barrier.abort()
    assert barrier.broken
    with pytest.raises(threading_broken()):
        barrier.wait()
    barrier.reset()
    assert not barrier.broken


def threading_broken():
    import threading

    return threading.BrokenBarrierError


def change(d, items, ns, value):
    d["from child"] = os.getpid()
    items.append("child")
    items.extend([1, 2])
    ns.x = 10
    value.value += 1


def test_manager_objects_shared_with_a_process_and_pickled_anywhere(host):
    with multiprocessing.Manager() as manager:
        d = manager.dict(a=1)
        items = manager.list(["parent"])
        ns = manager.Namespace(x=1)
        value = manager.Value("i", 41)
        p = multiprocessing.Process(target=change, args=(d, items, ns, value))
        p.start()
        p.join()
        assert d["from child"] == process_pid(p)
        assert sorted(d.keys()) == ["a", "from child"]
        assert str(items) == "['parent', 'child', 1, 2]"
        assert (
            len(items) == 4
            and items[0] == "parent"
            and list(items) == ["parent", "child", 1, 2]
        )
        assert ns.x == 10
        assert value.value == 42
        copy = pickle.loads(pickle.dumps(d))  # a proxy pickles anywhere, as CPython's
        copy["b"] = 2
        assert d.get("b") == 2
        q = manager.Queue()
        q.put("via manager")
        assert pickle.loads(pickle.dumps(q)).get() == "via manager"
        lock = manager.Lock()
        assert pickle.loads(pickle.dumps(lock)).acquire()


def process_pid(process):
    return process.pid
