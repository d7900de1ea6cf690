"""Addresses built by the package, checked against the page's own JavaScript (node) and by round trips."""

from __future__ import annotations

import json
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

import juggle
from juggle import JuggleError
from juggle.links import (
    MAX_SOURCE_BYTES,
    RESERVED_KEYS,
    check_args,
    decode_code,
    encode_code,
    form_encode,
    normalize_host,
)

REPO = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).with_name("js_reference.mjs")
HOST = "https://teacher.example.org/juggle/"

# Programs a link must carry intact: markup and quotes that could break out of an attribute or a URL,
# the fragment's and query's own delimiters, every kind of Unicode, long and repetitive text.
HOSTILE = [
    'print("hi")\n',
    '"></iframe><script>alert(1)</script>\n',
    "x = '#code=&lab=0?embed=0'  # & ? # = + % %25 %00\n",
    "s = '\\u2028\\u2029 \\ufeff'\nprint('\u2028\u2029\ufeff')\n",
    "print('Grüße, 日本語, 🤹 emoji, \U0001f600')\n",
    "\r\n".join(f"line{i} = {i} * 'ab'" for i in range(500)),
    "import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n\nasyncio.run(main())\n",
    "",
    "a" * 50_000,
    "".join(chr(c) for c in range(1, 0x800) if not 0xD800 <= c < 0xE000),
]
ARGS = [None, "3 fast", ["a~b", "*-._", "é", "%20", "&x=1", "#"], "  spaced\targs\u3000here "]


