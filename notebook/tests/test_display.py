"""What the notebook shows: the iframe's HTML, the %%juggle magic in a real IPython shell, the widget."""

from __future__ import annotations

import html.parser

import pytest

import juggle
from juggle import JuggleError
from juggle.display import program_title
from juggle.links import decode_code
from juggle.magic import juggle_cell

HOST = "http://127.0.0.1:4710/"


@pytest.fixture(autouse=True)
def _host(monkeypatch):
    monkeypatch.delenv("JUGGLE_HOST", raising=False)
    juggle.configure(host=HOST)
    yield
    juggle.configure(None)


class _Tags(html.parser.HTMLParser):
    """The tags and attributes of a piece of HTML, as a browser's parser sees them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_a_scenario_is_an_iframe_of_the_compact_embed():
    tags = _Tags(juggle.scenario("count", variant="async")._repr_html_()).tags
    assert [t for t, _ in tags] == ["div", "iframe", "div", "a"]
    frame = tags[1][1]
    assert frame["src"] == f"{HOST}?scenario=count&variant=async&embed=1"
    assert frame["allow"] == "cross-origin-isolated"
    assert "height: 480px" in frame["style"]
    assert tags[3][1]["href"] == f"{HOST}?scenario=count&variant=async"


HOSTILE_CELL = '# "><script>alert(1)</script>\nx = "</iframe>&amp;"\nprint(x)\n'


def test_a_hostile_program_stays_text_in_the_url_and_title():
    shown = juggle.lab(HOSTILE_CELL)._repr_html_()
    assert "<script>" not in shown and "</iframe>&" not in shown
    tags = _Tags(shown).tags
    assert [t for t, _ in tags] == ["div", "iframe", "div", "a"]
    frame = tags[1][1]
    assert frame["title"] == 'Juggle Lab: "><script>alert(1)</script>'
    url, payload = frame["src"].split("#code=")
    assert url == f"{HOST}?lab=1&embed=1"
    assert decode_code(payload) == HOSTILE_CELL
    assert tags[3][1]["href"].startswith(f"{HOST}?lab=1#code=")


@pytest.mark.parametrize(
    "height", [0, 10_000, "100px; background: url(x)", "tall", "-5px", "0rem", True, None]
)
def test_sizes_that_are_not_lengths_are_refused(height):
    with pytest.raises(JuggleError) as caught:
        juggle.scenario("count", height=height)
    assert caught.value.code == "invalid-argument"


def test_sizes():
    assert "height: 30rem" in juggle.scenario("count", height="30rem").html
    assert "height: 600px" in juggle.scenario("count", height=600).html


def test_the_magic_shows_the_cell_and_does_not_run_it():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    assert shell.run_cell("%load_ext juggle").success
    result = shell.run_cell('%%juggle --readonly --argv "3 fast" --height 520\nran_in_kernel = True\n')
    assert result.success, result.error_in_exec
    shown = result.result
    assert isinstance(shown, juggle.Embed)
    url, payload = shown.url.split("#code=")
    assert url == f"{HOST}?lab=1&argv=3+fast&readonly=1&embed=1"
    assert decode_code(payload) == "ran_in_kernel = True\n"
    assert shown.height == "520px"
    assert "ran_in_kernel" not in shell.user_ns


def test_magic_options_are_checked_without_leaving_the_kernel():
    for line in ["--nope", "--argv 'unclosed", "--height tall"]:
        with pytest.raises(JuggleError) as caught:
            juggle_cell(line, "print(1)\n")
        assert caught.value.code == "invalid-argument"


def test_the_magic_without_a_host_says_how_to_name_one():
    juggle.configure(None)
    with pytest.raises(JuggleError) as caught:
        juggle_cell("", "print(1)\n")
    assert caught.value.code == "no-host"
    assert juggle_cell("--host http://localhost:9/", "print(1)\n").url.startswith(
        "http://localhost:9/?lab=1&embed=1#"
    )


def test_the_widget_carries_the_same_address():
    widget = pytest.importorskip("juggle.widget")
    shown = widget.Juggle.scenario("count", "async", height=500)
    assert shown.url == f"{HOST}?scenario=count&variant=async&embed=1"
    assert shown.height == 500
    assert "export default { render }" in widget.ESM_PATH.read_text("utf-8")
    lab = widget.Juggle.lab(HOSTILE_CELL, readonly=True)
    assert decode_code(lab.url.split("#code=")[1]) == HOSTILE_CELL
    # Titled as the page titles the program (and as the display's iframe is), not a generic "Juggle Lab".
    assert lab.title == f"Juggle Lab: {program_title(HOSTILE_CELL)}"
    assert lab.title != "Juggle Lab"
