"""multiprocessing's synchronisation objects for the browser's Python, between processes, on the run's shared
memory (www/python/shared-memory.js): ``Lock``, ``RLock``, ``Semaphore``, ``BoundedSemaphore``, ``Event``,
``Condition``, ``Barrier``.

Each is a few Int32 words of the run's heap (a SharedArrayBuffer every process of the run sees). A change
is an ``Atomics`` operation; a process that must wait holds its thread in ``Atomics.wait`` on the word it
waits for (woken by the changer's ``Atomics.notify``, and every 50 ms to look at Stop, which raises
KeyboardInterrupt). As in CPython, these objects reach a process by inheritance (a Process's args, a
Pool's initargs); pickling one anywhere else raises CPython's RuntimeError.

The place of an object is ``(heap, offset)``: ``run`` for the page's interpreter's objects, ``own`` for an
object a process made for itself (which CPython could not share either).
"""

from threading import BrokenBarrierError

import juggle_pool
import juggle_spawn
from juggle_spawn import assert_spawning

_shm = None  # the JavaScript side (shared-memory.js), set by install()

# How many times this interpreter holds each RLock it holds, by place: its nested takes and releases are
# counted here, in Python (only the holder changes the count); the shared word says who holds it.
_held = {}
HELD_COUNTS = _held  # the same dict, read by a Value's lock-free path (juggle_mp.Synchronized)


def install(shm):
    """The JavaScript side of shared memory (``juggle_shm_host``)."""
    global _shm
    _shm = shm
    juggle_pool.on_new_run(_held.clear)  # a new run, a new shared heap: no lock of the last one is held


def shm():
    """The JavaScript side of shared memory (shared-memory.js), for the other multiprocessing modules."""
    return _shm


def heap_for_new(everyone=False):
    """The heap a new shared object goes in: the run's (``own`` in a process, unless ``everyone``)."""
    heap = "own" if juggle_spawn.in_child() and not everyone else "run"
    if heap == "run" and not _shm.has_heap("run"):
        raise NotImplementedError(
            "multiprocessing's shared objects (Value, Array, locks, queues, pipes, managers) are not available "
            "here: they need shared memory (a cross-origin isolated page), as the browser's processes do"
        )
    return heap


def alloc(nbytes, everyone=False):
    """``nbytes`` zeroed bytes of shared memory: their place ``(heap, offset)``."""
    heap = heap_for_new(everyone)
    return heap, int(_shm.alloc(heap, int(nbytes)))


def stopped():
    """A wait gave up because Stop was asked: KeyboardInterrupt, as CPython's Ctrl-C."""
    juggle_pool.take_interrupt()
    return KeyboardInterrupt()


def _ms(timeout):
    if timeout is None:
        return -1
    return max(0.0, float(timeout) * 1000)


class Words:
    """``count`` Int32 words of shared memory (shared-memory.js ``words``), with a wait that raises on Stop."""

    def __init__(self, count, place=None, everyone=False):
        self.place = place or alloc(4 * count, everyone)
        w = _shm.words(*self.place)
        self.load, self.store, self.add, self.cas, self._wait, self.notify = (
            w.load,
            w.store,
            w.add,
            w.cas,
            w.wait,
            w.notify,
        )

    def wait(self, index, value, timeout_ms):
        """Holds this thread while word ``index`` is ``value``: True when it changed (or was notified), False
        when ``timeout_ms`` passed (< 0: no limit)."""
        got = self._wait(index, value, timeout_ms)
        if got == -1:
            raise stopped()
        return got == 1


class _LockBase:
    _recursive = False

    def __init__(self, _place=None, everyone=False):
        # Two Int32 words in shared memory (shared-memory.js): held, holder.
        self._place = tuple(_place or alloc(8, everyone))
        self._everyone = everyone
        self._key = self._place
        lock = _shm.lock(*self._place)
        self._acquire, self._release, self._state = lock.acquire, lock.release, lock.state

    def acquire(self, block=True, timeout=None):
        if self._recursive and _held.get(self._key):
            _held[self._key] += 1
            return True
        if timeout is not None and timeout < 0:
            timeout = 0
        got = self._acquire(bool(block), -1 if timeout is None else float(timeout) * 1000)
        if got == -1:
            raise stopped()
        if got == 1 and self._recursive:
            _held[self._key] = 1
        return got == 1

    def release(self):
        if self._recursive:
            count = _held.get(self._key, 0)
            if count == 0:
                raise AssertionError("attempt to release recursive lock not owned by thread")
            if count > 1:
                _held[self._key] = count - 1
                return
            del _held[self._key]
        if self._release() == 1:
            raise ValueError("semaphore or lock released too many times")

    def held_here(self):
        """True when this interpreter holds this lock (an RLock's count; a Lock's holder word)."""
        if self._recursive:
            return _held.get(self._key, 0) > 0
        return self._state() == _owner()

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    @property
    def place(self):
        """Where it is: ``(heap, offset)`` (also its key in ``HELD_COUNTS``)."""
        return self._place

    def __reduce__(self):
        if not self._everyone:  # a Manager's pickles anywhere, as CPython's proxies do
            assert_spawning(self)
        return type(self), (self._place, self._everyone)


