"""Date mentions: every historical date expression in a text, normalised to EDTF with day bounds.

``extract_dates(text)`` is a pure, deterministic function of the text (a regular grammar in
:mod:`mrhistory.date_patterns`, no NLP model). Partial dates ("on December 11") take their year
from the last date mentioned before them; anaphora ("the same day", "two years later") count
from it; expressions relative to the time of writing ("last year", "on Tuesday") need a
``reference`` date and are left out without one. Expressions that name no datable time
("most of the war", "for months", "the following months") are never emitted.

Conventions (also in the README):

* Years are astronomical in EDTF and bounds: 44 BC is ``-0043``, 1 BC is ``0000``; bounds of
  BC dates are written ``-0043-01-01`` (they do not sort as text; sort on ``start`` or parse).
* ``earliest``/``latest`` are the first and last day the expression can name, computed by the
  ``edtf`` package (approximate years "c. 1850" = ``1850~`` widen by a year each side), except
  seasons, whose bounds come from ``data/date_words.toml`` (winter 1941 = Dec 1941–Feb 1942).
* "The Nth century" is ``(N-1)00``–``(N-1)99`` (EDTF ``18XX`` for the 19th); "the 1800s" is the
  same century; "the 2000s" is a decade. early/mid/late split a year, decade or century into
  the parts listed in the data file, written as EDTF intervals ("the early 1940s" = ``1940/1943``).
* ``precision`` is day, month, season, year, decade, century, range, or week (a calendar week
  named relative to the reference date, "last week").
* ``inferred`` is true when part of the date (its year, its century, or the whole date for an
  anaphor) comes from context rather than from the expression itself.
* Context: only single-point mentions (a day, month, season or year) become the anchor for
  what follows; decades, centuries and ranges do not. A partial date takes the anchor's year,
  with one exception, the year roll-over: when the anchor names a month (or a day) and the
  partial date's month is earlier in the year than the anchor's, and a forward cue comes just
  before it ("by", "until", "till", "then", "later", "afterwards", "subsequently"), the story
  has crossed into the next year ("November 1870 … by early January" = January 1871). A bare
  "in"/"on" is no cue, nor is a year-only anchor ("1870 … by January" stays 1870): then the
  anchor's year is kept. Either way the year is marked inferred.
* Bare weekdays ("on Monday") continue a dated narrative (the next such day after the last
  day mentioned); only when nothing has been dated yet do they count from the reference.
  "last/next/this Tuesday", "today", "last year", "two years ago" always use the reference.
* Bare years are four digits (1000–2099) unless an era marks them ("AD 79", "44 BC") or the
  text calls for a year ("in 793", "the year 476", "by 845" before a clause boundary, unless a
  word of change or measure precedes: "grew by 300"); numbers followed by counts or units,
  after "page", "No.", "Bf", "Hill" …, or inside designations ("B-25B") are not years. The
  word lists are in ``data/date_words.toml``.
* Numeric dates are read only slashed with a four-digit year, month first (US order:
  "12/7/1941" = 7 December 1941) unless the first number exceeds 12 ("13/7/1941" = 13 July).
  Two-digit years ("12/7/41"), dotted forms ("7.12.1941") and fractions ("3/4") are not dates.
* Decades spelled out: "the Sixties", "the 'sixties" and "the 60s" (only right after "the",
  never near temperature words) take their century from the last year mentioned, else the
  1900s, and are inferred; "the nineteen-sixties" names its century.
* "on the 6th", "by the 27th" are days of the month last mentioned, only before punctuation or
  a clause's first word ("on the 6th the Allies landed", not "the 6th Army").
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd

from .date_patterns import Atom, find_atoms, words
from .schema import PARTS, TABLES

DATE_COLUMNS = {
    "start": "int64", "end": "int64", "text": "string", "edtf": "string", "earliest": "string",
    "latest": "string", "precision": "string", "inferred": "bool",
}
TABLE_COLUMNS = TABLES["dates"].dtypes


@dataclass
class DateContext:
    """What a later expression may lean on: the last single date mentioned, and the time of writing."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    reference: dt.date | None = None


@dataclass(frozen=True)
class _Resolved:
    edtf: str
    precision: str
    inferred: bool
    anchor: tuple | None  # (year, month, day) the mention leaves for the next ones, or None


# --- public API --------------------------------------------------------------------------------

def extract_dates(text: str, *, reference: dt.date | None = None) -> pd.DataFrame:
    """One row per date mention in ``text``: start, end, text, edtf, earliest, latest, precision, inferred.

    ``reference`` (a :class:`datetime.date`, e.g. the publication date) anchors expressions
    relative to the time of writing; without it they are not emitted.
    """
    rows, _ = extract_with_context(text, DateContext(reference=reference))
    return _frame(rows, DATE_COLUMNS)


