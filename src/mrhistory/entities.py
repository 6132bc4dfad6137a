"""Named-entity mentions with canonical names, their counts and their co-occurrences.

Canonical names come, in this order of authority, from the user's ``corpus/entities.csv``, the
shipped alias table ``data/aliases.csv``, and, within a column, a person's full name written
elsewhere in the same column ("Roosevelt" → "Franklin D. Roosevelt").
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import pandas as pd

from . import qa
from .entity_rules import CONTEXT_KB_ID, ENTITY_LABELS, rules
from .packaged import data_text

PARTS = ("question", "answer")
AUTHORITY_FILE = "entities.csv"
DECISIONS = ("merge", "split", "ignore")
ENTITIES_SCHEMA = {"column_id": "string", "part": "string", "start": "int64", "end": "int64",
                   "text": "string", "label": "string", "canonical": "string"}
COUNTS_SCHEMA = {"canonical": "string", "label": "string", "mentions": "int64", "columns": "int64", "wikidata": "string"}
COOCCURRENCE_SCHEMA = {"source": "string", "source_label": "string", "target": "string", "target_label": "string",
                       "sentences": "int64", "columns": "int64"}
#: Labels the model often swaps for one another; an alias row of one label may claim the other.
CONFUSABLE = (frozenset({"GPE", "LOC", "FAC"}), frozenset({"GPE", "ORG"}), frozenset({"GPE", "NORP"}), frozenset({"ORG", "NORP"}),
              frozenset({"ORG", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART"}))
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"} | {"’": "'", "‘": "'"})
EXTRA_FIELDS = "\x00extra"
_QID = re.compile(r"^Q[1-9]\d*$")
_PLURAL_DESIGNATION = re.compile(r"^(.*\d[A-Z]?)s$")
#: Labels an alias row may correct when the model gave a name a label of another kind.
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
#: A people named in the plural ("the Romans", "the Zulus") is counted under its singular, as
#: "the Americans" is under "American": not "Swiss", "Axis", "Allies", "Sioux".
_PLURAL_PEOPLE = re.compile(r"^([A-Z][\w-]*[^sie\W])s$|^([A-Z][\w-]*(?:ee|te|ne|de|le|ve|ke))s$")
_NICKNAME = re.compile(r"\s*[\"“”][^\"“”]+[\"“”]")


def alias_key(text: str) -> str:
    """How names are compared: case, full stops, dash and quote style, spacing and a leading
    "the" do not matter ("the U.S.S.R." = "USSR", "Molotov–Ribbentrop" = "Molotov-Ribbentrop")."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).lower().replace(".", "")
    text = re.sub(r"\s*-\s*", "-", " ".join(text.split()))
    return text[4:] if text.startswith("the ") else text


def compatible(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in CONFUSABLE)


# --- the shipped alias table ----------------------------------------------------------------

@dataclass(frozen=True)
class Alias:
    canonical: str
    label: str
    wikidata: str = ""


def _csv_rows(text: str) -> list[tuple[int, dict]]:
    """Rows of a CSV whose ``#`` lines are comments, with their line numbers in the file."""
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if not line.lstrip().startswith("#")]
    if not numbered:
        return []
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in numbered)))
    rows = []
    for row in reader:
        line = numbered[min(reader.line_num, len(numbered)) - 1][0]
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        if row.get(None):
            clean[EXTRA_FIELDS] = "yes"
        rows.append((line, clean))
    return rows


@lru_cache(maxsize=1)
def alias_rows() -> tuple[tuple[str, str, str, str], ...]:
    """The rows of ``data/aliases.csv``: (alias, canonical, label, wikidata)."""
    text = data_text("aliases.csv")
    return tuple((r["alias"], r["canonical"], r["label"], r.get("wikidata") or "") for _, r in _csv_rows(text))


@lru_cache(maxsize=1)
def shipped_aliases() -> dict[str, tuple[Alias, ...]]:
    """``data/aliases.csv`` as alias key → its entries (one per label); canonical names included."""
    table: dict[str, dict[str, Alias]] = defaultdict(dict)
    for alias, canonical, label, wikidata in alias_rows():
        entry = Alias(canonical, label, wikidata)
        for name in (alias, canonical):
            table[alias_key(name)].setdefault(entry.label, entry)
    return {key: tuple(by_label.values()) for key, by_label in table.items()}


