"""What the tests of the browser's Python modules share: the modules' folder on the path, and
``juggle_trace`` imported afresh for a test."""

import importlib
import sys
import types
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "www" / "python"))


@pytest.fixture
def juggle_trace(monkeypatch):
    """The module, imported for this test only. Its import reads ``sys.monitoring`` (CPython 3.12+, as the
    browser's Python has it); an older CPython gets a stand-in, which these tests never touch."""
    if not hasattr(sys, "monitoring"):
        monkeypatch.setattr(
            sys, "monitoring", types.SimpleNamespace(events=None), raising=False
        )
    sys.modules.pop("juggle_trace", None)
    module = importlib.import_module("juggle_trace")
    yield module
    sys.modules.pop("juggle_trace", None)
