"""What the browser's Python may not do, said plainly.

A program here runs in a Web Worker (it cannot reach the page: there is no `document` in a worker) and it
has no network: every way a Python program could send a request (urllib, http.client, sockets, Pyodide's
pyfetch and open_url, and JavaScript's fetch through `js`) raises PermissionError naming why. The worker
refuses requests on the JavaScript side too (python-worker.js), so nothing leaves the page's origin.

Threads, multiprocessing's processes and subprocesses do not exist in the browser's Python (Pyodide has one
thread); the errors Pyodide raises for them ("can't start new thread", errno 138) are replaced by ones that
say so and say where to run the program instead. The exception types stay the same, so code that catches
them works. The ways to more cores are concurrent.futures.ProcessPoolExecutor (juggle_pool.py) and
multiprocessing (juggle_mp.py and the modules it installs: Pool, Process, Value, Array, the locks, queues,
pipes, events, semaphores, conditions, barriers, Manager), installed after this module in place of the
refusals below. asyncio's subprocess functions refuse as subprocess does.
"""

NO_NETWORK = (
    "the Lab's Python has no network: your program runs inside this page, in a sandbox that sends no "
    "requests ({what} was refused). Run it with python3 on your machine to reach the network"
)

NO_THREADS = (
    "{what} is not available in the browser's Python: it has one thread, and its only processes are a "
    "concurrent.futures.ProcessPoolExecutor's and multiprocessing's (Pool, Process, and their Queue, Pipe, "
    "Value, Array, locks and Manager). Run this program with python3 on your machine to see {them}"
)


def no_network(what):
    return PermissionError(NO_NETWORK.format(what=what))


def _refuse(what):
    def refuse(*args, **kwargs):
        raise no_network(what)

    return refuse


def _async_refuse(what):
    async def refuse(*args, **kwargs):
        raise no_network(what)

    return refuse


def install():
    import socket

    socket.socket.connect = _refuse("socket.connect")
    socket.socket.connect_ex = _refuse("socket.connect_ex")
    socket.create_connection = _refuse("socket.create_connection")
    socket.getaddrinfo = _refuse("socket.getaddrinfo")

    import http.client

    http.client.HTTPConnection.connect = _refuse("http.client")

    import urllib.request

    urllib.request.urlopen = _refuse("urllib.request.urlopen")
    urllib.request.OpenerDirector.open = _refuse("urllib.request (an opener)")
    urllib.request.urlretrieve = _refuse("urllib.request.urlretrieve")

    try:
        import pyodide.http as pyhttp

        pyhttp.pyfetch = _async_refuse("pyodide.http.pyfetch")
        pyhttp.open_url = _refuse("pyodide.http.open_url")
        if hasattr(pyhttp, "pyxhr"):
            pyhttp.pyxhr = _refuse("pyodide.http.pyxhr")
    except ImportError:
        pass

    import asyncio

    asyncio.open_connection = _async_refuse("asyncio.open_connection")
    asyncio.BaseEventLoop.create_connection = _async_refuse("asyncio create_connection")

    import threading

    def thread_start(self, *args, **kwargs):
        raise RuntimeError(NO_THREADS.format(what="A thread (threading.Thread)", them="threads"))

    threading.Thread.start = thread_start

    # concurrent.futures.ProcessPoolExecutor does exist here: juggle_pool.py puts a pool of separate
    # interpreters (one Web Worker each) in its place.

    import subprocess

    def popen(self, *args, **kwargs):
        raise OSError(138, NO_THREADS.format(what="A subprocess", them="it"))

    subprocess.Popen.__init__ = popen

    # asyncio's subprocesses are subprocesses too: the same refusal, before asyncio reaches Pyodide's own.
    async def async_popen(*args, **kwargs):
        raise OSError(138, NO_THREADS.format(what="A subprocess", them="it"))

    asyncio.create_subprocess_exec = asyncio.create_subprocess_shell = async_popen
    asyncio.subprocess.create_subprocess_exec = asyncio.subprocess.create_subprocess_shell = async_popen
    asyncio.BaseEventLoop.subprocess_exec = asyncio.BaseEventLoop.subprocess_shell = async_popen

    try:
        import multiprocessing
        import multiprocessing.context

        def processes(*args, **kwargs):
            raise NotImplementedError(NO_THREADS.format(what="this part of multiprocessing", them="it"))

        def process_start(self, *args, **kwargs):
            processes()

        multiprocessing.Process.start = process_start
        for name in (
            "Pool",
            "Value",
            "Array",
            "RawValue",
            "RawArray",
            "Lock",
            "RLock",
            "Semaphore",
            "BoundedSemaphore",
            "Condition",
            "Event",
            "Barrier",
            "Queue",
            "JoinableQueue",
            "SimpleQueue",
            "Manager",
            "Pipe",
        ):
            setattr(multiprocessing.context.BaseContext, name, lambda self, *a, **k: processes())
            setattr(multiprocessing, name, processes)
    except ImportError:
        pass