def lookup(table: dict[str, tuple[Alias, ...]], key: str, label: str) -> Alias | None:
    """The entry for ``key`` with ``label``, else the one entry of a confusable label."""
    entries = table.get(key, ())
    for entry in entries:
        if entry.label == label:
            return entry
    # A people is never renamed as an organisation ("North American settlers" are not the
    # aircraft maker), though a people tagged as an ORG ("the Confederates") is still a people.
    near = [e for e in entries if compatible(e.label, label) and not (label == "NORP" and e.label == "ORG")]
    if len(near) == 1:
        return near[0]
    if label == "NORP":
        return None
    # The table holds only names that are unambiguous without context, so a name it gives one
    # label keeps it whatever the model said: "Napoleon" tagged ORG, "Luftwaffe" tagged PERSON.
    return entries[0] if len(entries) == 1 and not near and label in NAME_LABELS else None


# --- the user's authority file ----------------------------------------------------------------

@dataclass(frozen=True)
class AuthorityEntry:
    alias: str
    canonical: str
    label: str
    wikidata: str
    decision: str
    line: int


@dataclass
class Authority:
    """A user's ``entities.csv``: decisions that override every automatic rule."""

    entries: dict[str, AuthorityEntry]
    source: str = AUTHORITY_FILE
    used: set[str] = field(default_factory=set)

    def get(self, text: str) -> AuthorityEntry | None:
        key = alias_key(text)
        entry = self.entries.get(key)
        if entry is not None:
            self.used.add(key)
        return entry

    def unused(self) -> list[AuthorityEntry]:
        return [e for k, e in self.entries.items() if k not in self.used]

    def wikidata(self, canonical: str) -> str:
        for entry in self.entries.values():
            if entry.wikidata and entry.decision != "ignore" and (entry.canonical or entry.alias) == canonical:
                return entry.wikidata
        return ""


def parse_authority(text: str, *, source: str = AUTHORITY_FILE) -> Authority:
    """Parse an authority file; any problem raises ValueError with a one-line message."""
    rows = _csv_rows(text)
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), None)
    if first is None:
        return Authority({}, source)
    header = {h.strip().lower() for h in next(csv.reader([first]))}
    missing = [f for f in ("alias", "canonical", "decision") if f not in header]
    if missing:
        raise ValueError(f"{source}: missing column(s) {', '.join(missing)} "
                         "(expected alias,canonical,label,wikidata,decision)")
    entries: dict[str, AuthorityEntry] = {}
    for line, row in rows:
        if EXTRA_FIELDS in row:
            raise ValueError(f"{source} line {line}: more fields than the header has (quote names that contain commas)")
        alias, decision = row["alias"], row["decision"].lower() or "merge"
        label, wikidata = row.get("label", "").upper(), row.get("wikidata", "")
        where = f"{source} line {line}"
        if not alias:
            raise ValueError(f"{where}: empty alias")
        if decision not in DECISIONS:
            raise ValueError(f"{where}: decision {row['decision']!r} is not merge, split or ignore")
        if decision == "merge" and not row["canonical"]:
            raise ValueError(f"{where}: a merge needs a canonical name")
        if label and label not in ENTITY_LABELS:
            raise ValueError(f"{where}: label {label!r} is not one of {', '.join(ENTITY_LABELS)}")
        if wikidata and not _QID.match(wikidata):
            raise ValueError(f"{where}: wikidata {wikidata!r} is not a QID such as Q30")
        key = alias_key(alias)
        if key in entries:
            raise ValueError(f"{where}: alias {alias!r} already given on line {entries[key].line}")
        entries[key] = AuthorityEntry(alias, row["canonical"] or alias, label, wikidata, decision, line)
    return Authority(entries, source)


def read_authority(corpus_dir: str | Path) -> Authority | None:
    """The corpus folder's ``entities.csv``, or None when it has none; ValueError if malformed."""
    path = Path(corpus_dir) / AUTHORITY_FILE
    if not path.is_file():
        return None
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{AUTHORITY_FILE}: cannot be read ({exc.__class__.__name__})") from None
    return parse_authority(text)


# --- mentions -----------------------------------------------------------------------------------

