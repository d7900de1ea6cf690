"""A run's ``sys.stdout`` and ``sys.stderr``: every line a program prints, kept with its stream.

CPython writes ``print`` to standard output and everything that reports to standard error: ``logging``'s
handlers (``basicConfig``, ``lastResort``), ``warnings`` ("coroutine ... was never awaited",
DeprecationWarning), ``traceback.print_exc()``, asyncio's "Task exception was never retrieved",
``print(..., file=sys.stderr)``. Here both are a ``LineWriter`` that hands each complete line to a recorder
(the tracer's ``line(task, text, stream)``) the moment its newline is written, so the lines of the two
streams keep the program's order, as a terminal shows them from ``python -u`` (unbuffered). A line is
recorded when it ends: a partial line on one stream while a whole line goes to the other comes after it.

``capture(tracer)`` installs both writers for one run and gives back what ``restore()`` undoes at its end,
so that a run in a reused interpreter starts as a fresh ``python`` would: the program's warning filters and
"shown once" memory, and the logging handlers it added to the root logger, do not outlive it.
"""

import io
import logging
import sys
import warnings

STDOUT = "stdout"
STDERR = "stderr"


class LineWriter(io.TextIOBase):
    """A text stream that records each complete line with the task printing it and its stream's name."""

    def __init__(self, stream, tracer):
        super().__init__()
        self.stream = stream
        self._tracer = tracer
        self._partial = ""

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "strict"

    @property
    def name(self):
        return f"<{self.stream}>"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if "\n" not in text:
            self._partial += text
            return len(text)
        *lines, rest = (self._partial + text).split("\n")
        self._partial = rest
        for line in lines:
            self._record(line)
        return len(text)

    def flush(self):
        """Records a line the program left without its newline (at the run's end, or when asked)."""
        if self._partial:
            line, self._partial = self._partial, ""
            self._record(line)

    def _record(self, line):
        tracer = self._tracer
        tracer.line(tracer.current_name(), line, self.stream)


class Capture:
    """One run's streams: what ``restore()`` puts back at its end."""

    def __init__(self, tracer):
        self.stdout = LineWriter(STDOUT, tracer)
        self.stderr = LineWriter(STDERR, tracer)
        self._saved = (sys.stdout, sys.stderr)
        root = logging.getLogger()
        self._root_handlers = list(root.handlers)
        self._root_level = root.level
        self._loggers = set(logging.Logger.manager.loggerDict)
        self._disabled = logging.Logger.manager.disable
        # Entering catch_warnings keeps the filters to put back and forgets which warnings were shown
        # already, as a new interpreter would ("default" shows a warning once per place).
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        sys.stdout, sys.stderr = self.stdout, self.stderr

    def restore(self):
        """Records what is left of a line on either stream, then puts the interpreter back as it was."""
        for writer in (self.stdout, self.stderr):
            writer.flush()
        root = logging.getLogger()
        for handler in root.handlers:
            if handler not in self._root_handlers:
                handler.close()
        root.handlers[:] = self._root_handlers
        root.setLevel(self._root_level)
        # Loggers the run made stay (a module may hold one) but lose what the run gave them.
        manager = logging.Logger.manager
        for name in set(manager.loggerDict) - self._loggers:
            logger = manager.loggerDict[name]
            if isinstance(logger, logging.Logger):
                for handler in logger.handlers:
                    handler.close()
                logger.handlers.clear()
                logger.setLevel(logging.NOTSET)
                logger.propagate = True
                logger.disabled = False
        logging.disable(self._disabled)
        self._warnings.__exit__(None, None, None)
        sys.stdout, sys.stderr = self._saved


def capture(tracer):
    """Sends ``sys.stdout`` and ``sys.stderr`` to ``tracer`` (its ``line(task, text, stream)`` and
    ``current_name()``) until the returned capture's ``restore()``."""
    return Capture(tracer)
