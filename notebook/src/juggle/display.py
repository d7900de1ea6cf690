"""What a notebook shows: an iframe of Juggle's compact embed, with a link to open it whole."""

from __future__ import annotations

import re
from html import escape

from .errors import JuggleError
from .links import lab_url, scenario_url


def _size(value: int | str, what: str) -> str:
    """A CSS length: an int is pixels; a string must be a plain length such as '100%' or '30rem'."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise JuggleError("invalid-argument", f"the {what} is a number of pixels or a CSS length")
    if isinstance(value, int):
        if not 50 <= value <= 5000:
            raise JuggleError("invalid-argument", f"the {what} is between 50 and 5000 pixels")
        return f"{value}px"
    text = value.strip()
    number = text.rstrip("%pxremvhw")
    try:
        if float(number) <= 0:
            raise ValueError(number)
    except ValueError:
        raise JuggleError(
            "invalid-argument", f"{value!r} is not a CSS length such as '100%' or '30rem'"
        ) from None
    if text[len(number) :] not in ("px", "%", "rem", "em", "vh", "vw"):
        raise JuggleError("invalid-argument", f"{value!r} is not a CSS length such as '100%' or '30rem'")
    return text


class Embed:
    """Juggle in a notebook's output: an iframe of ``url`` (``embed=1``) and a link to ``open_url`` (the
    same page outside a frame; ``url`` when not given).

    Shown by Jupyter through ``_repr_html_`` (JupyterLab, Notebook 7, VS Code, Colab); ``url`` is the
    embed's address, ``open_url`` the same page outside a frame, ``html`` the snippet for course pages.
    """

    def __init__(self, url: str, title: str, *, height: int | str = 480, open_url: str | None = None) -> None:
        self.url = url
        self.title = title
        self.height = _size(height, "height")
        self.open_url = open_url or url

    @property
    def html(self) -> str:
        """The iframe, every attribute escaped for HTML (so a program's text cannot break out of it)."""
        return (
            f'<iframe class="juggle" src="{escape(self.url, quote=True)}" title="{escape(self.title, quote=True)}" '
            f'loading="lazy" allow="cross-origin-isolated" '
            f'style="width: 100%; border: 0; height: {self.height}"></iframe>'
        )

    def _repr_html_(self) -> str:
        link = (
            f'<div style="font-size: 0.85em"><a href="{escape(self.open_url, quote=True)}" target="_blank" '
            f'rel="noopener">Open in Juggle</a></div>'
        )
        return f'<div class="juggle-embed">{self.html}{link}</div>'

    def __repr__(self) -> str:
        return f"Juggle embed: {self.url}"


def scenario(
    id: str,
    variant: str | None = None,
    *,
    height: int | str = 480,
    host: str | None = None,
    autorun: bool = False,
    understand: bool = False,
    **params: object,
) -> Embed:
    """One scenario in the output, compact: ``juggle.scenario("count", variant="async")``.

    ``understand=True`` opens the embed's Understand step (folded otherwise). Keyword arguments other
    than these set the scenario's knobs (``tasks=5``), as the page's URL does.
    """
    url = scenario_url(id, variant, params=params, autorun=autorun, understand=understand, host=host)
    open_url = scenario_url(id, variant, params=params, embed=False, host=host)
    title = f"Juggle: the {id} scenario" + (f", {variant}" if variant else "")
    return Embed(url, title, height=height, open_url=open_url)


def lab(
    source: str,
    *,
    argv: list[str] | str | None = None,
    readonly: bool = False,
    height: int | str = 480,
    host: str | None = None,
    title: str | None = None,
) -> Embed:
    """A Python program in Juggle's Lab, embedded: the learner presses Run there, not in the kernel."""
    url = lab_url(source, argv=argv, readonly=readonly, host=host)
    open_url = lab_url(source, argv=argv, embed=False, host=host)
    return Embed(url, title or f"Juggle Lab: {program_title(source)}", height=height, open_url=open_url)


def program_title(source: str) -> str:
    """A title for a program, as the page titles it (www/views/embed-panel.js ``programTitle``): the first
    line of its module docstring or of its first comment, else "a Python program"; at most 80 characters."""
    first = ""
    for line in source.lstrip("\ufeff").split("\n"):
        text = line.strip()
        if not text or text.startswith("#!") or re.match(r"#.*coding[:=]", text):
            continue
        doc = re.match(r"""[rRuU]?(\"\"\"|''')\s*(.*?)\s*(?:\1.*)?$""", text)
        if doc:
            first = doc.group(2)
        elif text.startswith("#"):
            first = re.sub(r"^#+\s*", "", text)
        break
    title = (first or "a Python program").strip()
    return title if len(title) <= 80 else title[:79] + "…"
