"""multiprocessing's ``Queue``, ``JoinableQueue``, ``SimpleQueue`` and ``Pipe`` for the browser's Python,
between processes, on the run's shared memory (www/python/shared-memory.js).

A channel is a ring of bytes in the run's heap (each message ``pickle.dumps(obj)`` behind its length), a
few Int32 words (how many messages, where they start and end, counters that change on each put and get)
and a cross-process Lock. A put writes under the lock and notifies the put counter; a get waiting for a
message holds its thread in ``Atomics.wait`` on that counter (as CPython's reader waits on its pipe). The
ring grows (a new place in the heap) when a message does not fit an empty ring.

As in CPython, a Queue reaches a process by inheritance (a Process's args, a Pool's initargs): pickled
anywhere else it raises CPython's RuntimeError. A Connection (either end of a Pipe) pickles anywhere.
"""

import pickle
import queue

import juggle_pool
import juggle_sync
from juggle_spawn import assert_spawning

try:
    from pyodide.ffi import to_js
except ImportError:  # outside Pyodide (the tests under CPython)
    to_js = bytes

# The channel's words
COUNT, HEAD, TAIL, USED, CAPACITY, DATA, PUTS, GETS, UNFINISHED, MAXSIZE, CLOSED = range(11)
WORDS = 11
FIRST_CAPACITY = 16 * 1024


def _left_ms(deadline_ms):
    return -1 if deadline_ms is None else deadline_ms - juggle_pool.now_ms()


