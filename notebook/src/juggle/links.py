"""Juggle's addresses, built exactly as the page builds them (pure functions of strings).

- A scenario: ``?scenario=ID[&variant=V][&knob=value...]&embed=1`` (www/views/url-state.js).
- A Lab program: ``?lab=1[&argv=...][&readonly=1][&embed=1]#code=PAYLOAD`` (www/views/lab-link.js), where
  PAYLOAD is base64url (no padding) of the program's UTF-8 text compressed with raw deflate, the
  ``CompressionStream('deflate-raw')`` format. The program stays in the fragment, so it never reaches a
  server. The tests check these against the page's own JavaScript functions.
"""

from __future__ import annotations

import base64
import os
import zlib
from urllib.parse import quote_plus, urlsplit, urlunsplit

from .errors import JuggleError

#: The most source a Lab program may have, in UTF-8 bytes (``MAX_SOURCE_BYTES`` in lab-link.js).
MAX_SOURCE_BYTES = 100 * 1024
#: At most this many arguments, each at most this many UTF-16 units long (lab-link.js).
MAX_ARGS = 8
MAX_ARG_CHARS = 64
#: Query keys that are not a scenario's knobs (``RESERVED_KEYS`` in www/views/url-state.js).
RESERVED_KEYS = frozenset({"scenario", "variant", "autorun", "embed", "understand"})
#: The environment variable naming the host when ``configure`` was not called.
HOST_VARIABLE = "JUGGLE_HOST"

# What JavaScript's \s matches (ECMAScript WhiteSpace and LineTerminator): the page splits arguments on it.
_JS_SPACE = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)

_host: str | None = None


def configure(host: str | None = None) -> str | None:
    """Names the Juggle site the embeds point at (the address of its built page), for this kernel.

    ``configure(host=None)`` forgets it, so that ``JUGGLE_HOST`` applies again. Returns the host now in
    force, or None when none is. Raises ``JuggleError`` (``invalid-host``) for an address that is not
    http(s).
    """
    global _host
    _host = None if host is None else normalize_host(host)
    return current_host(required=False)


def current_host(required: bool = True) -> str | None:
    """The host in force: ``configure``'s, else ``$JUGGLE_HOST``; a ``no-host`` error if neither."""
    if _host is not None:
        return _host
    from_env = os.environ.get(HOST_VARIABLE, "").strip()
    if from_env:
        return normalize_host(from_env)
    if required:
        raise JuggleError(
            "no-host",
            "no Juggle site is named: call juggle.configure(host='https://...') with the address where "
            "Juggle is hosted, set the JUGGLE_HOST environment variable, or run juggle.serve('dist') "
            "to serve a built copy from this computer",
        )
    return None