def _chrome_spans(text: str, names: set[str]) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that are salutations, signatures or site chrome."""
    cfg = qa.chrome()
    spans = []
    for match in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        para = " ".join(match.group().split())
        if ((cfg.salutation.match(para) and len(para.split()) <= 8)
                or any(rx.match(para) for rx in cfg.paragraphs) or alias_key(para) in names):
            spans.append(match.span())
    return spans


def _raw_mentions(docs: pd.DataFrame, columns: pd.DataFrame | None) -> list[dict]:
    people = {}
    if columns is not None:
        fields = [f for f in ("asker", "answerer", "answerer_title") if f in columns]
        for row in columns[["column_id", *fields]].itertuples(index=False):
            people[row[0]] = {alias_key(v) for v in row[1:] if isinstance(v, str) and v.strip()}
    site = {alias_key(n) for n in rules().raw["site_names"]}
    found = []
    for row in docs.itertuples(index=False):
        chrome = _chrome_spans(row.text, people.get(row.column_id, set()))
        sentence_starts = [s.start_char for s in row.doc.sents]
        for ent in row.doc.ents:
            if ent.label_ not in ENTITY_LABELS or alias_key(ent.text) in site:
                continue
            if any(a <= ent.start_char < b for a, b in chrome):
                continue
            found.append({
                "column_id": row.column_id, "part": row.part, "start": ent.start_char, "end": ent.end_char,
                "text": ent.text, "label": ent.label_, "name": " ".join(ent.text.split()),
                "context": ent.kb_id_ == CONTEXT_KB_ID,
                "sentence": bisect_right(sentence_starts, ent.start_char) - 1,
            })
    return found


def _default_name(name: str, label: str) -> str:
    if label == "PRODUCT":
        words = name.split()
        if words and (m := _PLURAL_DESIGNATION.match(words[-1])):
            return " ".join([*words[:-1], m.group(1)])
        if len(words) > 1 and words[-1].endswith("s") and words[-1] in rules().weapon_words:
            return " ".join([*words[:-1], words[-1][:-1]])  # "Gatling guns" → "Gatling gun"
        if (len(words) > 1 and re.match(r"^[A-Z][a-z]+[^s\W]s$", words[-1])
                and any(rx.match(words[0]) for rx in rules().designations)):
            return " ".join([*words[:-1], words[-1][:-1]])  # "F-86 Sabres" → "F-86 Sabre"
    if label == "NORP" and " " not in name and (m := _PLURAL_PEOPLE.match(name)):
        return m.group(1) or m.group(2)
    if label == "PERSON":
        return " ".join(_NICKNAME.sub("", name).split()) or name  # 'William "Snowy" Evans'
    return name


_PEERS = frozenset(w.lower() for t in rules().raw["peerage_titles"] for w in t.split())


def _person_words(name: str) -> list[str]:
    return alias_key(name).replace("-", " ").split()


def _resolve_within_column(found: list[dict]) -> None:
    """Within a column, a short name takes the label and canonical of the fuller name written
    there — a ship without its prefix ("Yorktown" → "USS Yorktown"), a place without its feature
    word ("Midway" → "Midway Atoll"), a peer's seat ("Wellington" → "Duke of Wellington") — and
    a name tagged as an organisation that is a person's name written there ("Napoleon" beside
    "Napoleon Bonaparte") becomes a PERSON."""
    r = rules()
    peers = {_word.lower() for t in r.raw["peerage_titles"] for _word in t.split()}
    by_column = defaultdict(list)
    for m in found:
        by_column[m["column_id"]].append(m)
    for mentions in by_column.values():
        fuller, people = {}, set()
        for m in mentions:
            words = m["name"].split()
            if m["label"] == "PRODUCT":
                fuller.setdefault(alias_key(m["name"]), m)  # "the carrier Hiryu" … "Hiryu"
                if len(words) > 1 and words[0] in r.ship_prefixes:
                    fuller.setdefault(alias_key(" ".join(words[1:])), m)  # "USS Yorktown" … "Yorktown"
            if m["label"] == "LOC" and len(words) > 1 and words[-1] in r.place_heads:
                fuller.setdefault(alias_key(" ".join(words[:-1])), m)  # "Midway Atoll" … "Midway"
            if m["label"] == "PERSON":
                people.add(tuple(_person_words(m["name"])))
                if len(words) == 3 and words[1] == "of" and words[0].lower() in peers:
                    fuller.setdefault(alias_key(words[2]), m)  # "Duke of Wellington" … "Wellington"
        for m in mentions:
            if m.get("user"):
                continue
            full = fuller.get(alias_key(m["name"]))
            if full is not None and m is not full and m["label"] not in ("EVENT", "LAW"):
                m.update(canonical=full["canonical"], label=full["label"], wikidata=full["wikidata"],
                         fixed=True, label_fixed=True)
            elif m["label"] == "ORG" and not m["label_fixed"]:
                words = _person_words(m["name"])
                if any(p == tuple(words) or (len(p) > len(words) and p[-len(words):] == tuple(words))
                       or ("of" in p and p[:len(words)] == tuple(words)) for p in people):
                    m.update(label="PERSON")


def _regnal_short_form(words: list[str], full: list[str]) -> bool:
    """"Philip" of "Philip II of France": a ruler's name before the regnal number and realm."""
    return "of" in full and full[:len(words)] == words and "of" not in words and full[0] not in _PEERS


