"""``juggle serve``: Juggle's built site (``dist/``) served from this computer as a static host serves it.

The headers come from the site's own ``_headers`` file, applied as Netlify and Cloudflare Pages apply it
(every rule whose path matches adds its headers, later rules overriding earlier ones; the file itself is
never served), so the page is cross-origin isolated and its worker pool shares memory. The query string
is ignored, ``/`` serves ``index.html``, only GET and HEAD.
"""

from __future__ import annotations

import mimetypes
import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from .errors import JuggleError
from .links import configure

# Types static hosts send for Juggle's files; mimetypes' table depends on the machine.
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
    ".zip": "application/zip",
    ".map": "application/json",
}


def parse_headers(text: str) -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """The rules of a ``_headers`` file: (path pattern, headers), in file order.

    The syntax is Netlify's: a line starting with ``/`` opens a rule, indented ``Name: value`` lines
    add headers to it, ``#`` starts a comment. Paths match as in @netlify/headers-parser: ``*`` alone is
    any rest of the path, ``:name`` one segment, case-insensitive, with an optional trailing ``/``.
    """
    rules: list[tuple[re.Pattern[str], dict[str, str]]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("/"):
            rules.append((_path_pattern(line), {}))
            continue
        if ":" not in line:
            continue
        if not rules:
            raise JuggleError("no-site", f"_headers line {number}: a header before any path")
        name, _, value = line.partition(":")
        if not name.strip() or not value.strip():
            raise JuggleError("no-site", f"_headers line {number}: a header needs a name and a value")
        values = rules[-1][1]
        name = name.strip()
        values[name] = f"{values[name]}, {value.strip()}" if name in values else value.strip()
    return rules


def _path_pattern(path: str) -> re.Pattern[str]:
    parts = []
    for part in (p.rstrip() for p in path.split("/")):
        if not part:
            continue
        if part.startswith(":"):
            parts.append("([^/]+)")
        elif part == "*":
            parts.append("?(.*)")
        elif "*" in part:
            parts.append("(.*)".join(re.escape(p) for p in part.split("*")))
        else:
            parts.append(re.escape(part))
    return re.compile(f"^/{'/'.join(parts)}/?$", re.IGNORECASE)


def headers_for(rules: list[tuple[re.Pattern[str], dict[str, str]]], path: str) -> dict[str, str]:
    """The headers the rules give ``path`` (no query), merged in file order."""
    merged: dict[str, str] = {}
    for pattern, values in rules:
        if pattern.search(path):
            merged.update(values)
    return merged


class _Handler(SimpleHTTPRequestHandler):
    rules: ClassVar[list] = []

    def end_headers(self) -> None:
        # The _headers file's values replace the default ones, as on the hosts.
        extra = {"Cache-Control": "no-cache", **headers_for(self.rules, urlsplit(self.path).path)}
        for name, value in extra.items():
            self.send_header(name, value)
        super().end_headers()

    def guess_type(self, path) -> str:
        return (
            _TYPES.get(Path(str(path)).suffix, None)
            or mimetypes.guess_type(str(path))[0]
            or "application/octet-stream"
        )

    def send_head(self):
        if urlsplit(self.path).path == "/_headers":
            self.send_error(404, "Not found")
            return None
        return super().send_head()

    def list_directory(self, path):  # a static host lists no folder
        self.send_error(404, "Not found")

    def log_message(self, format: str, *args) -> None:  # quiet in a notebook
        pass


def make_server(root: str | Path = "dist", port: int = 0, bind: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server for Juggle's build in ``root`` (not started); ``port=0`` picks a free port."""
    folder = Path(root).resolve()
    if not (folder / "index.html").is_file():
        raise JuggleError(
            "no-site",
            f"{folder} has no index.html: point juggle serve at Juggle's built site (npm run build writes dist/)",
        )
    headers_file = folder / "_headers"
    rules = parse_headers(headers_file.read_text("utf-8")) if headers_file.is_file() else []
    handler = type("JuggleHandler", (_Handler,), {"rules": rules})
    return ThreadingHTTPServer((bind, port), partial(handler, directory=str(folder)))


def serve(root: str | Path = "dist", port: int = 0, bind: str = "127.0.0.1") -> str:
    """Serves Juggle's build from this kernel, in a background thread, and makes it the host.

    For a notebook running on this computer (the browser can reach ``bind``). Returns the address.
    """
    server = make_server(root, port, bind)
    threading.Thread(target=server.serve_forever, name="juggle-serve", daemon=True).start()
    host = f"http://{bind}:{server.server_address[1]}/"
    configure(host=host)
    return host