def normalize_host(host: str) -> str:
    """An http(s) address as a folder (ending in ``/``), without query or fragment."""
    if not isinstance(host, str):
        raise JuggleError("invalid-host", "the host is an address, such as 'https://juggle.example.org/'")
    parts = urlsplit(host.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise JuggleError(
            "invalid-host",
            f"{host!r} is not a web address: the host is an http:// or https:// address, such as "
            "'https://juggle.example.org/'",
        )
    path = parts.path or "/"
    # 'https://host/juggle' is the folder /juggle/ (where a static host serves its index.html); a path
    # to a file ('.../index.html') is kept.
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def form_encode(text: str) -> str:
    """``text`` as URLSearchParams writes a value (application/x-www-form-urlencoded, WHATWG URL).

    Spaces become ``+``; letters, digits and ``*-._`` stay; every other UTF-8 byte is ``%XX``.
    """
    return quote_plus(_utf8_text(text, "a value"), safe="*").replace("~", "%7E")


def query(pairs: list[tuple[str, str]]) -> str:
    """A query string (no ``?``) from name/value pairs, in order, as URLSearchParams.toString does."""
    return "&".join(f"{form_encode(name)}={form_encode(value)}" for name, value in pairs)


def scenario_url(
    scenario: str,
    variant: str | None = None,
    *,
    params: dict[str, object] | None = None,
    embed: bool = True,
    autorun: bool = False,
    understand: bool = False,
    host: str | None = None,
) -> str:
    """The address of one scenario: compact (``embed=1``) unless asked otherwise.

    ``variant`` limits the embed to one variant (``?variant=``); ``params`` sets the scenario's knobs
    (``{"tasks": 5}``); ``autorun`` runs it when the page opens; ``understand`` opens an embed's
    Understand step (the explanation and the code), folded otherwise.
    """
    if not isinstance(scenario, str) or not scenario.strip():
        raise JuggleError("invalid-argument", "a scenario is named by its id, such as 'count'")
    pairs = [("scenario", scenario)]
    if variant is not None:
        if not isinstance(variant, str) or not variant:
            raise JuggleError("invalid-argument", "a variant is named by its id, such as 'async'")
        pairs.append(("variant", variant))
    for name, value in (params or {}).items():
        if name in RESERVED_KEYS:
            raise JuggleError("invalid-argument", f"'{name}' is not a knob; pass it as its own argument")
        pairs.append((str(name), _knob(value)))
    if autorun:
        pairs.append(("autorun", "1"))
    if embed:
        pairs.append(("embed", "1"))
        if understand:
            pairs.append(("understand", "1"))
    return f"{host_or_current(host)}?{query(pairs)}"


def check_source(source: str) -> bytes:
    """The program's UTF-8 bytes, refused (``invalid-code-link``) past 100 KB, with a NUL, or not text."""
    if not isinstance(source, str):
        raise JuggleError("invalid-code-link", "a program is text")
    try:
        data = source.encode("utf-8")
    except UnicodeEncodeError:
        raise JuggleError(
            "invalid-code-link", "the program is not UTF-8 text (it has a lone surrogate character)"
        ) from None
    if len(data) > MAX_SOURCE_BYTES:
        raise JuggleError(
            "invalid-code-link",
            f"the program is {len(data) / 1024:.0f} KB; a Lab program may be at most "
            f"{MAX_SOURCE_BYTES // 1024} KB",
        )
    if "\0" in source:
        raise JuggleError(
            "invalid-code-link", "the program contains a NUL character, which Python source may not"
        )
    return data


def encode_code(source: str) -> str:
    """The ``#code=`` payload for a program: base64url, unpadded, of its raw-deflate compression."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    packed = compressor.compress(check_source(source)) + compressor.flush()
    return base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode_code(payload: str) -> str:
    """A ``#code=`` payload back to the program (for tests and for reading links teachers paste)."""
    try:
        packed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        inflater = zlib.decompressobj(-15)
        data = inflater.decompress(packed, MAX_SOURCE_BYTES + 1)
    except (ValueError, zlib.error):
        raise JuggleError("invalid-code-link", "the #code= part is not a compressed program") from None
    if len(data) > MAX_SOURCE_BYTES or inflater.unconsumed_tail:
        raise JuggleError("invalid-code-link", "the link's program is larger than 100 KB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise JuggleError("invalid-code-link", "the link's program is not UTF-8 text") from None
    check_source(text)
    return text


def check_args(argv: list[str] | tuple[str, ...] | str | None) -> list[str]:
    """``sys.argv[1:]`` for the Lab, checked as the page checks its arguments box.

    A string is split on white space, as the box is; a list keeps its items, each of which must then
    have no white space in it (the page would split it).
    """
    if argv is None:
        return []
    if isinstance(argv, str):
        args = "".join(" " if c in _JS_SPACE else c for c in argv).split()
    else:
        args = [str(a) for a in argv]
        for arg in args:
            if not arg or any(c in _JS_SPACE for c in arg):
                raise JuggleError(
                    "invalid-argument",
                    f"the argument {arg!r} is empty or has a space in it: the Lab splits its arguments on spaces",
                )
    if len(args) > MAX_ARGS:
        raise JuggleError("invalid-argument", f"at most {MAX_ARGS} arguments may be given")
    for arg in args:
        if len(_utf8_text(arg, "an argument").encode("utf-16-le")) // 2 > MAX_ARG_CHARS:
            raise JuggleError(
                "invalid-argument", f"an argument may be at most {MAX_ARG_CHARS} characters long"
            )
    return args


def lab_url(
    source: str,
    *,
    argv: list[str] | str | None = None,
    readonly: bool = False,
    embed: bool = True,
    host: str | None = None,
) -> str:
    """The address that opens ``source`` in the Lab (``codeLink`` in lab-link.js, same order of keys)."""
    args = check_args(argv)
    pairs = [("lab", "1")]
    if args:
        pairs.append(("argv", " ".join(args)))
    if readonly:
        pairs.append(("readonly", "1"))
    if embed:
        pairs.append(("embed", "1"))
    payload = encode_code(source)
    return f"{host_or_current(host)}?{query(pairs)}#code={payload}"


def host_or_current(host: str | None) -> str:
    """``host`` normalized, or the host in force."""
    return normalize_host(host) if host is not None else current_host()  # type: ignore[return-value]


def _knob(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"  # String(true) in JS, as the page writes its knobs
    if isinstance(value, (int, float, str)):
        return str(value)
    raise JuggleError("invalid-argument", f"a knob's value is a number, text or True/False, not {value!r}")


def _utf8_text(text: str, what: str) -> str:
    if not isinstance(text, str):
        raise JuggleError("invalid-argument", f"{what} is text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise JuggleError("invalid-argument", f"{what} is not UTF-8 text (a lone surrogate)") from None
    return text
