"""The Python documentation's multiprocessing examples (tests/corpus/multiprocessing/) against CPython's
output: CPython itself gives each .out (checked here, with the start method the corpus names), and so
does the browser's multiprocessing on the fake host of test_mp.py (each process runs here, in turn). The
browser itself runs them in tests/e2e/pympcorpus.spec.js, with the same matching rules."""

import contextlib
import io
import json
import re
import subprocess
import sys
import time
import types
from pathlib import Path

import juggle_mp
import juggle_pool
import juggle_spawn
import pytest
from test_mp import FakePoolHost, FakeShm, NoLoop

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "multiprocessing"
MANIFEST = json.loads((CORPUS / "corpus.json").read_text())["programs"]
PID = re.compile(r"<pid(?::(\w+))?>")

# Runs a program as `python3 file.py` does, with the start method asked for.
RUNNER = """
import multiprocessing, sys, __main__
path, method = sys.argv[1], sys.argv[2]
multiprocessing.set_start_method(method)
_set = multiprocessing.set_start_method
multiprocessing.set_start_method = lambda method, force=False: _set(method, force=True)
sys.argv = [path]
__main__.__file__ = path
exec(compile(open(path).read(), path, "exec"), __main__.__dict__)
"""


def matches(expected, actual, unordered=None):
    """True when ``actual`` lines are ``expected`` ones: <pid:NAME> the same number for one NAME and
    different ones for different NAMEs, <pid> any number; lines ``unordered`` (1-based, inclusive) in any
    order."""
    if len(expected) != len(actual):
        return False
    if unordered:
        first, last = unordered[0] - 1, unordered[1]
        expected = expected[:first] + sorted(expected[first:last]) + expected[last:]
        actual = actual[:first] + sorted(actual[first:last]) + actual[last:]
    bound = {}
    for want, got in zip(expected, actual):
        names = []
        pattern = ""
        at = 0
        for found in PID.finditer(want):
            pattern += re.escape(want[at : found.start()]) + r"(\d+)"
            names.append(found.group(1))
            at = found.end()
        pattern += re.escape(want[at:])
        match = re.fullmatch(pattern, got)
        if match is None:
            return False
        for name, number in zip(names, match.groups()):
            if name is None:
                continue
            if bound.setdefault(name, number) != number:
                return False
    return len(set(bound.values())) == len(bound)


def expected_of(name):
    return (CORPUS / name).with_suffix(".out").read_text().splitlines()


def test_the_matching_rules():
    assert matches(["a <pid:x>", "b <pid:x>", "<pid:y>"], ["a 5", "b 5", "6"])
    assert not matches(["a <pid:x>", "b <pid:x>"], ["a 5", "b 6"])
    assert not matches(["<pid:x>", "<pid:y>"], ["5", "5"])
    assert matches(["[<pid>, <pid>]"], ["[7, 7]"])
    assert matches(["1", "b", "a"], ["1", "a", "b"], [2, 3])
    assert not matches(["1", "b", "a"], ["a", "b", "1"], [2, 3])


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_cpython_gives_the_corpus_output(name, tmp_path):
    method = MANIFEST[name].get("start", "spawn")
    run = subprocess.run(
        [sys.executable, "-c", RUNNER, str(CORPUS / name), method],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert matches(
        expected_of(name), run.stdout.splitlines(), MANIFEST[name].get("unordered")
    ), run.stdout


class _Lines(io.TextIOBase):
    """The parent's printed lines, with the time each was printed (to merge with the processes')."""

    def __init__(self):
        self.lines, self.partial = [], ""

    def write(self, text):
        self.partial += text
        *done, self.partial = self.partial.split("\n")
        self.lines.extend((time.monotonic() * 1000.0, line) for line in done)
        return len(text)


# The fake runs each process's task in this interpreter when the parent waits: a time.sleep(10) task would
# hold the test for 10 s, and a timeout could not be seen. The browser runs this one (pympcorpus.spec.js).
FAKE_SKIPS = {
    "pool_workers.py": "a task sleeps 10 s so that res.get(timeout=1) times out"
}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_browser_multiprocessing_on_the_fake_host_gives_the_corpus_output(name):
    if name in FAKE_SKIPS:
        pytest.skip(FAKE_SKIPS[name])
    source = (CORPUS / name).read_text()
    host = FakePoolHost(program=source)
    juggle_pool.install_parent(host, lambda: None, NoLoop)
    juggle_mp.install(FakeShm())
    juggle_pool.begin_run()
    main = types.ModuleType("__main__")
    main.__file__ = str(CORPUS / name)
    saved_main, saved_out = sys.modules["__main__"], sys.stdout
    sys.modules["__main__"] = main
    sys.stdout = out = _Lines()
    error = None
    try:
        exec(compile(source, name, "exec"), main.__dict__)  # noqa: S102 - running it is the test
        juggle_mp.exit_function()
    except Exception as failure:  # noqa: BLE001 - compared below
        error = failure
    finally:
        sys.modules["__main__"], sys.stdout = saved_main, saved_out
        events = juggle_pool.end_run()
    needs = MANIFEST[name].get("needsProcesses", 1)
    if needs > juggle_pool.process_cap():
        assert isinstance(error, ValueError)
        assert f"at most {juggle_pool.process_cap()} processes at once" in str(error)
        return
    assert error is None, error
    lines = sorted(
        out.lines + [(line["t_abs"], line["text"]) for line in events["output"]],
        key=lambda x: x[0],
    )
    actual = [text for _, text in lines]
    assert matches(expected_of(name), actual, MANIFEST[name].get("unordered")), actual


@pytest.fixture(autouse=True)
def _parent_again():
    yield
    with contextlib.suppress(Exception):
        juggle_spawn.set_bootstrapping(False)
