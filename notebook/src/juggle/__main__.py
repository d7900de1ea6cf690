"""The ``juggle`` command: ``juggle serve [DIST] [--port N] [--bind ADDRESS]``; ``juggle url ...``."""

from __future__ import annotations

import argparse
import sys

from .errors import JuggleError
from .links import lab_url, scenario_url
from .server import make_server


def main(argv: list[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="juggle", description="Juggle for notebooks and course pages.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve Juggle's built site with the headers of its _headers")
    serve.add_argument("root", nargs="?", default="dist", help="the built site (default: dist)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--bind", default="127.0.0.1")
    url = commands.add_parser("url", help="print the embed address of a scenario, or of a program (stdin)")
    url.add_argument("scenario", nargs="?", help="a scenario id; without it the program is read from stdin")
    url.add_argument("--variant")
    url.add_argument("--host", required=True)
    url.add_argument("--readonly", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            server = make_server(args.root, args.port, args.bind)
            print(f"Juggle on http://{args.bind}:{server.server_address[1]}/ (Ctrl-C stops it)", flush=True)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
            return 0
        if args.scenario:
            print(scenario_url(args.scenario, args.variant, host=args.host))
        else:
            print(lab_url(sys.stdin.read(), readonly=args.readonly, host=args.host))
        return 0
    except JuggleError as error:
        print(f"juggle: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
