"""What a process of the browser's Python knows about itself, as CPython's "spawn" start method has it: which
process this is (its pid, its parent's pid, its name), whether it is still running its copy of the program
(the bootstrapping phase) and whether objects are being pickled to start a process (inheritance).

One job, no other Juggle module imported: juggle_pool.py (the process host and the child side) and
juggle_mp.py (multiprocessing's parts) both read it, so neither needs the other's private names.

Process ids: the page's interpreter is ``MAIN_PID``; the process the page's interpreter starts with id N
is ``MAIN_PID + N`` (ids count up across the page's runs, so no two processes of a page share one). The
page's interpreter's parent (``os.getppid()`` there) is ``PAGE_PID``, the page itself, as a shell is the
parent of ``python3 file.py``.
"""

import contextlib
import itertools
import os
import sys

PAGE_PID = 999
MAIN_PID = 1000

# CPython's words (its multiprocessing spawn module, _check_not_importing_main), then the Lab's.
BOOTSTRAP_ERROR = """
        An attempt has been made to start a new process before the
        current process has finished its bootstrapping phase.

        This probably means that you are not using fork to start your
        child processes and you have forgotten to use the proper idiom
        in the main module:

            if __name__ == '__main__':
                freeze_support()
                ...

        The "freeze_support()" line can be omitted if the program
        is not going to be frozen to produce an executable.

        To fix this issue, refer to the "Safe importing of main module"
        section in https://docs.python.org/3/library/multiprocessing.html
        """

GUARD_MISSING = (
    'the program has no if __name__ == "__main__": guard around the code that starts processes. Each new '
    "process runs the whole program first (as __mp_main__, as CPython's spawn start method does on macOS and "
    "Windows), so that copy tried to start processes of its own. Put the code that starts processes (Pool(), "
    'ProcessPoolExecutor(), Process(...).start()) under if __name__ == "__main__":'
)


class _State:
    pid = MAIN_PID
    ppid = PAGE_PID
    name = "MainProcess"
    in_child = False
    bootstrapping = False
    spawning = False
    identities = itertools.count(1)


def next_identity():
    """The number in the next process's default name (``Process-N``, ``SpawnProcess-N``): as CPython's
    ``multiprocessing.process._process_counter``, one count for every process a run creates, from 1."""
    return next(_State.identities)


def forget_identities():
    """A new run: its processes are numbered from 1 again, as a new ``python`` would number them."""
    _State.identities = itertools.count(1)


def pid_of(child_id):
    """The pid of the process the page's interpreter started with id ``child_id``."""
    return MAIN_PID + int(child_id)


def getpid():
    """``os.getpid()`` of this interpreter."""
    return _State.pid


def getppid():
    """``os.getppid()`` of this interpreter."""
    return _State.ppid


def in_child():
    """True in a process the page's interpreter started (not in the page's interpreter)."""
    return _State.in_child


def bootstrapping():
    """True while this process runs its copy of the program (as ``__mp_main__``) and the initializer."""
    return _State.bootstrapping


def set_bootstrapping(value):
    _State.bootstrapping = bool(value)


def process_name():
    """This process's name, as ``multiprocessing.current_process().name``."""
    return _State.name


def set_process_name(name):
    """Names this process (``multiprocessing.current_process().name`` too)."""
    _State.name = str(name)
    process = sys.modules.get("multiprocessing.process")
    if process is not None:
        process.current_process()._name = _State.name


def become_child(pid, name="SpawnProcess"):
    """This interpreter is a process started by the page's interpreter, with this pid; its
    ``multiprocessing.parent_process()`` is the page's interpreter (``MainProcess``), as in CPython."""
    _State.in_child = True
    _State.pid = int(pid)
    _State.ppid = MAIN_PID
    set_process_name(name)
    from multiprocessing import process

    class ParentProcess(process._ParentProcess):
        """CPython's own, alive while this process runs: the page's interpreter outlives every process it
        starts (CPython's asks the parent's sentinel, which a process here has none of)."""

        def is_alive(self):
            return True

    process._parent_process = ParentProcess("MainProcess", MAIN_PID, None)


def check_not_importing_main():
    """CPython's check before a process starts: refused while this process is still bootstrapping."""
    if _State.bootstrapping:
        raise RuntimeError(BOOTSTRAP_ERROR)


def is_bootstrap_error(text):
    """True when a process's error text is the bootstrapping error above."""
    return "finished its bootstrapping phase" in text


@contextlib.contextmanager
def spawning():
    """Pickling for a process being started (a Pool's initargs, a Process's args): inheritance."""
    before = _State.spawning
    _State.spawning = True
    try:
        yield
    finally:
        _State.spawning = before


def assert_spawning(obj):
    """CPython's check: such an object may only be pickled while a process is being started."""
    if not _State.spawning:
        raise RuntimeError(f"{type(obj).__name__} objects should only be shared between processes through inheritance")


def install_os():
    """``os.getpid()`` and ``os.getppid()`` give this process's ids (Pyodide's are 42 and 1 everywhere)."""
    os.getpid = getpid
    os.getppid = getppid