class Channel:
    """Messages from any process to any process of the run, in order, on shared memory."""

    def __init__(self, maxsize=0, _state=None, everyone=False):
        if _state is None:
            self.words = juggle_sync.Words(WORDS, everyone=everyone)
            self.lock = juggle_sync.Lock(everyone=everyone)
            heap = self.words.place[0]
            self.words.store(CAPACITY, FIRST_CAPACITY)
            self.words.store(DATA, int(juggle_sync.shm().alloc(heap, FIRST_CAPACITY)))
            self.words.store(MAXSIZE, max(0, int(maxsize or 0)))
        else:
            words_place, lock_place = _state
            self.words = juggle_sync.Words(WORDS, words_place)
            self.lock = juggle_sync.Lock(lock_place, everyone=True)
        self.heap = self.words.place[0]

    def state(self):
        return (self.words.place, self.lock.place)

    # ----- the ring -----

    def _write(self, at, data):
        shm, w = juggle_sync.shm(), self.words
        capacity, base = w.load(CAPACITY), w.load(DATA)
        first = min(len(data), capacity - at)
        shm.write(self.heap, base + at, to_js(data[:first]))
        if first < len(data):
            shm.write(self.heap, base, to_js(data[first:]))

    def _read(self, at, length):
        shm, w = juggle_sync.shm(), self.words
        capacity, base = w.load(CAPACITY), w.load(DATA)
        first = min(length, capacity - at)
        data = _bytes(shm.read(self.heap, base + at, first))
        if first < length:
            data += _bytes(shm.read(self.heap, base, length - first))
        return data

    def _grow(self, needed):
        """Only with the ring empty: a new, bigger place for it."""
        w = self.words
        capacity = max(needed, 2 * w.load(CAPACITY))
        w.store(DATA, int(juggle_sync.shm().alloc(self.heap, capacity)))
        w.store(CAPACITY, capacity)
        w.store(HEAD, 0)
        w.store(TAIL, 0)

    # ----- put and get -----

    def put_bytes(self, data, block=True, timeout=None, task=False):
        """Appends one message; False when it could not (the queue full and no wait, or the wait ran out)."""
        w = self.words
        message = len(data).to_bytes(4, "little") + data
        deadline_ms = None if timeout is None else juggle_pool.now_ms() + max(0.0, timeout) * 1000
        while True:
            self.lock.acquire()
            try:
                maxsize = w.load(MAXSIZE)
                if not maxsize or w.load(COUNT) < maxsize:
                    if w.load(USED) == 0 and len(message) > w.load(CAPACITY):
                        self._grow(len(message))
                    if len(message) <= w.load(CAPACITY) - w.load(USED):
                        tail = w.load(TAIL)
                        self._write(tail, message)
                        w.store(TAIL, (tail + len(message)) % w.load(CAPACITY))
                        w.add(USED, len(message))
                        w.add(COUNT, 1)
                        if task:
                            w.add(UNFINISHED, 1)
                        w.add(PUTS, 1)
                        w.notify(PUTS, -1)
                        return True
                seen = w.load(GETS)
            finally:
                self.lock.release()
            left = _left_ms(deadline_ms)
            if not block or (deadline_ms is not None and left <= 0):
                return False
            w.wait(GETS, seen, left)

    def get_bytes(self, block=True, timeout=None):
        """Takes the first message; None when there was none (no wait, or the wait ran out, or closed)."""
        w = self.words
        deadline_ms = None if timeout is None else juggle_pool.now_ms() + max(0.0, timeout) * 1000
        while True:
            self.lock.acquire()
            try:
                if w.load(COUNT) > 0:
                    head, capacity = w.load(HEAD), w.load(CAPACITY)
                    length = int.from_bytes(self._read(head, 4), "little")
                    data = self._read((head + 4) % capacity, length)
                    w.store(HEAD, (head + 4 + length) % capacity)
                    w.add(USED, -(4 + length))
                    w.add(COUNT, -1)
                    w.add(GETS, 1)
                    w.notify(GETS, -1)
                    return data
                if w.load(CLOSED):
                    return None
                seen = w.load(PUTS)
            finally:
                self.lock.release()
            left = _left_ms(deadline_ms)
            if not block or (deadline_ms is not None and left <= 0):
                return None
            w.wait(PUTS, seen, left)

    def wait_for_message(self, timeout=None):
        """True when a message is there (or comes within ``timeout`` seconds; None: no limit)."""
        w = self.words
        deadline_ms = None if timeout is None else juggle_pool.now_ms() + max(0.0, timeout) * 1000
        while True:
            seen = w.load(PUTS)
            if w.load(COUNT) > 0 or w.load(CLOSED):
                return w.load(COUNT) > 0
            left = _left_ms(deadline_ms)
            if deadline_ms is not None and left <= 0:
                return False
            w.wait(PUTS, seen, left)

    def count(self):
        return self.words.load(COUNT)

    def close(self):
        self.words.store(CLOSED, 1)
        self.words.add(PUTS, 1)
        self.words.notify(PUTS, -1)

    def closed(self):
        return self.words.load(CLOSED) == 1

    # ----- JoinableQueue -----

    def task_done(self):
        w = self.words
        self.lock.acquire()
        try:
            if w.load(UNFINISHED) <= 0:
                raise ValueError("task_done() called too many times")
            if w.add(UNFINISHED, -1) == 1:
                w.notify(UNFINISHED, -1)
        finally:
            self.lock.release()

    def join(self):
        w = self.words
        while True:
            unfinished = w.load(UNFINISHED)
            if unfinished <= 0:
                return
            w.wait(UNFINISHED, unfinished, -1)


def _bytes(data):
    return data.to_bytes() if hasattr(data, "to_bytes") else bytes(data)


class Queue:
    """multiprocessing.Queue: a FIFO queue between the run's processes (``maxsize`` <= 0: no limit)."""

    def __init__(self, maxsize=0, *, ctx=None, _state=None):
        self._maxsize = maxsize if maxsize and maxsize > 0 else 0
        self._channel = Channel(self._maxsize, _state)
        self._closed = False

    def put(self, obj, block=True, timeout=None):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")
        if not self._channel.put_bytes(pickle.dumps(obj), block, timeout, task=self._joinable):
            raise queue.Full

    _joinable = False

    def get(self, block=True, timeout=None):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")
        data = self._channel.get_bytes(block, timeout)
        if data is None:
            raise queue.Empty
        return pickle.loads(data)

    def put_nowait(self, obj):
        return self.put(obj, False)

    def get_nowait(self):
        return self.get(False)

    def qsize(self):
        return self._channel.count()

    def empty(self):
        return self._channel.count() == 0

    def full(self):
        return bool(self._maxsize) and self._channel.count() >= self._maxsize

    def close(self):
        self._closed = True

    def join_thread(self):
        if not self._closed:
            raise AssertionError("Queue.join_thread() called before close()")

    def cancel_join_thread(self):
        pass

    def __reduce__(self):
        assert_spawning(self)
        return rebuild_queue, (type(self), self._maxsize, self._channel.state())