def _owner():
    pid = juggle_spawn.getpid()
    return 1 if pid == juggle_spawn.MAIN_PID else pid


class Lock(_LockBase):
    """multiprocessing.Lock: one holder at a time, across every process of the run."""

    def __repr__(self):
        return f"<Lock(owner={_who(self._state())})>"


class RLock(_LockBase):
    """multiprocessing.RLock: a lock its holder may take again (and must release as many times)."""

    _recursive = True

    def __repr__(self):
        holder = self._state()
        return f"<RLock({_who(holder)}, {_held.get(self._key, 0) if holder else 0})>"


def _who(holder):
    if not holder:
        return "None"
    return "MainProcess" if holder == 1 else f"process-{holder - juggle_spawn.MAIN_PID}"


class Semaphore:
    """multiprocessing.Semaphore: a counter shared by the run's processes; ``acquire`` waits while it is 0."""

    _bounded = False

    def __init__(self, value=1, _place=None, _max=None, everyone=False):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._words = Words(2, _place, everyone)
        self._everyone = everyone
        self._max = value if _max is None else _max
        if _place is None:
            self._words.store(0, int(value))

    def acquire(self, block=True, timeout=None):
        w = self._words
        deadline_ms = None if timeout is None else juggle_pool.now_ms() + _ms(timeout)
        while True:
            value = w.load(0)
            if value > 0:
                if w.cas(0, value, value - 1) == value:
                    return True
                continue
            if not block:
                return False
            left = -1 if deadline_ms is None else deadline_ms - juggle_pool.now_ms()
            if deadline_ms is not None and left <= 0:
                return False
            w.add(1, 1)  # one more waiter
            try:
                w.wait(0, 0, left)
            finally:
                w.add(1, -1)

    def release(self):
        w = self._words
        if self._bounded:
            while True:
                value = w.load(0)
                if value >= self._max:
                    raise ValueError("semaphore or lock released too many times")
                if w.cas(0, value, value + 1) == value:
                    break
        else:
            w.add(0, 1)
        w.notify(0, 1)

    def get_value(self):
        return self._words.load(0)

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    def __reduce__(self):
        if not self._everyone:
            assert_spawning(self)
        return type(self), (0, self._words.place, self._max, self._everyone)

    def __repr__(self):
        return f"<{type(self).__name__}(value={self.get_value()}{self._maxvalue()})>"

    def _maxvalue(self):
        return f", maxvalue={self._max}" if self._bounded else ""


class BoundedSemaphore(Semaphore):
    """multiprocessing.BoundedSemaphore: a Semaphore whose release past its initial value raises."""

    _bounded = True


class Event:
    """multiprocessing.Event: a flag shared by the run's processes; ``wait`` holds until it is set."""

    def __init__(self, _place=None, everyone=False):
        self._words = Words(1, _place, everyone)
        self._everyone = everyone

    def is_set(self):
        return self._words.load(0) == 1

    def set(self):
        self._words.store(0, 1)
        self._words.notify(0, -1)

    def clear(self):
        self._words.store(0, 0)

    def wait(self, timeout=None):
        if self._words.load(0) == 1:
            return True
        self._words.wait(0, 0, _ms(timeout))
        return self._words.load(0) == 1

    def __reduce__(self):
        if not self._everyone:
            assert_spawning(self)
        return type(self), (self._words.place, self._everyone)

    def __repr__(self):
        return f"<Event({'set' if self.is_set() else 'unset'})>"


