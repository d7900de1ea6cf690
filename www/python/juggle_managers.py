"""multiprocessing's ``Manager`` for the browser's Python: ``dict``, ``list``, ``Namespace``, ``Value``,
``Array``, ``Queue``, ``JoinableQueue``, ``Lock``, ``RLock``, ``Semaphore``, ``BoundedSemaphore``,
``Event``, ``Condition`` and ``Barrier``, shared by every process of the run.

CPython's manager is a server process holding the objects, and each proxy asks it over a connection. Here
there is no server: a managed object is kept pickled in the run's shared memory, with a cross-process lock,
and each proxy call takes the lock, unpickles it, calls the method and (for a method that changes it)
pickles it back. What a program sees is the same: the proxies' methods, their results (copies, as
CPython's), their printed form, and a proxy that may be pickled to any process of the run (a Pool's task
too). A difference: no extra process is started (nothing to count against the Lab's process cap).
"""

import pickle

import juggle_queues
import juggle_sync

try:
    from pyodide.ffi import to_js
except ImportError:  # outside Pyodide (the tests under CPython)
    to_js = bytes

LENGTH, CAPACITY, DATA = range(3)


class SharedObject:
    """One object kept pickled in the run's shared memory, changed under a lock by any process."""

    def __init__(self, value=None, _state=None):
        if _state is None:
            self.words = juggle_sync.Words(3, everyone=True)
            self.lock = juggle_sync.RLock(everyone=True)
            self.store(value)
        else:
            words_place, lock_place = _state
            self.words = juggle_sync.Words(3, words_place)
            self.lock = juggle_sync.RLock(lock_place, everyone=True)

    def state(self):
        return (self.words.place, self.lock.place)

    def load(self):
        w = self.words
        data = juggle_sync.shm().read(self.words.place[0], w.load(DATA), w.load(LENGTH))
        return pickle.loads(data.to_bytes() if hasattr(data, "to_bytes") else bytes(data))

    def store(self, value):
        w = self.words
        data = pickle.dumps(value)
        heap = self.words.place[0]
        if len(data) > w.load(CAPACITY):
            capacity = max(256, 2 * len(data))
            w.store(DATA, int(juggle_sync.shm().alloc(heap, capacity)))
            w.store(CAPACITY, capacity)
        juggle_sync.shm().write(heap, w.load(DATA), to_js(data))
        w.store(LENGTH, len(data))

    def call(self, method, args=(), kwargs=None, changes=True):
        with self.lock:
            obj = self.load()
            result = getattr(obj, method)(*args, **(kwargs or {}))
            if changes:
                self.store(obj)
            return result


def _rebuild(kind, state):
    proxy = kind.__new__(kind)
    proxy._shared = SharedObject(_state=state)
    return proxy


class BaseProxy:
    """What every proxy shares: its object in shared memory, pickled anywhere by its place."""

    _reads = frozenset()

    def __init__(self, value):
        self._shared = SharedObject(value)

    def _callmethod(self, method, args=(), kwds=None):
        return self._shared.call(method, args, kwds, changes=method not in self._reads)

    def _getvalue(self):
        with self._shared.lock:
            return self._shared.load()

    def __reduce__(self):
        return _rebuild, (type(self), self._shared.state())

    def __repr__(self):
        return f"<{type(self).__name__} object, typeid {self._typeid!r}>"

    def __str__(self):
        return self._callmethod("__repr__")


def _method(name):
    def method(self, *args, **kwargs):
        return self._callmethod(name, args, kwargs)

    method.__name__ = name
    return method


_DICT_READS = frozenset(
    ["__contains__", "__getitem__", "__len__", "__repr__", "__eq__", "__ne__", "copy", "get", "keys", "values", "items"]
)
_DICT_METHODS = [
    "__contains__",
    "__delitem__",
    "__getitem__",
    "__len__",
    "__setitem__",
    "__eq__",
    "__ne__",
    "clear",
    "copy",
    "get",
    "pop",
    "popitem",
    "setdefault",
    "update",
]


class DictProxy(BaseProxy):
    """``manager.dict()``: a dict shared by the run's processes (keys(), values(), items() give lists)."""

    _typeid = "dict"
    _reads = _DICT_READS

    def keys(self):
        return list(self._callmethod("keys"))

    def values(self):
        return list(self._callmethod("values"))

    def items(self):
        return list(self._callmethod("items"))

    def __iter__(self):
        return iter(self.keys())


for _name in _DICT_METHODS:
    setattr(DictProxy, _name, _method(_name))

_LIST_READS = frozenset(
    ["__contains__", "__getitem__", "__len__", "__repr__", "__eq__", "__ne__", "__add__", "__mul__", "count", "index"]
)
_LIST_METHODS = [
    "__add__",
    "__contains__",
    "__delitem__",
    "__getitem__",
    "__len__",
    "__mul__",
    "__setitem__",
    "__eq__",
    "__ne__",
    "append",
    "count",
    "extend",
    "index",
    "insert",
    "pop",
    "remove",
    "reverse",
    "sort",
]