def _resolve_short_forms(found: list[dict]) -> None:
    """Within a column, a PERSON written in part ("Hitler") takes the canonical of a fuller
    name of the same person written there ("Adolf Hitler"): the nearest earlier one, else the
    only later one. Several candidates with different canonicals leave the mention alone."""
    by_column = defaultdict(list)
    for m in found:
        if m["label"] == "PERSON":
            by_column[m["column_id"]].append(m)
    for mentions in by_column.values():
        for i, m in enumerate(mentions):
            if m["fixed"] or m.get("user"):
                continue
            words = _person_words(m["name"])
            fuller = [(j, f) for j, f in enumerate(mentions)
                      if j != i and len(_person_words(f["name"])) > len(words)
                      and ((_person_words(f["name"])[-1] == words[-1] and set(words) <= set(_person_words(f["name"])))
                           or _regnal_short_form(words, _person_words(f["name"])))]
            earlier = {f["canonical"]: f for j, f in fuller if j < i}
            later = {f["canonical"]: f for j, f in fuller if j > i}
            choice = earlier if earlier else later
            if len(choice) == 1:
                full = next(iter(choice.values()))
                m.update(canonical=full["canonical"], wikidata=full["wikidata"], fixed=True)


def _unify(found: list[dict]) -> None:
    """One spelling and one label per entity: names the rules left as written are grouped by
    their alias key ("Soviets" / "soviets"), the most frequent spelling wins; an entity tagged
    with confusable labels takes its most frequent label."""
    spellings: dict[tuple, Counter] = defaultdict(Counter)
    for m in found:
        if not m["fixed"]:
            spellings[(alias_key(m["canonical"]), m["label"])][m["canonical"]] += 1
    for m in found:
        if not m["fixed"]:
            counts = spellings[(alias_key(m["canonical"]), m["label"])]
            m["canonical"] = min(counts, key=lambda s: (-counts[s], s))
    labels: dict[str, Counter] = defaultdict(Counter)
    for m in found:  # a label read from the words around a name ("at Cannae") outweighs the model's
        labels[m["canonical"]][m["label"]] += 1000 if m.get("context") else 1
    order = {label: i for i, label in enumerate(ENTITY_LABELS)}
    for m in found:
        if m["label_fixed"]:
            continue
        counts = labels[m["canonical"]]
        best = min((l for l in counts if compatible(l, m["label"])), key=lambda l: (-counts[l], order[l]))
        m["label"] = best


#: The label a name keeps when its mentions in one column are tied between labels of different
#: kinds: places first (the model's commonest slip in this prose calls a town or a ship a
#: person), then peoples, events and things, persons, and works of art last (rare, see below).
LABEL_PRIORITY = ("GPE", "LOC", "FAC", "NORP", "EVENT", "LAW", "PRODUCT", "ORG", "PERSON", "LANGUAGE", "WORK_OF_ART")
#: The weight of a mention whose label a rule decided (an alias row, a title, "at"/"the siege
#: of" before it) against a mention labelled by the model alone.
RULE_WEIGHT = 1000


