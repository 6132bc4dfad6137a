"""A user's ``entities.csv``: decisions on names (merge, split, ignore) that override every automatic rule."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

from ..csvfile import EXTRA_FIELDS, commented_rows
from ..entity_rules import ENTITY_LABELS
from ..names import name_key

AUTHORITY_FILE = "entities.csv"
DECISIONS = ("merge", "split", "ignore")
_QID = re.compile(r"^Q[1-9]\d*$")


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
        key = name_key(text)
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
    rows = commented_rows(text)
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
        key = name_key(alias)
        if key in entries:
            raise ValueError(f"{where}: alias {alias!r} already given on line {entries[key].line}")
        entries[key] = AuthorityEntry(alias, row["canonical"] or alias, label, wikidata, decision, line)
    return Authority(entries, source)