class ListProxy(BaseProxy):
    """``manager.list()``: a list shared by the run's processes."""

    _typeid = "list"
    _reads = _LIST_READS

    def __iter__(self):
        return iter(self._getvalue())

    def __iadd__(self, other):
        self._callmethod("extend", (other,))
        return self

    def __imul__(self, n):
        self._callmethod("__imul__", (n,))
        return self


for _name in _LIST_METHODS:
    setattr(ListProxy, _name, _method(_name))


class _Namespace:
    def __init__(self, **kwds):
        self.__dict__.update(kwds)

    def __repr__(self):
        items = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items() if not k.startswith("_"))
        return f"Namespace({items})"


class NamespaceProxy(BaseProxy):
    """``manager.Namespace()``: attributes shared by the run's processes."""

    _typeid = "Namespace"
    _reads = frozenset(["__getattribute__", "__repr__"])

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        return self._callmethod("__getattribute__", (key,))

    def __setattr__(self, key, value):
        if key.startswith("_"):
            object.__setattr__(self, key, value)
        else:
            self._callmethod("__setattr__", (key, value))

    def __delattr__(self, key):
        if key.startswith("_"):
            object.__delattr__(self, key)
        else:
            self._callmethod("__delattr__", (key,))


class _Value:
    def __init__(self, typecode, value):
        self.typecode = typecode
        self.value = value

    def get(self):
        return self.value

    def set(self, value):
        self.value = value

    def __repr__(self):
        return f"{type(self).__name__[1:]}({self.typecode!r}, {self.value!r})"


class ValueProxy(BaseProxy):
    """``manager.Value(typecode, value)``: ``.value``, ``get()``, ``set()``."""

    _typeid = "Value"
    _reads = frozenset(["get", "__repr__"])

    def get(self):
        return self._callmethod("get")

    def set(self, value):
        return self._callmethod("set", (value,))

    value = property(get, set)


class ArrayProxy(ListProxy):
    """``manager.Array(typecode, sequence)``: a shared array (items, length)."""

    _typeid = "Array"


class SyncManager:
    """multiprocessing.Manager(): makes shared objects; ``with Manager() as manager:`` as in CPython."""

    def __init__(self, address=None, authkey=None, serializer="pickle", ctx=None, *, shutdown_timeout=1.0):
        self._state = "initial"

    def start(self, initializer=None, initargs=()):
        self._state = "started"
        if initializer is not None:
            initializer(*initargs)

    def connect(self):
        self._state = "started"

    def shutdown(self):
        self._state = "shutdown"

    def join(self, timeout=None):
        pass

    def __enter__(self):
        if self._state == "initial":
            self.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()

    # ----- the objects -----

    def dict(self, *args, **kwargs):
        return DictProxy(dict(*args, **kwargs))

    def list(self, sequence=()):
        return ListProxy(list(sequence))

    def Namespace(self, **kwds):
        return NamespaceProxy(_Namespace(**kwds))

    def Value(self, typecode, value, lock=True):
        return ValueProxy(_Value(typecode, value))

    def Array(self, typecode, sequence, lock=True):
        return ArrayProxy(list(sequence))

    def Queue(self, maxsize=0):
        return _ManagedQueue(maxsize)

    def JoinableQueue(self, maxsize=0):
        return _ManagedJoinableQueue(maxsize)

    def Lock(self):
        return juggle_sync.Lock(everyone=True)

    def RLock(self):
        return juggle_sync.RLock(everyone=True)

    def Semaphore(self, value=1):
        return juggle_sync.Semaphore(value, everyone=True)

    def BoundedSemaphore(self, value=1):
        return juggle_sync.BoundedSemaphore(value, everyone=True)

    def Event(self):
        return juggle_sync.Event(everyone=True)

    def Condition(self, lock=None):
        return juggle_sync.Condition(lock if lock is not None else self.RLock(), everyone=True)

    def Barrier(self, parties, action=None, timeout=None):
        return juggle_sync.Barrier(parties, action, timeout, everyone=True)


class _ManagedQueue(juggle_queues.Queue):
    """A Manager's Queue: a Queue whose proxy pickles anywhere (a Pool's task too), as CPython's does."""

    def __init__(self, maxsize=0, *, _state=None):
        self._maxsize = maxsize if maxsize and maxsize > 0 else 0
        self._channel = juggle_queues.Channel(self._maxsize, _state, everyone=True)
        self._closed = False

    def __reduce__(self):
        return juggle_queues.rebuild_queue, (type(self), self._maxsize, self._channel.state())


class _ManagedJoinableQueue(_ManagedQueue, juggle_queues.JoinableQueue):
    """A Manager's JoinableQueue."""


Manager = SyncManager
