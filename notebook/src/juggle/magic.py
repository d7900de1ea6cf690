"""The ``%%juggle`` cell magic: the cell's program opens in Juggle's Lab, embedded under the cell.

    %load_ext juggle
    %%juggle [--readonly] [--height 520] [--argv "3 fast"] [--host https://...]

The kernel does not run the cell: the browser does, in the Lab, with real threads and a timeline.
"""

from __future__ import annotations

import argparse
import shlex

from .display import Embed, lab
from .errors import JuggleError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit the kernel's process
        raise JuggleError("invalid-argument", f"%%juggle: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="%%juggle", add_help=False)
    parser.add_argument("--readonly", action="store_true", help="the learner can run it but not edit it")
    parser.add_argument("--height", default="480", help="pixels, or a CSS length")
    parser.add_argument("--argv", default=None, help="sys.argv[1:], space-separated, in one quoted word")
    parser.add_argument("--host", default=None, help="this Juggle site instead of the configured one")
    parser.add_argument("--title", default=None)
    return parser


def juggle_cell(line: str, cell: str) -> Embed:
    """What ``%%juggle`` shows for ``line`` (its options) and ``cell`` (the program)."""
    try:
        words = shlex.split(line)
    except ValueError as error:
        raise JuggleError("invalid-argument", f"%%juggle: {error}") from None
    options = _parser().parse_args(words)
    height: int | str = int(options.height) if options.height.isdigit() else options.height
    return lab(
        cell,
        argv=options.argv,
        readonly=options.readonly,
        height=height,
        host=options.host,
        title=options.title,
    )


def load_ipython_extension(ipython) -> None:
    """``%load_ext juggle``: registers the ``%%juggle`` cell magic."""
    ipython.register_magic_function(juggle_cell, magic_kind="cell", magic_name="juggle")
