"""``juggle serve``: the build served with the headers of its ``_headers``, as the e2e static host does."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from juggle import JuggleError
from juggle.server import headers_for, make_server, parse_headers

REPO = Path(__file__).resolve().parents[2]
HEADERS = REPO / "public" / "_headers"
PATHS = [
    "/",
    "/index.html",
    "/embed.js",
    "/pyodide/pyodide.asm.wasm",
    "/assets/x.js",
    "/EMBED.JS",
    "/embed.js/",
]


@pytest.fixture
def site(tmp_path):
    """A stand-in of dist/: the repository's real _headers and a few files."""
    (tmp_path / "index.html").write_text("<!doctype html><title>Juggle</title>")
    (tmp_path / "embed.js").write_text("/* embed */")
    (tmp_path / "pyodide").mkdir()
    (tmp_path / "pyodide" / "core.wasm").write_bytes(b"\0asm\1\0\0\0")
    shutil.copy(HEADERS, tmp_path / "_headers")
    server = make_server(tmp_path, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


def test_the_page_is_cross_origin_isolated_and_embeddable(site):
    status, headers, body = _get(f"{site}/?scenario=count&embed=1")
    assert status == 200 and b"<title>Juggle</title>" in body
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
    assert headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert headers["Document-Isolation-Policy"] == "isolate-and-require-corp"
    assert headers["Access-Control-Allow-Origin"] is None


def test_embed_js_gets_cors_and_wasm_its_type(site):
    assert _get(f"{site}/embed.js")[1]["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = _get(f"{site}/pyodide/core.wasm")
    assert status == 200 and headers["Content-Type"] == "application/wasm"
    assert headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert _get(f"{site}/embed.js")[1].get_all("Cache-Control") == ["no-cache"]


@pytest.mark.parametrize(
    "path", ["/_headers", "/pyodide/", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/nope"]
)
def test_what_a_static_host_does_not_serve(site, path):
    assert _get(f"{site}{path}")[0] == 404


def test_a_folder_that_is_not_the_build_is_refused(tmp_path):
    with pytest.raises(JuggleError) as caught:
        make_server(tmp_path, 0)
    assert caught.value.code == "no-site"


SYNTHETIC = "# comment\n/a/:name/b\n  X-One: 1\n/c/*\n  X-Two: 2\n/d*e\n  X-Three: 3\n  X-Three: 4\n/*\n  X-Two: all\n"
SYNTHETIC_PATHS = ["/a/zz/b", "/a/zz/yy/b", "/c", "/c/x/y", "/dxxe", "/A/Q/B/", "/"]


@pytest.mark.parametrize("which", ["repository", "synthetic"])
def test_rules_match_netlifys_own_parser(which, tmp_path):
    """_headers files through @netlify/headers-parser (tests/e2e/static-host.js) and here: same headers."""
    file, paths = (HEADERS, PATHS) if which == "repository" else (tmp_path / "_headers", SYNTHETIC_PATHS)
    if which == "synthetic":
        file.write_text(SYNTHETIC)
    if shutil.which("node") is None or not (REPO / "node_modules" / "@netlify" / "headers-parser").is_dir():
        pytest.skip("needs node and the repository's npm packages")
    script = (
        "import { readRules, headersFor } from './tests/e2e/static-host.js';"
        f"const rules = await readRules({json.dumps(str(file))});"
        f"console.log(JSON.stringify({json.dumps(paths)}.map((p) => headersFor(rules, p))));"
    )
    done = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    rules = parse_headers(file.read_text("utf-8"))
    theirs = json.loads(done.stdout)
    assert [headers_for(rules, p) for p in paths] == theirs
    assert any(theirs)


def test_netlify_path_forms():
    rules = parse_headers("/a/:name/b\n  X-One: 1\n/c/*\n  X-Two: 2\n/d*e\n  X-Three: 3\n  X-Three: 4\n")
    assert headers_for(rules, "/a/zz/b") == {"X-One": "1"}
    assert headers_for(rules, "/a/zz/yy/b") == {}
    assert headers_for(rules, "/c") == {"X-Two": "2"}
    assert headers_for(rules, "/c/x/y") == {"X-Two": "2"}
    assert headers_for(rules, "/dxxe") == {"X-Three": "3, 4"}