def rebuild_queue(kind, maxsize, state):
    """A Queue again, from its pickle (in the process it reached)."""
    return kind(maxsize, _state=state)


class JoinableQueue(Queue):
    """multiprocessing.JoinableQueue: a Queue with ``task_done`` and ``join``."""

    _joinable = True

    def task_done(self):
        self._channel.task_done()

    def join(self):
        self._channel.join()


class SimpleQueue:
    """multiprocessing.SimpleQueue: ``put``, ``get``, ``empty``, ``close``."""

    def __init__(self, *, ctx=None, _state=None):
        self._channel = Channel(0, _state)
        self._closed = False

    def put(self, obj):
        self._channel.put_bytes(pickle.dumps(obj))

    def get(self):
        return pickle.loads(self._channel.get_bytes())

    def empty(self):
        return self._channel.count() == 0

    def close(self):
        self._closed = True

    def __reduce__(self):
        assert_spawning(self)
        return _rebuild_simple_queue, (self._channel.state(),)


def _rebuild_simple_queue(state):
    return SimpleQueue(_state=state)


class Connection:
    """One end of a Pipe: ``send``/``recv`` (pickled objects), ``send_bytes``/``recv_bytes``, ``poll``,
    ``close``. ``recv`` raises EOFError once the other end is closed and nothing is left to read."""

    def __init__(self, incoming, outgoing):
        self._in = incoming
        self._out = outgoing
        self._closed = False

    @property
    def closed(self):
        return self._closed

    @property
    def readable(self):
        return self._in is not None

    @property
    def writable(self):
        return self._out is not None

    def _check(self, reading):
        if self._closed:
            raise OSError("handle is closed")
        if reading and self._in is None:
            raise OSError("connection is write-only")
        if not reading and self._out is None:
            raise OSError("connection is read-only")

    def send_bytes(self, buf, offset=0, size=None):
        self._check(False)
        data = bytes(memoryview(buf))
        end = len(data) if size is None else offset + size
        if offset < 0 or end > len(data) or (size is not None and size < 0):
            raise ValueError("buffer length < offset + size" if end > len(data) else "offset is negative")
        self._out.put_bytes(data[offset:end])

    def send(self, obj):
        self._check(False)
        self._out.put_bytes(pickle.dumps(obj))

    def recv_bytes(self, maxlength=None):
        self._check(True)
        data = self._in.get_bytes()
        if data is None:
            raise EOFError
        if maxlength is not None and len(data) > maxlength:
            raise OSError("bad message length")
        return data

    def recv(self):
        self._check(True)
        data = self._in.get_bytes()
        if data is None:
            raise EOFError
        return pickle.loads(data)

    def poll(self, timeout=0.0):
        self._check(True)
        return self._in.wait_for_message(timeout)

    def close(self):
        if not self._closed:
            self._closed = True
            if self._out is not None:
                self._out.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __reduce__(self):
        return _rebuild_connection, (
            None if self._in is None else self._in.state(),
            None if self._out is None else self._out.state(),
        )

    def __repr__(self):
        return f"<multiprocessing.connection.Connection {'closed' if self._closed else 'open'}>"


def _rebuild_connection(incoming, outgoing):
    return Connection(
        None if incoming is None else Channel(_state=incoming),
        None if outgoing is None else Channel(_state=outgoing),
    )


def Pipe(duplex=True):
    """multiprocessing.Pipe: two Connections; with ``duplex`` each end sends and receives, else the first
    only receives and the second only sends."""
    one = Channel()
    if not duplex:
        return Connection(one, None), Connection(None, one)
    two = Channel()
    return Connection(one, two), Connection(two, one)
