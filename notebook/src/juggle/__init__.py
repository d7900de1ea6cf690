"""Juggle in a notebook: a scenario, or a cell's own Python program, live in the output.

    import juggle
    juggle.configure(host="https://juggle.example.org/")    # or JUGGLE_HOST, or juggle.serve("dist")
    juggle.scenario("count", variant="async")

    %load_ext juggle
    %%juggle
    ...a program...

Every address is built as the page builds it (``juggle.links``); errors are ``JuggleError`` with a code.
"""

from .display import Embed, lab, scenario
from .errors import JuggleError
from .links import configure, decode_code, encode_code, lab_url, scenario_url
from .magic import load_ipython_extension
from .server import serve

__all__ = [
    "Embed",
    "JuggleError",
    "configure",
    "decode_code",
    "encode_code",
    "lab",
    "lab_url",
    "load_ipython_extension",
    "scenario",
    "scenario_url",
    "serve",
]
__version__ = "0.1.0"