class Condition:
    """multiprocessing.Condition: ``wait`` releases the lock and holds until a ``notify`` (then retakes it).

    A notify adds to a shared count of wake-ups and wakes that many waiters; a waiter takes one wake-up."""

    def __init__(self, lock=None, _place=None, everyone=False):
        self._lock = lock if lock is not None else RLock(everyone=everyone)
        # [0] sequence (changes on each notify), [1] waiters, [2] wake-ups not yet taken
        self._words = Words(3, _place, everyone)
        self._everyone = everyone
        self.acquire = self._lock.acquire
        self.release = self._lock.release

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)

    def _release_all(self):
        count = 0
        if isinstance(self._lock, RLock):
            while self._lock.held_here():
                self._lock.release()
                count += 1
        else:
            self._lock.release()
            count = 1
        return count

    def wait(self, timeout=None):
        if not self._lock.held_here():
            raise AssertionError("must acquire() condition before using wait()")
        w = self._words
        w.add(1, 1)
        taken = self._release_all()
        deadline_ms = None if timeout is None else juggle_pool.now_ms() + _ms(timeout)
        woken = False
        try:
            while True:
                wakeups = w.load(2)
                if wakeups > 0 and w.cas(2, wakeups, wakeups - 1) == wakeups:
                    woken = True
                    break
                left = -1 if deadline_ms is None else deadline_ms - juggle_pool.now_ms()
                if deadline_ms is not None and left <= 0:
                    break
                seq = w.load(0)
                if w.load(2) > 0:
                    continue
                w.wait(0, seq, left)
        finally:
            w.add(1, -1)
            for _ in range(taken):
                self._lock.acquire()
        return woken

    def wait_for(self, predicate, timeout=None):
        result = predicate()
        if result:
            return result
        deadline_ms = None if timeout is None else juggle_pool.now_ms() + _ms(timeout)
        while not result:
            if deadline_ms is not None:
                left = deadline_ms - juggle_pool.now_ms()
                if left <= 0:
                    break
                self.wait(left / 1000)
            else:
                self.wait()
            result = predicate()
        return result

    def notify(self, n=1):
        if not self._lock.held_here():
            raise AssertionError("lock is not owned")
        w = self._words
        while True:
            waiting = w.load(1) - w.load(2)
            if waiting <= 0:
                return
            wake = min(n, waiting)
            before = w.load(2)
            if w.cas(2, before, before + wake) == before:
                break
        w.add(0, 1)
        w.notify(0, -1)

    def notify_all(self):
        self.notify(1 << 30)

    def __reduce__(self):
        if not self._everyone:
            assert_spawning(self)
        return type(self), (self._lock, self._words.place, self._everyone)

    def __repr__(self):
        return f"<Condition({self._lock!r}, {self._words.load(1)})>"


class Barrier:
    """multiprocessing.Barrier: ``parties`` processes meet; each ``wait`` holds until all have arrived."""

    def __init__(self, parties, action=None, timeout=None, _place=None, everyone=False):
        if parties < 1:
            raise ValueError("parties must be >= 1")
        self._everyone = everyone
        self._parties = int(parties)
        self._action = action
        self._timeout = timeout
        # [0] arrived in this generation, [1] generation, [2] broken
        self._words = Words(3, _place, everyone)

    @property
    def parties(self):
        return self._parties

    @property
    def n_waiting(self):
        return self._words.load(0)

    @property
    def broken(self):
        return self._words.load(2) == 1

    def wait(self, timeout=None):
        w = self._words
        if timeout is None:
            timeout = self._timeout
        if w.load(2):
            raise BrokenBarrierError
        generation = w.load(1)
        index = w.add(0, 1)
        if index + 1 == self._parties:
            if self._action is not None:
                try:
                    self._action()
                except BaseException:
                    self.abort()
                    raise
            w.store(0, 0)
            w.add(1, 1)
            w.notify(1, -1)
            return index
        deadline_ms = None if timeout is None else juggle_pool.now_ms() + _ms(timeout)
        while w.load(1) == generation:
            if w.load(2):
                raise BrokenBarrierError
            left = -1 if deadline_ms is None else deadline_ms - juggle_pool.now_ms()
            if deadline_ms is not None and left <= 0:
                self.abort()
                raise BrokenBarrierError
            w.wait(1, generation, left)
        if w.load(2):
            raise BrokenBarrierError
        return index

    def reset(self):
        w = self._words
        w.store(0, 0)
        w.store(2, 0)
        w.add(1, 1)
        w.notify(1, -1)

    def abort(self):
        self._words.store(2, 1)
        self._words.add(1, 1)
        self._words.notify(1, -1)

    def __reduce__(self):
        if not self._everyone:
            assert_spawning(self)
        return type(self), (self._parties, self._action, self._timeout, self._words.place, self._everyone)

    def __repr__(self):
        return f"<Barrier(parties={self._parties}, waiting={self.n_waiting})>"