def _one_label_per_column(found: list[dict]) -> None:
    """Within a column, every mention of one canonical name takes one label, whatever kinds of
    label they were given ("Ladysmith" GPE and PERSON → GPE). The label with the strongest
    evidence wins: a label set by a rule (alias row, title, place preposition) outweighs any
    number of the model's; otherwise the majority; a tie goes to :data:`LABEL_PRIORITY`.
    Labels from the user's entities.csv and from alias rows are never changed. A column that
    names two different things with one name (Guernica the town and Picasso's painting) loses
    the rarer one: accepted, as such columns are rare and a user's entities.csv can split them."""
    rank = {label: i for i, label in enumerate(LABEL_PRIORITY)}
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for m in found:
        strong = m["label_fixed"] or m.get("context") or m.get("user")
        votes[(m["column_id"], m["canonical"])][m["label"]] += RULE_WEIGHT if strong else 1
    for m in found:
        counts = votes[(m["column_id"], m["canonical"])]
        if len(counts) < 2 or m["label_fixed"] or m.get("user"):
            continue
        m["label"] = min(counts, key=lambda l: (-counts[l], rank.get(l, len(rank)), l))


def entities(docs: pd.DataFrame, *, columns: pd.DataFrame | None = None, authority: Authority | None = None,
             with_sentence: bool = False) -> pd.DataFrame:
    """Every named-entity mention in the questions and answers, with its canonical name.

    ``docs`` is :func:`mrhistory.annotation.annotate`'s table; ``columns`` (optional) lets the
    asker's and answerer's name lines be recognised as signatures; ``authority`` is the user's
    ``entities.csv`` (see :func:`read_authority`). Rows are sorted by column, part, offset.
    """
    table = shipped_aliases()
    found = _raw_mentions(docs, columns)
    kept = []
    for m in found:
        m.update(canonical=_default_name(m["name"], m["label"]), wikidata="", fixed=False, label_fixed=False)
        entry = authority.get(m["name"]) if authority else None
        if entry is None:
            alias = lookup(table, alias_key(m["name"]), m["label"])
            if alias is not None:
                m.update(canonical=alias.canonical, label=alias.label, wikidata=alias.wikidata, fixed=True, label_fixed=True)
        elif entry.decision == "ignore":
            continue
        else:
            m.update(canonical=entry.canonical, wikidata=entry.wikidata, fixed=True, user=True)
            if entry.label:
                m.update(label=entry.label, label_fixed=True)
        kept.append(m)
    _resolve_within_column(kept)
    _resolve_short_forms(kept)
    if authority:  # a user's entry may also rename or drop a canonical name the rules produced
        renamed = []
        for m in kept:
            if not m.get("user") and alias_key(m["canonical"]) in authority.entries:
                entry = authority.get(m["canonical"])
                if entry.decision == "ignore":
                    continue
                m.update(canonical=entry.canonical, wikidata=entry.wikidata or m["wikidata"], fixed=True)
                if entry.label:
                    m.update(label=entry.label, label_fixed=True)
            renamed.append(m)
        kept = renamed
    _unify(kept)
    _one_label_per_column(kept)
    cols = [*ENTITIES_SCHEMA, "sentence"] if with_sentence else list(ENTITIES_SCHEMA)
    df = pd.DataFrame(kept, columns=cols)
    return _sorted(df.astype({**ENTITIES_SCHEMA, "sentence": "int64"}) if with_sentence else df.astype(ENTITIES_SCHEMA))


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    part_order = df["part"].map({p: i for i, p in enumerate(PARTS)}).fillna(len(PARTS))
    return (df.assign(_part=part_order).sort_values(["column_id", "_part", "start", "end"], kind="mergesort")
            .drop(columns="_part").reset_index(drop=True))


# --- tables from the mentions ---------------------------------------------------------------------

def wikidata_id(canonical: str, label: str, *, authority: Authority | None = None) -> str:
    """The Wikidata QID of a canonical entity: the user's, else the shipped table's, else ""."""
    if authority and (qid := authority.wikidata(canonical)):
        return qid
    alias = lookup(shipped_aliases(), alias_key(canonical), label)
    return alias.wikidata if alias is not None and alias.canonical == canonical else ""


def entity_counts(mentions: pd.DataFrame, *, authority: Authority | None = None) -> pd.DataFrame:
    """One row per entity: mentions, number of columns mentioning it, Wikidata QID."""
    if mentions.empty:
        return pd.DataFrame(columns=list(COUNTS_SCHEMA)).astype(COUNTS_SCHEMA)
    grouped = mentions.groupby(["canonical", "label"], sort=True, observed=True)
    df = grouped.agg(mentions=("column_id", "size"), columns=("column_id", "nunique")).reset_index()
    df["wikidata"] = [wikidata_id(c, l, authority=authority) for c, l in zip(df["canonical"], df["label"])]
    df = df.astype(COUNTS_SCHEMA).sort_values(["mentions", "canonical", "label"], ascending=[False, True, True], kind="mergesort")
    return df.reset_index(drop=True)


