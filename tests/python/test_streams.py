"""juggle_streams under CPython: every printed line keeps its stream and the program's order; a run's warning
filters and logging handlers do not outlive it; and the corpus of real programs (tests/corpus/stderr/: the
logging HOWTO, the warnings, traceback and asyncio docs) records CPython's own stdout and stderr, in order."""

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "www" / "python"))

import juggle_streams

CORPUS = ROOT / "tests" / "corpus" / "stderr"
PROGRAMS = sorted(CORPUS.glob("*.py"))
# A traceback's caret line (`~~~~^^^^`) depends on the CPython version (3.11 omits some that 3.13 and 3.14
# print): compared without them.
CARETS = re.compile(r"^\s*[~^]+\s*$")


class Recorder:
    """The tracer's side: ``line(task, text, stream)`` and ``current_name()``."""

    def __init__(self):
        self.lines = []
        self.task = "main program"

    def current_name(self):
        return self.task

    def line(self, task, text, stream):
        self.lines.append((stream, task, text))


@pytest.fixture
def recorder():
    return Recorder()


def test_print_and_stderr_lines_keep_their_stream_in_the_programs_order(recorder):
    capture = juggle_streams.capture(recorder)
    try:
        print("One")
        print("oops", file=sys.stderr)
        recorder.task = "worker"
        print("Two")
    finally:
        capture.restore()
    assert recorder.lines == [
        ("stdout", "main program", "One"),
        ("stderr", "main program", "oops"),
        ("stdout", "worker", "Two"),
    ]


def test_a_line_is_recorded_when_it_ends_and_a_last_partial_line_at_the_end(recorder):
    capture = juggle_streams.capture(recorder)
    try:
        sys.stdout.write("a")
        sys.stderr.write("b\nc")
        sys.stdout.write("d\ne\n\n")
        sys.stdout.write("tail")
        assert [text for _, _, text in recorder.lines] == ["b", "ad", "e", ""]
    finally:
        capture.restore()
    assert recorder.lines[-2:] == [
        ("stdout", "main program", "tail"),
        ("stderr", "main program", "c"),
    ]


def test_the_streams_are_put_back_and_refuse_bytes_as_cpythons_do(recorder):
    before = sys.stdout, sys.stderr
    capture = juggle_streams.capture(recorder)
    try:
        assert sys.stderr.writable() and not sys.stderr.isatty()
        assert sys.stderr.encoding == "utf-8"
        with pytest.raises(TypeError, match="must be str, not bytes"):
            sys.stderr.write(b"x")
        sys.stderr.writelines(["p\n", "q\n"])
    finally:
        capture.restore()
    assert (sys.stdout, sys.stderr) == before
    assert [text for _, _, text in recorder.lines] == ["p", "q"]


def test_logging_goes_to_the_runs_stderr_and_its_handlers_end_with_the_run(recorder):
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    capture = juggle_streams.capture(recorder)
    try:
        root.handlers[
            :
        ] = []  # pytest's own capture handler, as a fresh interpreter has none
        logging.basicConfig(
            format="%(levelname)s:%(name)s:%(message)s", level=logging.INFO
        )
        logging.getLogger("juggle.test.new").info("hello")
        logging.getLogger("juggle.test.new").addHandler(logging.NullHandler())
    finally:
        capture.restore()
        root.handlers[:] = handlers
    assert recorder.lines == [("stderr", "main program", "INFO:juggle.test.new:hello")]
    assert root.level == level
    assert logging.getLogger("juggle.test.new").handlers == []


TWO_RUNS = """
import json, sys, warnings
from run_captured import Recorder  # puts www/python on the path

import juggle_streams

filters = list(warnings.filters)
recorder = Recorder()
for run in range(2):
    capture = juggle_streams.capture(recorder)
    try:
        for _ in range(2):
            warnings.warn("careful", UserWarning)
        if run == 0:
            warnings.simplefilter("ignore")
    finally:
        capture.restore()
sys.__stdout__.write(json.dumps({"lines": recorder.lines, "same": warnings.filters == filters}))
"""


def test_a_runs_warning_filters_end_with_it_and_the_next_run_is_warned_again():
    """In a fresh interpreter (pytest's own warning capture aside): a warning shows once per place in each
    run, as in two fresh interpreters, and a filter the first run set is gone in the second."""
    here = Path(__file__).parent
    code = f"import sys; sys.path[:0] = [{str(here)!r}]\n" + TWO_RUNS
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        check=True,
        text=True,
        cwd=here,
    )
    result = json.loads(done.stdout)
    assert result["same"]
    warned = [
        text for stream, _, text in result["lines"] if "UserWarning: careful" in text
    ]
    assert len(warned) == 2, result["lines"]
    assert {stream for stream, _, _ in result["lines"]} == {"stderr"}


def normalized(text, program):
    """CPython's output with the program's path as ``{program}``, lines without carets."""
    lines = text.replace(str(program), "{program}").splitlines()
    return [line for line in lines if not CARETS.match(line)]


def expected(program, suffix):
    return normalized(
        (CORPUS / f"{program.stem}.{suffix}").read_text(encoding="utf-8"), program
    )


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_the_corpus_expectations_are_cpythons_own_output(program):
    """Each program's ``.out`` is what ``python -u PROGRAM 2>&1`` prints (merged, in order), and its
    ``.err`` what it prints to stderr, on this CPython."""
    run = [sys.executable, "-u", str(program)]
    merged = subprocess.run(
        run, cwd=CORPUS, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=True
    )
    assert normalized(merged.stdout.decode(), program) == expected(program, "out")
    apart = subprocess.run(run, cwd=CORPUS, capture_output=True, check=True)
    assert normalized(apart.stderr.decode(), program) == expected(program, "err")


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_the_corpus_captured_line_by_line_gives_cpythons_streams_and_order(program):
    """Run through juggle_streams (in a fresh interpreter, tests/python/run_captured.py), each program's
    lines are CPython's merged output in its order, and those on stderr are CPython's stderr."""
    harness = Path(__file__).with_name("run_captured.py")
    done = subprocess.run(
        [sys.executable, str(harness), str(program)],
        cwd=CORPUS,
        capture_output=True,
        check=True,
        text=True,
    )
    assert done.stderr == "", "nothing escapes the capture"
    lines = json.loads(done.stdout)
    assert normalized("\n".join(text for _, _, text in lines), program) == expected(
        program, "out"
    )
    stderr = "\n".join(text for stream, _, text in lines if stream == "stderr")
    assert normalized(stderr, program) == expected(program, "err")
    assert {task for _, task, _ in lines} <= {"main program"}
