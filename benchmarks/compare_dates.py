"""Date finding compared: mrhistory.dates, dateparser's ``search_dates`` and spaCy's DATE entities.

Runs the hand-written gold table (tests/gold/dates_gold.csv) through each and reports, per kind
of expression, how many expected dates each *found* (a predicted span overlaps the expected
span) and *normalised correctly* (that prediction's EDTF equals the expected EDTF), and how many
spans each predicted where the gold table expects none.

dateparser gives a datetime; its EDTF is taken at the precision dateparser reports for the
found text (``DateDataParser.get_date_data(...).period``: day, month or year). spaCy only
finds spans; to give it a fair chance at normalisation each DATE span is passed to dateparser
the same way. dateparser fills missing parts from a base date: it is fixed (the row's
reference date, else 2000-01-01) so the benchmark is deterministic.

    .venv/bin/python -m benchmarks.compare_dates [--csv OUT.csv]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import warnings
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "dates_gold.csv"
FIXED_BASE = dt.datetime(2000, 1, 1)
SYSTEMS = ("mrhistory", "dateparser", "spacy+dateparser")


def load_gold(path: Path = GOLD) -> list[dict]:
    """Gold rows with ``expected``: [(start, end, edtf)] located in the sentence."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    for row in rows:
        texts = row["texts"].split(" | ") if row["texts"] else []
        edtfs = row["edtfs"].split(" | ") if row["edtfs"] else []
        expected, cursor = [], 0
        for text, edtf in zip(texts, edtfs):
            start = row["sentence"].find(text, cursor)
            start = start if start >= 0 else row["sentence"].find(text)
            expected.append((start, start + len(text), edtf))
            cursor = start + len(text)
        row["expected"] = expected
        row["ref"] = dt.date.fromisoformat(row["reference"]) if row["reference"] else None
    return rows


def _edtf_from_dateparser(text: str, base: dt.datetime, parser) -> str | None:
    data = parser.get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    d, period = data.date_obj, data.period
    if period == "year":
        return f"{d.year:04d}"
    if period == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def predict_mrhistory(row) -> list[tuple[int, int, str]]:
    from mrhistory.dates import extract_dates

    df = extract_dates(row["sentence"], reference=row["ref"])
    return list(zip(df["start"].tolist(), df["end"].tolist(), df["edtf"].tolist()))


def _base(row) -> dt.datetime:
    return dt.datetime.combine(row["ref"], dt.time()) if row["ref"] else FIXED_BASE


def predict_dateparser(row) -> list[tuple[int, int, str]]:
    from dateparser import DateDataParser
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": _base(row)}
    parser = DateDataParser(languages=["en"], settings=settings)
    found = search_dates(row["sentence"], languages=["en"], settings=settings) or []
    out, cursor = [], 0
    for text, _when in found:
        start = row["sentence"].find(text, cursor)
        if start < 0:
            continue
        cursor = start + len(text)
        out.append((start, cursor, _edtf_from_dateparser(text, _base(row), parser) or ""))
    return out


def predict_spacy(row, nlp) -> list[tuple[int, int, str]]:
    from dateparser import DateDataParser

    parser = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": _base(row)})
    doc = nlp(row["sentence"])
    return [(e.start_char, e.end_char, _edtf_from_dateparser(e.text, _base(row), parser) or "")
            for e in doc.ents if e.label_ == "DATE"]


def score(rows, predictions) -> dict:
    """Per kind: expected, found, correct; and spurious spans on the whole table."""
    by_kind = defaultdict(lambda: {"expected": 0, "found": 0, "correct": 0})
    spurious = predicted = 0
    for row, pred in zip(rows, predictions):
        counts = by_kind[row["kind"]]
        used = set()
        for start, end, edtf in row["expected"]:
            counts["expected"] += 1
            overlapping = [i for i, (s, e, _) in enumerate(pred) if s < end and start < e]
            if overlapping:
                counts["found"] += 1
            if any(pred[i][2] == edtf for i in overlapping):
                counts["correct"] += 1
            used.update(overlapping)
        predicted += len(pred)
        spurious += len(pred) - len(used)
    total = {k: sum(c[k] for c in by_kind.values()) for k in ("expected", "found", "correct")}
    return {"by_kind": dict(by_kind), "total": total, "predicted": predicted, "spurious": spurious}


def run(rows=None) -> dict[str, dict]:
    rows = rows or load_gold()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from mrhistory.annotation import pipeline

        nlp = pipeline()
        results = {
            "mrhistory": score(rows, [predict_mrhistory(r) for r in rows]),
            "dateparser": score(rows, [predict_dateparser(r) for r in rows]),
            "spacy+dateparser": score(rows, [predict_spacy(r, nlp) for r in rows]),
        }
    return results


def report(results: dict[str, dict]) -> str:
    kinds = sorted({k for r in results.values() for k in r["by_kind"]})
    head = "| kind | expected | " + " | ".join(f"{s} found / correct" for s in SYSTEMS) + " |"
    lines = [head, "|" + "---|" * (2 + len(SYSTEMS))]
    for kind in kinds + ["**all**"]:
        cells = []
        for system in SYSTEMS:
            c = results[system]["total"] if kind == "**all**" else results[system]["by_kind"].get(kind, {})
            cells.append(f"{c.get('found', 0)} / {c.get('correct', 0)}")
        expected = results[SYSTEMS[0]]["total" if kind == "**all**" else "by_kind"]
        n = expected["expected"] if kind == "**all**" else expected[kind]["expected"]
        lines.append(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    lines.append("")
    for system in SYSTEMS:
        r = results[system]
        lines.append(f"{system}: {r['predicted']} spans predicted, {r['spurious']} where the gold table has no date "
                     f"(overlap), {r['total']['correct']}/{r['total']['expected']} normalised correctly.")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.compare_dates", description=__doc__.split("\n\n")[0],
                                epilog="example:\n  .venv/bin/python -m benchmarks.compare_dates --csv dates_benchmark.csv",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--csv", type=Path, default=None, help="also write the per-kind counts as CSV here")
    args = p.parse_args(argv)
    results = run()
    print(report(results))
    if args.csv:
        with args.csv.open("w", newline="", encoding="utf-8") as handle:
            w = csv.writer(handle, lineterminator="\n")
            w.writerow(["system", "kind", "expected", "found", "correct"])
            for system in SYSTEMS:
                for kind, c in sorted(results[system]["by_kind"].items()):
                    w.writerow([system, kind, c["expected"], c["found"], c["correct"]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
