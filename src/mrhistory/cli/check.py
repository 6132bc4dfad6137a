"""``mrhistory check``: compare two outputs folders (tables exactly, figures within a tolerance)."""
from __future__ import annotations

from pathlib import Path

from .options import parser



def register(subparsers) -> None:
    from ..check import DEFAULT_TOL as tol

    p = parser(subparsers, "check", help="compare two outputs folders: tables exactly, figures within a tolerance",
               description="Compare an expected outputs folder (e.g. the committed outputs/) with a freshly "
                           "produced one. Prints one line per difference; exit status 1 if any.",
               example="  mrhistory analyse corpus --out fresh-outputs\n  mrhistory check outputs fresh-outputs --diff-dir diffs")
    p.add_argument("expected", type=Path, help="the reference outputs folder")
    p.add_argument("actual", type=Path, help="the outputs folder to check")
    p.add_argument("--tol", type=float, default=tol,
                   help=f"largest RMS pixel difference (0-255) accepted for a figure (default {tol})")
    p.add_argument("--diff-dir", type=Path, default=None, help="where diff images go (default: a new temporary folder)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..check import compare_outputs

    lines = compare_outputs(args.expected, args.actual, diff_dir=args.diff_dir, tol=args.tol)
    for line in lines:
        print(line)
    print(f"{len(lines)} difference(s) between {args.expected} and {args.actual}")
    return 1 if lines else 0
