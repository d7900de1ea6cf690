"""The run's trace back to Python: the widget's ``trace`` trait, and the message it is set from."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import juggle

widget = pytest.importorskip("juggle.widget")

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("trace_message.mjs")
HOST = "http://127.0.0.1:4710/"

#: What the front end sends the kernel after a run (a trace, trimmed to a few fields).
A_RUN = {
    "scenario": "count",
    "variant": "async",
    "params": {"tasks": 3, "sleep_ms": 1000},
    "total_ms": 1003.4,
    "output": [{"text": "One"}, {"text": "One"}, {"text": "Two"}, {"text": "Two"}],
}


@pytest.fixture(autouse=True)
def _host(monkeypatch):
    monkeypatch.delenv("JUGGLE_HOST", raising=False)
    juggle.configure(host=HOST)
    yield
    juggle.configure(None)


def test_the_trace_is_none_until_a_run_and_is_synced_from_the_front_end():
    shown = widget.Juggle.scenario("count", "async")
    assert shown.trace is None
    assert shown.trait_metadata("trace", "sync") is True
    assert shown.get_state()["trace"] is None
    seen = []
    shown.observe(lambda change: seen.append(change["new"]), names="trace")
    # What ipywidgets does with the front end's update message: the state, set on the Python object.
    shown.set_state({"trace": A_RUN})
    assert shown.trace == A_RUN
    assert shown.trace["total_ms"] > 0
    assert [line["text"] for line in shown.trace["output"]] == ["One", "One", "Two", "Two"]
    assert seen == [A_RUN]


def test_a_new_address_forgets_the_trace_of_the_old_one():
    shown = widget.Juggle.scenario("count", "async")
    shown.set_state({"trace": A_RUN})
    shown.url = shown.url  # the same address: the trace stays
    assert shown.trace == A_RUN
    shown.url = juggle.scenario_url("count", "sync")
    assert shown.trace is None


def test_the_trace_must_be_a_dict():
    import traitlets

    shown = widget.Juggle.lab("print(1)\n")
    with pytest.raises(traitlets.TraitError):
        shown.trace = [A_RUN]


def test_the_pages_message_is_what_the_widget_takes():
    if shutil.which("node") is None or not (REPO / "www" / "views" / "embed-trace.js").is_file():
        pytest.skip("needs node and the Juggle repository's www/ (run from the repository)")
    done = subprocess.run(
        ["node", str(SCRIPT), str(widget.ESM_PATH)], capture_output=True, text=True, check=True, timeout=60
    )
    found = json.loads(done.stdout)
    pages, verdicts = found["pages"], found["verdicts"]
    # An embed in a frame posts one message, to any origin, in the agreed shape.
    assert pages["embedded"]["sent"] is True
    [posted] = pages["embedded"]["messages"]
    assert posted["target"] == "*"
    message = posted["message"]
    assert sorted(message) == ["scenario", "trace", "type", "variant"]
    assert (message["type"], message["scenario"], message["variant"]) == ("juggle:trace", "count", "async")
    assert message["trace"]["total_ms"] == 1003.4
    # The full page in a frame, and an embed opened on its own, post nothing.
    assert pages["notEmbed"] == {"sent": False, "messages": []}
    assert pages["topLevel"] == {"sent": False, "messages": []}
    # The widget takes that message, and nothing of another shape.
    assert verdicts.pop("posted") is True
    assert verdicts == dict.fromkeys(verdicts, False), verdicts
    # The kernel gets a JSON copy, and nothing past 5 MiB (Jupyter's websocket closes past 10 MiB).
    sizes = found["sizes"]
    assert sizes == {
        "limit": 5 * 1024 * 1024,
        "copiedEqual": True,
        "underLimit": True,
        "overLimit": True,
        "plainOnly": '{"m":{}}',
    }