def extract_with_context(text: str, context: DateContext) -> tuple[list[dict], DateContext]:
    """Like :func:`extract_dates`, starting from ``context`` (e.g. the question's last date) and
    returning the context the text leaves, so a column's answer can continue from its question."""
    context = replace(context)
    rows = []
    for atom in find_atoms(text or ""):
        for resolved_atom, res in _resolve_any(atom, context):
            row = _row(text, resolved_atom, res)
            if row is not None:
                rows.append(row)
                if res.anchor is not None:
                    context.year, context.month, context.day = res.anchor
    rows.sort(key=lambda r: (r["start"], r["end"]))
    return rows, context


def dates_table(columns: pd.DataFrame) -> pd.DataFrame:
    """Date mentions of a whole corpus: column_id, part, then :func:`extract_dates`'s columns.

    Each column's ``published`` date (when it is a valid ISO date) is the reference, and the
    question's dates carry over as context into the answer.
    """
    rows = []
    for col in columns.itertuples(index=False):
        context = DateContext(reference=_iso_date(getattr(col, "published", "")))
        for part in PARTS:
            found, context = extract_with_context(str(getattr(col, part) or ""), context)
            rows += [{"column_id": col.column_id, "part": part, **r} for r in found]
    df = _frame(rows, TABLE_COLUMNS)
    order = df["part"].map({p: i for i, p in enumerate(PARTS)})
    return df.assign(_o=order).sort_values(["column_id", "_o", "start", "end"], kind="stable").drop(columns="_o").reset_index(drop=True)


# --- resolution ----------------------------------------------------------------------------------

def _resolve_any(atom: Atom, context: DateContext):
    """(atom, resolution) pairs for one atom; a range whose ends are out of order falls back to both ends."""
    if atom.kind != "range":
        res = _resolve(atom, context)
        return [(atom, res)] if res else []
    res = _resolve_range(atom, context)
    if res is not None:
        return [(atom, res)]
    out = []
    for side in (atom.left, atom.right):
        side_res = _resolve(side, context)
        if side_res:
            out.append((side, side_res))
    return out


def _resolve(atom: Atom, context: DateContext) -> _Resolved | None:
    if atom.kind == "point":
        return _resolve_point(atom, context)
    if atom.kind == "span":
        return _resolve_span(atom, context)
    if atom.kind == "anaphor":
        return _resolve_anaphor(atom, context)
    if atom.kind == "deictic":
        return _resolve_deictic(atom, context)
    return None


def _year_str(y: int) -> str:
    return f"{y:05d}" if y < 0 else f"{y:04d}"


def _valid_day(y: int, m: int, d: int) -> bool:
    if not 1 <= m <= 12:
        return False
    leap_year = y % 400 or 400  # proleptic Gregorian; astronomical year 0 is a leap year
    return 1 <= d <= calendar.monthrange(leap_year, m)[1]


