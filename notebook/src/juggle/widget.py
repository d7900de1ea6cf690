"""Juggle's embed as an anywidget (``pip install 'juggle-notebook[widget]'``).

The widget's front end is ``widget.mjs``, a standalone module: MyST / Jupyter Book 2's ``anywidget``
directive loads the same file with the model as JSON, so one module serves notebooks and book pages.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from .links import lab_url, scenario_url

#: The front-end module, for the MyST directive: ``{anywidget} <this file, copied beside the page>``.
ESM_PATH = Path(__file__).with_name("widget.mjs")


class Juggle(anywidget.AnyWidget):
    """An iframe of a Juggle address (``url``), ``height`` pixels tall; change ``url`` to show another."""

    _esm = ESM_PATH
    url = traitlets.Unicode("").tag(sync=True)
    height = traitlets.Int(480).tag(sync=True)
    title = traitlets.Unicode("Juggle").tag(sync=True)

    @classmethod
    def scenario(cls, id: str, variant: str | None = None, *, height: int = 480, **params: object) -> Juggle:
        """A scenario's compact embed as a widget."""
        title = f"Juggle: the {id} scenario" + (f", {variant}" if variant else "")
        return cls(url=scenario_url(id, variant, params=params), height=height, title=title)

    @classmethod
    def lab(cls, source: str, *, readonly: bool = False, height: int = 480) -> Juggle:
        """A program in the Lab's embed as a widget."""
        return cls(url=lab_url(source, readonly=readonly), height=height, title="Juggle Lab")
