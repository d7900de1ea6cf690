"""The one exception type of the package: every error carries a short, stable code."""

from __future__ import annotations


class JuggleError(ValueError):
    """An error with a code a program can test (``error.code``) and a message a learner can read.

    Codes:
      ``no-host``            no Juggle host named (``juggle.configure(host=...)``, ``JUGGLE_HOST``, ``juggle.serve``)
      ``invalid-host``       the host is not an http(s) address
      ``invalid-code-link``  the program cannot travel in a Lab link (too large, a NUL, not UTF-8 text);
                             the same code as the page's own check (www/views/lab-link.js)
      ``invalid-argument``   an argument, scenario id, knob or size the page would not accept
      ``no-site``            ``juggle serve`` was pointed at a folder that is not Juggle's build
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        #: The error's code, one of the codes above.
        self.code = code

    def __str__(self) -> str:
        return f"{self.args[0]} [{self.code}]"