def _sentence_index(mentions: pd.DataFrame, docs: pd.DataFrame) -> list[int]:
    starts = {(r.column_id, r.part): [s.start_char for s in r.doc.sents] for r in docs.itertuples(index=False)}
    return [bisect_right(starts.get((c, p), [0]), s) - 1
            for c, p, s in zip(mentions["column_id"], mentions["part"], mentions["start"])]


def entity_cooccurrence(mentions: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Pairs of entities named in the same sentence and in the same column, with both counts.

    Each pair is listed once (source before target in name order); ``sentences`` counts the
    sentences naming both, ``columns`` the columns naming both.
    """
    if mentions.empty:
        return pd.DataFrame(columns=list(COOCCURRENCE_SCHEMA)).astype(COOCCURRENCE_SCHEMA)
    sentence = mentions["sentence"] if "sentence" in mentions else _sentence_index(mentions, docs)
    ents = list(zip(mentions["canonical"], mentions["label"]))
    in_sentence, in_column = defaultdict(set), defaultdict(set)
    for ent, col, part, sent in zip(ents, mentions["column_id"], mentions["part"], sentence):
        in_sentence[(col, part, sent)].add(ent)
        in_column[col].add(ent)
    sentences, columns = Counter(), Counter()
    for group in in_sentence.values():
        sentences.update(combinations(sorted(group), 2))
    for group in in_column.values():
        columns.update(combinations(sorted(group), 2))
    rows = [(a[0], a[1], b[0], b[1], sentences.get((a, b), 0), n) for (a, b), n in columns.items()]
    df = pd.DataFrame(rows, columns=list(COOCCURRENCE_SCHEMA)).astype(COOCCURRENCE_SCHEMA)
    return df.sort_values(["sentences", "columns", "source", "source_label", "target", "target_label"],
                          ascending=[False, False, True, True, True, True], kind="mergesort").reset_index(drop=True)


# --- the analyse stage --------------------------------------------------------------------------

def load_authority(corpus_dir: str | Path, say) -> Authority | None:
    """The corpus's authority file, or None; a malformed one is reported through ``say`` and skipped."""
    try:
        return read_authority(corpus_dir)
    except ValueError as exc:
        say(f"entities: {exc}; the file is ignored for this run")
        return None


def report_unused(authority: Authority | None, say) -> None:
    unused = authority.unused() if authority else []
    if unused:
        listed = ", ".join(f"{e.alias!r} (line {e.line})" for e in unused[:10]) + (", …" if len(unused) > 10 else "")
        say(f"entities: {len(unused)} {authority.source} entr{'y' if len(unused) == 1 else 'ies'} matched nothing: {listed}")


TABLES = ("entities", "entity_counts", "entity_cooccurrence")


def entity_tables(docs: pd.DataFrame, *, columns: pd.DataFrame | None = None, corpus_dir: str | Path | None = None,
                  say=None) -> dict[str, pd.DataFrame]:
    """The tables ``entities``, ``entity_counts`` and ``entity_cooccurrence``, exactly as
    ``mrhistory analyse`` writes them: the one recipe the stage and the notebooks share.

    ``corpus_dir`` is where a user's ``entities.csv`` is looked for (none: shipped rules only);
    ``say`` receives one-line messages (a malformed authority file, entries that matched nothing).
    """
    say = say or (lambda line: None)
    authority = load_authority(corpus_dir, say) if corpus_dir is not None else None
    found = entities(docs, columns=columns, authority=authority, with_sentence=True)
    report_unused(authority, say)
    return {
        "entities": found.drop(columns="sentence"),
        "entity_counts": entity_counts(found, authority=authority),
        "entity_cooccurrence": entity_cooccurrence(found, docs),
    }


def stage(ctx) -> None:
    """Tables ``entities``, ``entity_counts``, ``entity_cooccurrence`` and the entity figures."""
    from .figures import entities as figures

    tables = entity_tables(ctx.docs, columns=ctx.columns, corpus_dir=ctx.corpus_dir, say=ctx.say)
    ctx.tables.update(tables)
    figures.add_figures(ctx, *(tables[name] for name in TABLES))
