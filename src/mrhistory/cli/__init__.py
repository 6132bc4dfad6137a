"""The ``mrhistory`` command: a thin layer over the library, one small module per command.

Each command module has ``register(subparsers)`` (its arguments and help, ending with a real
example) and ``run(args)`` (parse nothing more, call the library, print). Library errors become
one-line messages and a non-zero exit status, never a traceback.
"""
from __future__ import annotations

import argparse
import sys

from .. import __version__
from . import analyse, check, collect, dates, kwic, topics, validate
from .options import CommandError

EPILOG = """examples:
  mrhistory analyse corpus --out outputs
  mrhistory validate corpus
"""
#: The commands, in the order ``mrhistory --help`` lists them.
COMMANDS = (analyse, validate, kwic, dates, topics, collect, check)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mrhistory", description="Topics, entities and dates in 'Ask Mr. History' columns.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mrhistory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from ..model import ModelNotFound

    try:
        return args.func(args)
    except (CommandError, ModelNotFound, FileNotFoundError, NotADirectoryError, PermissionError, ValueError) as exc:
        print(f"mrhistory: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mrhistory: interrupted; outputs already written are complete, the rest were not written", file=sys.stderr)
        return 130


__all__ = ["CommandError", "build_parser", "main"]