def _node(cases: list[dict]) -> list:
    """The page's answers for ``cases`` (see js_reference.mjs)."""
    if shutil.which("node") is None or not (REPO / "www" / "views" / "lab-link.js").is_file():
        pytest.skip("needs node and the Juggle repository's www/ (run from the repository)")
    done = subprocess.run(
        ["node", str(REFERENCE)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(done.stdout)


@pytest.fixture(autouse=True)
def _no_host(monkeypatch):
    monkeypatch.delenv("JUGGLE_HOST", raising=False)
    juggle.configure(None)
    yield
    juggle.configure(None)


def test_lab_links_are_the_pages_own():
    """Everything but the compressed bytes is the page's own, byte for byte; the payloads of both decode
    to the program in both. (Deflate's output is not unique: Python's zlib 1.2/1.3 and Chromium's fork of
    it choose different matches for some texts, and either inflates to the same program; a short program
    comes out the same in both.)"""
    cases, ours = [], []
    for source in HOSTILE:
        for argv in ARGS:
            for readonly, embed in [(False, True), (True, True), (True, False)]:
                args = check_args(argv)
                cases.append(
                    {
                        "kind": "lab",
                        "host": HOST,
                        "source": source,
                        "argv": args,
                        "readonly": readonly,
                        "embed": embed,
                    }
                )
                ours.append(juggle.lab_url(source, argv=argv, readonly=readonly, embed=embed, host=HOST))
    theirs = _node(cases)
    assert len(theirs) == len(ours) == len(HOSTILE) * len(ARGS) * 3
    pages_payloads = []
    for case, mine, page in zip(cases, ours, theirs):
        mine_url, mine_payload = mine.split("#code=")
        page_url, page_payload = page.split("#code=")
        assert mine_url == page_url
        assert decode_code(page_payload) == case["source"]
        pages_payloads.append(mine_payload)
    assert _node([{"kind": "decode", "payload": p} for p in pages_payloads]) == [c["source"] for c in cases]
    # The short programs, where both zlibs agree: the same link exactly.
    assert ours[0] == theirs[0] == HOST + "?lab=1&embed=1#code=KyjKzCvRUMrIVNLkAgA"


def test_the_page_decodes_every_program_the_package_encodes():
    payloads = [encode_code(source) for source in HOSTILE]
    assert _node([{"kind": "decode", "payload": p} for p in payloads]) == HOSTILE


def test_scenario_addresses_read_back_as_the_page_reads_them():
    urls = [
        juggle.scenario_url("count", "async", host=HOST),
        juggle.scenario_url(
            "io-bound", params={"requests": 20, "latency ms": "50&x=1", "fast": True}, host=HOST
        ),
        juggle.scenario_url('"><b>', "a b#c", autorun=True, understand=True, host="http://127.0.0.1:4710"),
    ]
    read = _node([{"kind": "url", "url": u} for u in urls])
    assert read[0] == {
        "origin": "https://teacher.example.org",
        "pathname": "/juggle/",
        "entries": [["scenario", "count"], ["variant", "async"], ["embed", "1"]],
    }
    assert read[1]["entries"] == [
        ["scenario", "io-bound"],
        ["requests", "20"],
        ["latency ms", "50&x=1"],
        ["fast", "true"],
        ["embed", "1"],
    ]
    assert read[2]["entries"] == [
        ["scenario", '"><b>'],
        ["variant", "a b#c"],
        ["autorun", "1"],
        ["embed", "1"],
        ["understand", "1"],
    ]
    assert read[2]["pathname"] == "/"


def test_every_key_the_page_reserves_is_refused_as_a_knob():
    (reserved,) = _node([{"kind": "reserved"}])
    assert set(reserved) <= RESERVED_KEYS
    for key in reserved:
        with pytest.raises(JuggleError):
            juggle.scenario_url("count", params={key: "1"}, host=HOST)


def test_the_issues_example_address():
    juggle.configure(host="https://juggle.example.org")
    assert juggle.scenario_url("count", variant="async") == (
        "https://juggle.example.org/?scenario=count&variant=async&embed=1"
    )


def test_form_encoding_follows_urlsearchparams():
    assert form_encode("a b~*-._/?#&=+%é") == "a+b%7E*-._%2F%3F%23%26%3D%2B%25%C3%A9"


def test_payload_is_raw_deflate_in_unpadded_base64url():
    payload = encode_code("print('hi')\n" * 40)
    assert set(payload) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    import base64

    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert zlib.decompress(raw, -15) == ("print('hi')\n" * 40).encode()
    assert decode_code(payload) == "print('hi')\n" * 40


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("a" * (MAX_SOURCE_BYTES + 1), "invalid-code-link"),
        ("é" * (MAX_SOURCE_BYTES // 2 + 1), "invalid-code-link"),
        ("print(1)\0", "invalid-code-link"),
        ("x = '\ud800'", "invalid-code-link"),
        (b"print(1)", "invalid-code-link"),
    ],
)
def test_programs_the_lab_would_refuse_are_refused_here(source, code):
    with pytest.raises(JuggleError) as caught:
        encode_code(source)
    assert caught.value.code == code


def test_the_largest_program_still_travels():
    assert decode_code(encode_code("a" * MAX_SOURCE_BYTES)) == "a" * MAX_SOURCE_BYTES


@pytest.mark.parametrize(
    "argv",
    [["x"] * 9, ["x" * 65], ["🤹" * 33], ["two words"], [""], "x " * 9],
)
def test_arguments_the_lab_would_refuse_are_refused_here(argv):
    with pytest.raises(JuggleError) as caught:
        check_args(argv)
    assert caught.value.code == "invalid-argument"


def test_arguments_at_the_limits_pass():
    assert check_args(["x" * 64] * 8) == ["x" * 64] * 8
    assert check_args("a\u3000b\tc") == ["a", "b", "c"]


def test_without_a_host_the_error_says_how_to_name_one(monkeypatch):
    with pytest.raises(JuggleError) as caught:
        juggle.scenario_url("count")
    assert caught.value.code == "no-host"
    assert "juggle.configure" in str(caught.value)
    monkeypatch.setenv("JUGGLE_HOST", "http://localhost:8000")
    assert juggle.scenario_url("count") == "http://localhost:8000/?scenario=count&embed=1"
    juggle.configure(host="https://a.example/")
    assert juggle.scenario_url("count").startswith("https://a.example/?")


@pytest.mark.parametrize("host", ["javascript:alert(1)", "juggle.example.org", "file:///tmp/dist", "", 42])
def test_hosts_that_are_not_web_addresses_are_refused(host):
    with pytest.raises(JuggleError) as caught:
        juggle.configure(host=host)
    assert caught.value.code == "invalid-host"


def test_host_forms():
    assert normalize_host("https://h.org") == "https://h.org/"
    assert normalize_host("https://h.org/course/juggle") == "https://h.org/course/juggle/"
    assert normalize_host("https://h.org/juggle/index.html?x=1#y") == "https://h.org/juggle/index.html"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"scenario": ""}, "invalid-argument"),
        ({"scenario": "count", "variant": ""}, "invalid-argument"),
        ({"scenario": "count", "params": {"embed": "0"}}, "invalid-argument"),
        ({"scenario": "count", "params": {"understand": "1"}}, "invalid-argument"),
        ({"scenario": "count", "params": {"tasks": [1, 2]}}, "invalid-argument"),
    ],
)
def test_scenario_arguments_are_checked(kwargs, code):
    with pytest.raises(JuggleError) as caught:
        juggle.scenario_url(host=HOST, **kwargs)
    assert caught.value.code == code


def test_a_programs_title_is_the_pages_own():
    """The frame's title is what the page's own embed panel calls the program (``programTitle``)."""
    from juggle.display import program_title

    sources = [
        '"""Three tasks share one thread"""\nimport asyncio\n',
        "'''Two lines\n\nmore'''\n",
        "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# A race\nx = 1\n",
        "\n\n# GIL demo\n",
        "x = 1\n# late comment\n",
        "\ufeff# with a BOM\n",
        "# " + "long " * 30 + "\n",
        *HOSTILE,
    ]
    expected = _node([{"kind": "title", "source": source} for source in sources])
    assert [program_title(source) for source in sources] == expected
