"""Draw the README's two example figures from the development corpus (``python -m tools.readme_figures``).

The development corpus (tests/data/wikiwars_columns, 128 WikiWars sections as columns, CC BY-SA 3.0)
goes through the same pipeline as ``mrhistory analyse``; two of its figures are saved as PNG (300 dpi)
under docs/figures/, with the same functions as outputs/figures/. Same corpus and code, same bytes.
"""
from __future__ import annotations

import sys
from pathlib import Path

from mrhistory.figures import save_figure
from mrhistory.pipeline import run

ROOT = Path(__file__).resolve().parents[1]
DEV_CORPUS = ROOT / "tests" / "data" / "wikiwars_columns"
OUT = ROOT / "docs" / "figures"
#: The figures the README shows, and the file name each gets (prefixed: not the user's outputs).
SHOWN = ("entities_network", "dates_by_year")


def main(argv: list[str] | None = None) -> int:
    done = run(DEV_CORPUS, echo=None, progress=False)
    specs = {spec.name: spec for spec in done.figures}
    missing = [name for name in SHOWN if name not in specs]
    if missing:
        print(f"readme_figures: not drawn from the development corpus: {', '.join(missing)}", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    for name in SHOWN:
        spec = specs[name]
        saved = save_figure(spec.figure, OUT, f"devcorpus-{name}", caption=spec.caption, alt=spec.alt, formats=("png",))
        print(f"{saved.files[0].relative_to(ROOT)}: {spec.caption}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
