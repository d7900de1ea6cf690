"""Runs one program as ``python -u PROGRAM`` would, with juggle_streams capturing its stdout and stderr, and
prints what was recorded as JSON lines ``[stream, task, text]`` on the real stdout.

Used by test_streams.py in a fresh interpreter, so that the program meets CPython's defaults (warning
filters, logging) and not pytest's.
"""

import json
import sys
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "www" / "python"))

import juggle_streams


class Recorder:
    """The tracer's side of juggle_streams: ``line(task, text, stream)`` and ``current_name()``."""

    def __init__(self):
        self.lines = []

    def current_name(self):
        return "main program"

    def line(self, task, text, stream):
        self.lines.append([stream, task, text])


def main(path):
    source = Path(path).read_text(encoding="utf-8")
    module = types.ModuleType("__main__")
    module.__file__ = path
    sys.modules["__main__"] = module
    recorder = Recorder()
    capture = juggle_streams.capture(recorder)
    try:
        exec(compile(source, path, "exec"), module.__dict__)  # noqa: S102 - running it is the job
    finally:
        capture.restore()
    sys.__stdout__.write(json.dumps(recorder.lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
