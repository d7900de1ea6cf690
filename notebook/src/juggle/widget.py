"""Juggle's embed as an anywidget (``pip install 'juggle-notebook[widget]'``).

The widget's front end is ``widget.mjs``, a standalone module: MyST / Jupyter Book 2's ``anywidget``
directive loads the same file with the model as JSON, so one module serves notebooks and book pages.

After each run the learner starts in the frame, the run's trace comes back to Python as data::

    w = Juggle.scenario("count", "async")
    w                                  # the learner presses Run in the frame
    w.trace["total_ms"]                # 1003.4...
    [line["text"] for line in w.trace["output"]]
    w.observe(lambda change: print(change["new"]), names="trace")   # each run as it ends (None: new url)
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from .display import program_title
from .links import lab_url, scenario_url

#: The front-end module, for the MyST directive: ``{anywidget} <this file, copied beside the page>``.
ESM_PATH = Path(__file__).with_name("widget.mjs")


class Juggle(anywidget.AnyWidget):
    """An iframe of a Juggle address (``url``), ``height`` pixels tall; change ``url`` to show another.

    ``trace`` is the last live run's trace (a dict in Juggle's trace format: ``scenario``, ``variant``,
    ``params``, ``total_ms``, ``spans``, ``output``, ``heartbeat``, ``result``, ``why``), or None before
    the first run. The front end sets it from the message the embed posts after each run of a scenario's
    variant or of a Lab program that ended (not for a recorded run shown from a file or link, nor a run
    that raised or was stopped), and only from the widget's own frame. It is the frame's data: the widget
    does not run anything in the kernel. A new ``url`` forgets it.
    """

    _esm = ESM_PATH
    url = traitlets.Unicode("").tag(sync=True)
    height = traitlets.Int(480).tag(sync=True)
    title = traitlets.Unicode("Juggle").tag(sync=True)
    #: The last run's trace, set by the front end (None until the learner runs something).
    trace = traitlets.Dict(default_value=None, allow_none=True).tag(sync=True)

    @traitlets.observe("url")
    def _forget_trace(self, change: dict) -> None:
        """Another address shows another embed: the trace of the old one no longer describes it."""
        if change["old"] != change["new"]:
            self.trace = None

    @classmethod
    def scenario(cls, id: str, variant: str | None = None, *, height: int = 480, **params: object) -> Juggle:
        """A scenario's compact embed as a widget."""
        title = f"Juggle: the {id} scenario" + (f", {variant}" if variant else "")
        return cls(url=scenario_url(id, variant, params=params), height=height, title=title)

    @classmethod
    def lab(cls, source: str, *, readonly: bool = False, height: int = 480) -> Juggle:
        """A program in the Lab's embed as a widget, titled as the page titles it."""
        title = f"Juggle Lab: {program_title(source)}"
        return cls(url=lab_url(source, readonly=readonly), height=height, title=title)