def _resolve_point(atom: Atom, context: DateContext) -> _Resolved | None:
    year, inferred = atom.year, False
    if year is None:
        if context.year is None:
            return None
        year, inferred = context.year, True
        if atom.forward and atom.month is not None and context.month is not None and atom.month < context.month:
            year += 1  # "November 1870 … by early January": the story has crossed into 1871
    elif atom.two_digit:
        century = (context.year // 100 * 100) if context.year is not None and context.year >= 100 else 1900
        year, inferred = century + year, True
    y = _year_str(year)
    if atom.day is not None:
        if not _valid_day(year, atom.month, atom.day):
            return None
        return _Resolved(f"{y}-{atom.month:02d}-{atom.day:02d}", "day", inferred, (year, atom.month, atom.day))
    if atom.season is not None:
        return _Resolved(f"{y}-{atom.season}", "season", inferred, (year, None, None))
    if atom.month is not None:
        if atom.part:
            first, last = words()["parts"]["month"][atom.part]
            last = min(last, calendar.monthrange(year % 400 or 400, atom.month)[1])
            return _Resolved(f"{y}-{atom.month:02d}-{first:02d}/{y}-{atom.month:02d}-{last:02d}", "month", inferred,
                             (year, atom.month, None))
        return _Resolved(f"{y}-{atom.month:02d}", "month", inferred, (year, atom.month, None))
    if atom.part:
        first, last = words()["parts"]["year"][atom.part]
        return _Resolved(f"{y}-{first:02d}/{y}-{last:02d}", "year", inferred, (year, None, None))
    return _Resolved(y + ("~" if atom.approx else ""), "year", inferred, (year, None, None))


def _resolve_span(atom: Atom, context: DateContext) -> _Resolved | None:
    lo, hi, inferred = atom.lo, atom.hi, False
    if atom.two_digit:
        century = (context.year // 100 * 100) if context.year is not None and context.year >= 100 else 1900
        lo, hi, inferred = century + lo, century + hi, True
    if atom.precision == "decade" and hi - lo == 9 and lo >= 0 and lo % 10 == 0:
        edtf = f"{lo // 10:03d}X"
    elif atom.precision == "century" and hi - lo == 99 and lo % 100 == 0 and lo >= 100:
        edtf = f"{lo // 100:02d}XX"
    elif atom.precision == "century" and hi - lo == 99 and hi % 100 == 0 and hi <= 0:
        edtf = f"-{-hi // 100:02d}XX"  # the 5th century BC: astronomical -499…-400 = -04XX
    else:
        edtf = f"{_year_str(lo)}/{_year_str(hi)}"
    return _Resolved(edtf, atom.precision, inferred, None)


def _interval_side(res: _Resolved, *, left: bool) -> str:
    """The EDTF of one end of an interval: a single date as is, a decade or interval by its year bound."""
    if "/" not in res.edtf and "X" not in res.edtf:
        return res.edtf
    lo, hi = _year_bounds(res.edtf)
    return _year_str(lo if left else hi)


def _resolve_range(atom: Atom, context: DateContext) -> _Resolved | None:
    left, right = atom.left, atom.right
    if left.kind == "point" and left.year is None and right.kind == "point" and right.year is not None and not right.two_digit:
        year = right.year
        if left.month and right.month and left.month > right.month:
            year -= 1
        left = replace(left, year=year)
    if right.kind == "point" and right.year is None and left.kind == "point" and left.year is not None:
        year = left.year
        if left.month and right.month and right.month < left.month:
            year += 1
        right = replace(right, year=year)
    a, b = _resolve(left, context), _resolve(right, context)
    if a is None or b is None:
        return None
    edtf = f"{_interval_side(a, left=True)}/{_interval_side(b, left=False)}"
    try:
        lo, hi = _year_bounds(edtf)
    except ValueError:
        return None
    if lo > hi or (lo == hi and _bounds(edtf)[0] > _bounds(edtf)[1]):
        return None
    return _Resolved(edtf, "range", a.inferred or b.inferred, None)


def _anchor_date(context: DateContext) -> dt.date | None:
    if context.year is None or context.month is None or context.day is None or context.year < 1:
        return None
    return dt.date(context.year, context.month, context.day)


def _resolve_anaphor(atom: Atom, context: DateContext) -> _Resolved | None:
    from dateutil.relativedelta import relativedelta

    if context.year is None:
        return None
    unit, n = atom.unit, atom.offset
    if unit == "day" or unit == "week":
        day = _anchor_date(context)
        if day is None:
            return None
        try:
            day = day + dt.timedelta(days=n * (7 if unit == "week" else 1))
        except OverflowError:
            return None
        return _Resolved(day.isoformat(), "day", True, (day.year, day.month, day.day))
    if unit == "month":
        if context.month is None:
            return None
        first = dt.date(max(context.year, 1), context.month, 1) + relativedelta(months=n)
        year = first.year if context.year >= 1 else context.year + (first.year - 1)
        return _Resolved(f"{_year_str(year)}-{first.month:02d}", "month", True, (year, first.month, None))
    if unit == "season":
        year = context.year
        if n > 0 and context.month is not None:
            starts = {c["code"]: int(c["start"][:2]) for c in words()["seasons"].values()}
            year += 1 if starts[atom.season] <= context.month else 0
        elif n > 0:
            year += 1
        elif n < 0:
            year -= 1
        return _Resolved(f"{_year_str(year)}-{atom.season}", "season", True, (year, None, None))
    if unit == "named_month":  # "that April": the anchor's year; "the following April": the next April
        year = context.year
        if n > 0 and (context.month is None or atom.month <= context.month):
            year += 1
        elif n < 0 and (context.month is None or atom.month >= context.month):
            year -= 1
        return _Resolved(f"{_year_str(year)}-{atom.month:02d}", "month", True, (year, atom.month, None))
    if unit == "day_of_month":
        if context.month is None or not _valid_day(context.year, context.month, atom.day):
            return None
        return _Resolved(f"{_year_str(context.year)}-{context.month:02d}-{atom.day:02d}", "day", True,
                         (context.year, context.month, atom.day))
    if unit in ("year", "decade"):
        year = context.year + n * (10 if unit == "decade" else 1)
        approx = "~" if unit == "decade" else ""
        return _Resolved(_year_str(year) + approx, "year", True, (year, None, None))
    return None


def _resolve_deictic(atom: Atom, context: DateContext) -> _Resolved | None:
    from dateutil.relativedelta import relativedelta

    if atom.unit == "weekday" and atom.offset == -2 and context.year is not None:
        return _narrative_weekday(atom, context)
    ref = context.reference
    if ref is None:
        return None
    unit, n = atom.unit, atom.offset
    try:
        if unit == "day":
            day = ref + dt.timedelta(days=n)
            return _Resolved(day.isoformat(), "day", False, (day.year, day.month, day.day))
        if unit == "weekday":
            delta = (ref.weekday() - atom.weekday) % 7
            if n == -2:  # bare "Tuesday": the most recent one, the reference day included
                day = ref - dt.timedelta(days=delta)
            elif n == -1:
                day = ref - dt.timedelta(days=delta or 7)
            elif n == 1:
                day = ref + dt.timedelta(days=(atom.weekday - ref.weekday()) % 7 or 7)
            else:
                day = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(days=atom.weekday)
            return _Resolved(day.isoformat(), "day", False, (day.year, day.month, day.day))
        if unit == "week":
            monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=n)
            return _Resolved(f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}", "week", False, None)
        if unit == "month":
            first = ref.replace(day=1) + relativedelta(months=n)
            return _Resolved(f"{first.year:04d}-{first.month:02d}", "month", False, (first.year, first.month, None))
        if unit == "year":
            return _Resolved(f"{ref.year + n:04d}", "year", False, (ref.year + n, None, None))
        if unit == "decade":
            return _Resolved(f"{(ref.year // 10 + n):03d}X", "decade", False, None)
        if unit == "century":
            return _Resolved(f"{(ref.year // 100 + n):02d}XX", "century", False, None)
    except (OverflowError, ValueError):
        return None
    return None


def _narrative_weekday(atom: Atom, context: DateContext) -> _Resolved | None:
    """A bare "on Monday" inside a dated narrative: the first such weekday after the last day mentioned.

    Columns tell history: once a date has been mentioned, a bare weekday continues that story,
    not the week of publication. Without a day to count from it is not emitted.
    """
    anchor = _anchor_date(context)
    if anchor is None:
        return None
    day = anchor + dt.timedelta(days=(atom.weekday - anchor.weekday()) % 7 or 7)
    return _Resolved(day.isoformat(), "day", True, (day.year, day.month, day.day))


# --- EDTF bounds -------------------------------------------------------------------------------

def _struct_iso(t) -> str:
    return f"{_year_str(t.tm_year)}-{t.tm_mon:02d}-{t.tm_mday:02d}"


@lru_cache(maxsize=4096)
def _bounds(edtf: str) -> tuple[str, str]:
    """(earliest, latest) ISO days of an EDTF string, from the ``edtf`` package; ValueError if invalid."""
    from edtf import parse_edtf

    try:
        parsed = parse_edtf(edtf)
        lo, hi = parsed.lower_fuzzy(), parsed.upper_fuzzy()
    except Exception as exc:  # the edtf parser raises its own types; the caller only needs "invalid"
        raise ValueError(f"not valid EDTF: {edtf!r}") from exc
    return _struct_iso(lo), _struct_iso(hi)


def _year_bounds(edtf: str) -> tuple[int, int]:
    lo, hi = _bounds(edtf)
    return int(lo[:-6]), int(hi[:-6])


def _season_bounds(edtf: str) -> tuple[str, str]:
    year, code = int(edtf[:-3]), int(edtf[-2:])
    season = next(s for s in words()["seasons"].values() if s["code"] == code)
    end_year = year + season["end_year_offset"]
    end_month, end_day = (int(x) for x in season["end"].split("-"))
    end_day = min(end_day if not (end_month == 2 and end_day == 28) else 29, calendar.monthrange(end_year % 400 or 400, end_month)[1])
    return f"{_year_str(year)}-{season['start']}", f"{_year_str(end_year)}-{end_month:02d}-{end_day:02d}"


def _row(text: str, atom: Atom, res: _Resolved) -> dict | None:
    try:
        earliest, latest = _bounds(res.edtf)
    except ValueError:
        return None
    if res.precision == "season":
        earliest, latest = _season_bounds(res.edtf)
    return {"start": atom.start, "end": atom.end, "text": text[atom.start:atom.end], "edtf": res.edtf,
            "earliest": earliest, "latest": latest, "precision": res.precision, "inferred": bool(res.inferred)}


def _iso_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value and not pd.isna(value) else None
    except ValueError:
        return None


def _frame(rows: list[dict], schema: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(schema)).astype(schema)
