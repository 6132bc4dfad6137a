"""Date mentions: every historical date expression in a text, normalised to EDTF with day bounds.

``extract_dates(text)`` is a pure, deterministic function of the text (a regular grammar in
:mod:`mrhistory.date_patterns`, no NLP model). Partial dates ("on December 11", "in January",
"the summer") take their year from the story around them (:mod:`mrhistory.date_anchoring`);
anaphora ("the same day", "two years later") count from the date the story last reached;
expressions relative to the time of writing ("last year", "on Tuesday") need a ``reference``
date and are left out without one. Expressions that name no datable time ("most of the war",
"for months", "the following months") and dates anchored on events the text does not date
("D-Day", "eight days after Fort Sumter", "at the same time") are never emitted.

Conventions (also in the README):

* Years are astronomical in EDTF and bounds: 44 BC is ``-0043``, 1 BC is ``0000``; bounds of
  BC dates are written ``-0043-01-01`` (they do not sort as text; sort on ``start`` or parse).
* ``earliest``/``latest`` are the first and last day the expression can name, computed by the
  resolver with the value (:mod:`mrhistory.date_bounds`; proleptic Gregorian), never by parsing
  the EDTF back: approximate years "c. 1850" = ``1850~`` widen by a year each side, as the
  ``edtf`` package reads them (the tests check every value against it); seasons come from
  ``data/date_words.toml`` (winter 1941 = Dec 1941–Feb 1942), also at the end of a range.
* "The Nth century" is ``(N-1)00``–``(N-1)99`` (EDTF ``18XX`` for the 19th); "the 1800s" is the
  same century; "the 2000s" is a decade; "the Nth millennium" is ``(N-1)000``–``(N-1)999``
  (``1XXX``; the 2nd millennium BC is ``-1XXX``). early/mid/late split a month, year, decade or
  century into the parts listed in the data file, written as EDTF intervals ("the early 1940s"
  = ``1940/1943``, "mid-1942" = ``1942-05/1942-08``).
* ``precision`` is day, month, season, year, decade, century, millennium, week (a calendar week
  named relative to the reference date, "last week") or range: an interval that is no single
  calendar unit ("1939–45", "from May 26 to June 4, 1940", "early 1940s", "mid-1942", or
  "three days later" after a range of days).
* ``inferred`` is true when part of the date (its year, its century, or the whole date for an
  anaphor or a clock time) comes from context rather than from the expression itself.
* The story's anchor: a mention of a day, month, season or year, a range of days or months (the
  story goes on from its end), or an anaphor that moves forward ("the next day") becomes the
  anchor for what follows; decades, centuries, ranges of years, look-backs ("the day before",
  "two years earlier") and, once something is dated, expressions relative to the time of writing
  do not. A bare year the story is already in ("… December 7, 1941") keeps the anchor's month.
  A date that lies far outside the dates around it, inside a sentence ("declassified in 2005",
  "as Napoleon had in 1812"), is an aside: a date, but no anchor.
* A partial date is placed in the year that puts it nearest the anchor, going forward rather
  than back ("December 1941 … in January" = January 1942; "May 1945 … in January" = January
  1945), or in the year that holds the anchor ("January 1942 … the winter" = winter 1941–42).
  Cues decide: "by", "until", "then", "later" move forward ("November 1870 … by early January"
  = January 1871; after a year alone only "by January" does: "1870 … by January" = 1871); "since"
  and "earlier in" look back; a past perfect in the clause ("In January, Hitler had hoped")
  keeps the anchor's year. The next date the text names bounds the story: a partial date is not
  rolled past it, and one named later in the same sentence fixes its year ("the summer
  offensive … in June 1942"). Months, seasons and days listed or ranged together share their
  month and year ("in April and June 1955", "May 3 and 5, 1863", "January 25–29"). The year
  is marked inferred. Without an anchor a partial date is not emitted.
* Anaphora: "three days later", "the next day", "the day following" count from the anchor's
  day; after a range of days, a month or a season (at most ~120 days) they move that interval
  ("July 1–3, 1863 … three days later" = 1863-07-04/1863-07-06, which holds the day meant).
  "the following decade", "the previous century" are calendar decades and centuries.
* Bare weekdays ("on Monday") continue a dated narrative (the next such day after the anchor's
  day; after a month or year alone they are left out); before any date, or after an
  expression relative to the time of writing, they count from the reference.
  "last/next/this Tuesday", "today", "last year", "two years ago" always use the reference.
* Bare years are four digits (1000–2099) unless an era marks them ("AD 79", "44 BC", "496 and
  495 BC") or the text calls for a year ("in 793", "the year 476", "by 845" before a clause
  boundary, unless a word of change or measure precedes: "grew by 300"); numbers followed by
  counts or units ("1200 names", "1500 men"), after "page", "No.", "Bf", "Hill" …, or inside
  designations ("B-25B") are not years. The word lists are in ``data/date_words.toml``.
* Numeric dates are read only slashed with a four-digit year, month first (US order:
  "12/7/1941" = 7 December 1941) unless the first number exceeds 12 ("13/7/1941" = 13 July).
  Two-digit years ("12/7/41"), dotted forms ("7.12.1941") and fractions ("3/4") are not dates.
* Two-digit years and decades ("'99", "the '40s", "the Sixties", "the 60s" — only right after
  "the", never near temperature or age words) take the century that puts them nearest the
  anchor's year ("writing in 1902 … '99" = 1899), else the 1900s, and are inferred; "the
  nineteen-sixties" names its century; "the 60s BC" is the decade 69–60 BC.
* Seasons without a year are dates after a preposition or determiner ("during the summer", "by
  autumn", "the harsh winter") or before an event noun ("the spring offensive"); "fall" and
  "spring" need more than "the" ("the fall of Paris", a spring of water are not seasons);
  "this spring", "next summer" and names ("Prague Spring", "the Winter War") are left out.
  Holidays with a fixed date (Christmas, All Saints' Day …, listed in the data file) are days.
* Clock times ("3:00 a.m.") are the day of the date that follows them in the clause ("at 5:34 AM
  on March 20, 2003") or else of the anchor's day, at day precision (the time is not kept).
* "on the 6th", "by the 27th", "the 28th of that month" are days of the month last mentioned,
  only before punctuation, a clause's first word or another such day ("on the 19th and 20th").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property

import pandas as pd

from .date_bounds import Bounds, Day, approximate, day_bounds, iso, last_day, month_bounds, season_bounds, valid_day, year_bounds
from . import date_anchoring as anchoring
from .date_patterns import Atom, find_atoms, words
from .schema import PARTS, TABLES

DATE_COLUMNS = {
    "start": "int64", "end": "int64", "text": "string", "edtf": "string", "earliest": "string",
    "latest": "string", "precision": "string", "inferred": "bool",
}
TABLE_COLUMNS = TABLES["dates"].dtypes


@dataclass
class DateContext:
    """What a later expression may lean on: the date the story last reached, and the time of writing.

    ``year``/``month``/``day`` are that date's parts (the end of a range of days), ``span`` its
    bounds (a whole range or season), and ``from_reference`` says it came from the time of writing
    ("last year"), which a dated mention then replaces.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    reference: dt.date | None = None
    span: Bounds | None = None
    from_reference: bool = False


@dataclass(slots=True)
class _Resolved:
    edtf: str
    precision: str
    inferred: bool
    anchor: tuple | None  # (year, month, day) the mention leaves for the next ones, or None
    bounds: Bounds  # first and last day named, computed with the value (never by re-parsing the EDTF)


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
    text = text or ""
    atoms = find_atoms(text)
    marks = _marks(atoms)
    asides = anchoring.asides(text, marks)
    following = anchoring.next_dates(marks, len(atoms), asides)
    rows = []
    for i, atom in enumerate(atoms):
        for resolved_atom, res in _resolve_any(atom, context, _Next.of(text, atom, following[i])):
            rows.append(_row(text, resolved_atom, res))
            if i not in asides:  # a passing mention ("declassified in 2005"): the story goes on from before it
                _move_story(context, atom, res)
    rows.sort(key=lambda r: (r["start"], r["end"]))
    return rows, context


class _Next:
    """The next full date after a mention: its bounds, and (worked out only when asked) whether it
    comes in the same sentence."""

    def __init__(self, text: str, end: int, mark: anchoring.Mark):
        self.bounds, self._text, self._end, self._start = mark.bounds, text, end, mark.start

    @cached_property
    def near(self) -> bool:
        return anchoring.same_sentence(self._text, self._end, self._start)

    @staticmethod
    def of(text: str, atom: Atom, mark: anchoring.Mark | None) -> "_Next | None":
        return None if mark is None else _Next(text, atom.end, mark)


def _move_story(context: DateContext, atom: Atom, res: _Resolved) -> None:
    """Make ``res`` the anchor of what follows, unless it is no step of the story."""
    if res.anchor is None:
        return
    if atom.kind == "anaphor" and atom.offset < 0:
        return  # "the day before", "two years earlier" look back; the story stays where it was
    if atom.kind == "deictic" and context.year is not None and not context.from_reference:
        return  # "two years ago" in a dated story does not move it to the time of writing
    if res.anchor[1] is None and res.precision == "year" and res.anchor[0] == context.year and context.month is not None:
        return  # "… December 7, 1941": a bare year the story is already in keeps its month and day
    context.year, context.month, context.day = res.anchor
    context.span, context.from_reference = res.bounds, atom.kind == "deictic"


def _marks(atoms: list[Atom]) -> list[anchoring.Mark]:
    """The dates that name their own year, with their bounds: the story's fixed points."""
    marks, empty = [], DateContext()
    for i, atom in enumerate(atoms):
        point = atom.left if atom.kind == "range" else atom
        if point is None or not point.explicit_year:
            continue
        res = _resolve(point, empty)
        if res is not None:
            marks.append(anchoring.Mark(i, atom.start, res.bounds))
    return marks


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

SHIFTABLE_DAYS = 120  # "three days later" counts from an anchor of at most a season (a range, a month)


def _resolve_any(atom: Atom, context: DateContext, following: _Next | None = None):
    """(atom, resolution) pairs for one atom; a range whose ends are out of order falls back to both ends."""
    if atom.kind != "range":
        res = _resolve(atom, context, following)
        return [(atom, res)] if res else []
    res = _resolve_range(atom, context, following)
    if res is not None:
        return [(atom, res)]
    out = []
    for side in (atom.left, atom.right):
        side_res = _resolve(side, context, following)
        if side_res:
            out.append((side, side_res))
    return out


def _resolve(atom: Atom, context: DateContext, following: _Next | None = None) -> _Resolved | None:
    if atom.kind == "point":
        return _resolve_point(atom, context, following)
    if atom.kind == "span":
        return _resolve_span(atom, context)
    if atom.kind == "anaphor":
        return _resolve_anaphor(atom, context)
    if atom.kind == "deictic":
        return _resolve_deictic(atom, context)
    if atom.kind == "time":
        anchor = _anchor_date(context)
        return _day(anchor) if anchor is not None else None
    return None


def _year_str(y: int) -> str:
    return f"{y:05d}" if y < 0 else f"{y:04d}"


def _day(day: dt.date, precision: str = "day", inferred: bool = True) -> _Resolved:
    return _Resolved(day.isoformat(), precision, inferred, (day.year, day.month, day.day),
                     day_bounds(day.year, day.month, day.day))


def _month(year: int, month: int, inferred: bool) -> _Resolved:
    return _Resolved(f"{_year_str(year)}-{month:02d}", "month", inferred, (year, month, None), month_bounds(year, month))


def _season(year: int, code: int, inferred: bool) -> _Resolved:
    return _Resolved(f"{_year_str(year)}-{code}", "season", inferred, (year, None, None), season_bounds(year, code))


def _year(year: int, inferred: bool, approx: bool = False) -> _Resolved:
    bounds = year_bounds(year)
    return _Resolved(_year_str(year) + ("~" if approx else ""), "year", inferred, (year, None, None),
                     approximate(bounds) if approx else bounds)


def _century_near(context: DateContext, lo: int, hi: int) -> int:
    """The century of a two-digit year or decade ("'99", "the '40s"): the one that puts it nearest the
    story's year ("writing in 1902 … '99" is 1899), the 1900s when there is none."""
    if context.year is None or context.year < 100:
        return 1900
    base, middle = context.year // 100 * 100, (lo + hi) / 2
    return min((base - 100, base, base + 100), key=lambda c: (abs(c + middle - context.year), c))


def _partial_bounds(atom: Atom, year: int) -> Bounds | None:
    """The days a month, day or season without its year would name in ``year``."""
    if atom.day is not None:
        return day_bounds(year, atom.month, atom.day) if valid_day(year, atom.month, atom.day) else None
    if atom.season is not None:
        return season_bounds(year, atom.season)
    if atom.month is not None:
        if atom.part:
            first, last = words()["parts"]["month"][atom.part]
            return day_bounds(year, atom.month, first, last)
        return month_bounds(year, atom.month)
    return year_bounds(year)


def _placement_anchor(context: DateContext) -> Bounds | None:
    """The anchor a partial date is placed against: its day or month, or a season; None for a year alone."""
    if context.year is None:
        return None
    if context.month is not None:
        if context.day is not None and valid_day(context.year, context.month, context.day):
            return day_bounds(context.year, context.month, context.day)
        return month_bounds(context.year, context.month)
    if context.span is not None and _span_days(context.span) <= SHIFTABLE_DAYS:
        return context.span
    return None


def _span_days(bounds: Bounds) -> int:
    return anchoring.day_number(bounds[1]) - anchoring.day_number(bounds[0])


def _place(atom: Atom, context: DateContext, following: _Next | None, candidate=None) -> int | None:
    """The year of a partial date (see :mod:`mrhistory.date_anchoring`); None without a story to lean on."""
    if context.year is None:
        return None
    candidate = candidate or (lambda y: _partial_bounds(atom, y))
    return anchoring.place(candidate, context.year, _placement_anchor(context), atom.cue,
                           following.bounds if following else None, first_month=atom.month == 1,
                           confirm=following.bounds if following and following.near else None)


def _resolve_point(atom: Atom, context: DateContext, following: _Next | None = None) -> _Resolved | None:
    year, inferred = atom.year, atom.unit == "time"  # a clock time's day always comes from its context
    if year is None:
        year, inferred = _place(atom, context, following), True
        if year is None:
            return None
    elif atom.two_digit:
        year, inferred = _century_near(context, year, year) + year, True
    y = _year_str(year)
    if atom.day is not None:
        if not valid_day(year, atom.month, atom.day):
            return None
        return _Resolved(f"{y}-{atom.month:02d}-{atom.day:02d}", "day", inferred, (year, atom.month, atom.day),
                         day_bounds(year, atom.month, atom.day))
    if atom.season is not None:
        return _season(year, atom.season, inferred)
    if atom.month is not None:
        if atom.part:
            first, last = words()["parts"]["month"][atom.part]
            last = min(last, last_day(year, atom.month))
            return _Resolved(f"{y}-{atom.month:02d}-{first:02d}/{y}-{atom.month:02d}-{last:02d}", "range", inferred,
                             (year, atom.month, None), day_bounds(year, atom.month, first, last))
        return _month(year, atom.month, inferred)
    if atom.part:
        first, last = words()["parts"]["year"][atom.part]
        return _Resolved(f"{y}-{first:02d}/{y}-{last:02d}", "range", inferred, (year, None, None),
                         month_bounds(year, first, last))
    return _year(year, inferred, atom.approx)


def _span(lo: int, hi: int, precision: str, inferred: bool) -> _Resolved:
    """A decade, century or millennium as EDTF: ``194X``, ``18XX``, ``-04XX``, ``1XXX``, else an interval."""
    if precision == "decade" and hi - lo == 9 and lo >= 0 and lo % 10 == 0:
        edtf = f"{lo // 10:03d}X"
    elif precision == "century" and hi - lo == 99 and lo % 100 == 0 and lo >= 100:
        edtf = f"{lo // 100:02d}XX"
    elif precision == "century" and hi - lo == 99 and hi % 100 == 0 and hi <= 0:
        edtf = f"-{-hi // 100:02d}XX"  # the 5th century BC: astronomical -499…-400 = -04XX
    elif precision == "millennium" and hi - lo == 999 and lo % 1000 == 0 and lo >= 1000:
        edtf = f"{lo // 1000}XXX"
    elif precision == "millennium" and hi - lo == 999 and hi % 1000 == 0 and hi <= 0:
        edtf = f"-{-hi // 1000}XXX"  # the 2nd millennium BC: astronomical -1999…-1000 = -1XXX
    else:
        edtf = f"{_year_str(lo)}/{_year_str(hi)}"
    return _Resolved(edtf, precision, inferred, None, year_bounds(lo, hi))


def _resolve_span(atom: Atom, context: DateContext) -> _Resolved | None:
    lo, hi, inferred = atom.lo, atom.hi, False
    if atom.two_digit:
        century = _century_near(context, lo, hi)
        lo, hi, inferred = century + lo, century + hi, True
    res = _span(lo, hi, atom.precision, inferred)
    return replace(res, precision="range") if atom.part else res


def _interval_side(res: _Resolved, *, left: bool) -> tuple[str, Day]:
    """One end of an interval, EDTF and bound: a single date as is, a decade or interval by its year."""
    if "/" not in res.edtf and "X" not in res.edtf:
        return res.edtf, res.bounds[0 if left else 1]
    year = res.bounds[0][0] if left else res.bounds[1][0]
    return _year_str(year), year_bounds(year)[0 if left else 1]


def _partial_point(atom: Atom) -> bool:
    return atom.kind == "point" and atom.year is None


def _later_in_year(left: Atom, right: Atom) -> bool:
    """The right end of a range comes before the left in the calendar year: the range crosses a new year."""
    lm, rm = left.month or 0, right.month or 0
    return bool(lm and rm and (rm < lm or (rm == lm and (right.day or 0) < (left.day or 0))))


def _resolve_range(atom: Atom, context: DateContext, following: _Next | None = None) -> _Resolved | None:
    left, right = atom.left, atom.right
    if _partial_point(left) and right.kind == "point" and right.year is not None and not right.two_digit:
        left = replace(left, year=right.year - (1 if _later_in_year(left, right) else 0))
    if _partial_point(right) and left.kind == "point" and left.year is not None:
        right = replace(right, year=left.year + (1 if _later_in_year(left, right) else 0))
    inferred = False
    if _partial_point(left) and _partial_point(right):  # "January 25–29", "from October to March": placed as one
        step = 1 if _later_in_year(left, right) else 0

        def whole(y):
            a, b = _partial_bounds(left, y), _partial_bounds(right, y + step)
            return (a[0], b[1]) if a and b else None

        year = _place(left, context, following, whole)
        if year is None:
            return None
        left, right, inferred = replace(left, year=year), replace(right, year=year + step), True
    a, b = _resolve(left, context), _resolve(right, context)
    if a is None or b is None:
        return None
    (a_edtf, earliest), (b_edtf, latest) = _interval_side(a, left=True), _interval_side(b, left=False)
    if earliest > latest:
        return None
    fine = {"day", "month", "season"}
    anchor = b.anchor if a.precision in fine and b.precision in fine else None  # the story goes on from the end
    return _Resolved(f"{a_edtf}/{b_edtf}", "range", inferred or a.inferred or b.inferred, anchor, (earliest, latest))


def _anchor_date(context: DateContext) -> dt.date | None:
    if context.year is None or context.month is None or context.day is None or context.year < 1:
        return None
    if not valid_day(context.year, context.month, context.day):
        return None
    return dt.date(context.year, context.month, context.day)


def _shifted(context: DateContext, days: int) -> _Resolved | None:
    """ "three days later" after a day: that day; after a range of days, a month or a season: the same
    interval moved by three days (it contains the day meant, whichever day of the anchor it counts from)."""
    day = _anchor_date(context)
    try:
        if day is not None and (context.span is None or _span_days(context.span) == 0):
            return _day(day + dt.timedelta(days=days))
        if context.span is None or _span_days(context.span) > SHIFTABLE_DAYS or context.span[0][0] < 1:
            return None
        lo, hi = (dt.date(*d) + dt.timedelta(days=days) for d in context.span)
    except (OverflowError, ValueError):
        return None
    if lo == hi:
        return _day(lo)
    return _Resolved(f"{lo.isoformat()}/{hi.isoformat()}", "range", True, (hi.year, hi.month, hi.day),
                     ((lo.year, lo.month, lo.day), (hi.year, hi.month, hi.day)))


def _around(year: int, unit: str, offset: int) -> tuple[int, int]:
    """The decade or century (astronomical years) ``offset`` steps after the one holding ``year``."""
    size = 10 if unit == "decade" else 100
    if year >= 1:
        lo = year // size * size + offset * size
        return max(lo, 1) if unit == "century" and lo == 0 else lo, lo + size - 1
    bc = 1 - year  # BC decades run 489–480 BC ("the 480s BC"), centuries 500–401 BC ("the 5th century BC")
    if unit == "decade":
        d = bc // 10 * 10 - offset * 10
        return 1 - (d + 9), 1 - d
    n = (bc - 1) // 100 + 1 - offset
    return -(n * 100 - 1), -((n - 1) * 100)


def _resolve_anaphor(atom: Atom, context: DateContext) -> _Resolved | None:
    from dateutil.relativedelta import relativedelta

    if context.year is None:
        return None
    unit, n = atom.unit, atom.offset
    if unit == "day" or unit == "week":
        return _shifted(context, n * (7 if unit == "week" else 1))
    if unit == "month":
        if context.month is None:
            return None
        first = dt.date(max(context.year, 1), context.month, 1) + relativedelta(months=n)
        year = first.year if context.year >= 1 else context.year + (first.year - 1)
        return _month(year, first.month, True)
    if unit == "this_month":
        return _month(context.year, context.month, True) if context.month is not None else None
    if unit == "this_year":
        return _year(context.year, True)
    if unit == "season":
        year = context.year
        if n > 0 and context.month is not None:
            starts = {c["code"]: int(c["start"][:2]) for c in words()["seasons"].values()}
            year += 1 if starts[atom.season] <= context.month else 0
        elif n > 0:
            year += 1
        elif n < 0:
            year -= 1
        return _season(year, atom.season, True)
    if unit == "named_date":  # "July 25 of that year", "May of the following year"
        year = context.year + n
        if atom.day is None:
            return _month(year, atom.month, True)
        if not valid_day(year, atom.month, atom.day):
            return None
        return _Resolved(f"{_year_str(year)}-{atom.month:02d}-{atom.day:02d}", "day", True, (year, atom.month, atom.day),
                         day_bounds(year, atom.month, atom.day))
    if unit == "named_month":  # "that April": the anchor's year; "the following April": the next April
        year = context.year
        if n > 0 and (context.month is None or atom.month <= context.month):
            year += 1
        elif n < 0 and (context.month is None or atom.month >= context.month):
            year -= 1
        return _month(year, atom.month, True)
    if unit == "day_of_month":
        if context.month is None or not valid_day(context.year, context.month, atom.day):
            return None
        return _Resolved(f"{_year_str(context.year)}-{context.month:02d}-{atom.day:02d}", "day", True,
                         (context.year, context.month, atom.day), day_bounds(context.year, context.month, atom.day))
    if unit in ("year", "decade"):
        res = _year(context.year + n * (10 if unit == "decade" else 1), True, approx=unit == "decade")
        return res if unit == "year" else replace(res, anchor=None)  # "two decades earlier" is no story date
    if unit in ("decade_of", "century_of"):  # "the following decade", "the previous century"
        span_unit = unit.split("_")[0]
        lo, hi = _around(context.year, span_unit, n)
        return _span(lo, hi, span_unit, True)
    return None


def _resolve_deictic(atom: Atom, context: DateContext) -> _Resolved | None:
    from dateutil.relativedelta import relativedelta

    if atom.unit == "weekday" and atom.offset == -2 and context.year is not None and not context.from_reference:
        return _narrative_weekday(atom, context)
    ref = context.reference
    if ref is None:
        return None
    unit, n = atom.unit, atom.offset
    try:
        if unit == "day":
            return _day(ref + dt.timedelta(days=n), inferred=False)
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
            return _day(day, inferred=False)
        if unit == "week":
            monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=n)
            sunday = monday + dt.timedelta(days=6)
            return _Resolved(f"{monday.isoformat()}/{sunday.isoformat()}", "week", False, None,
                             ((monday.year, monday.month, monday.day), (sunday.year, sunday.month, sunday.day)))
        if unit == "month":
            first = ref.replace(day=1) + relativedelta(months=n)
            return _month(first.year, first.month, False)
        if unit == "year":
            return _year(ref.year + n, False)
        if unit == "decade":
            decade = ref.year // 10 + n
            return _Resolved(f"{decade:03d}X", "decade", False, None, year_bounds(decade * 10, decade * 10 + 9))
        if unit == "century":
            century = ref.year // 100 + n
            return _Resolved(f"{century:02d}XX", "century", False, None, year_bounds(century * 100, century * 100 + 99))
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
    return _day(anchor + dt.timedelta(days=(atom.weekday - anchor.weekday()) % 7 or 7))


# --- rows --------------------------------------------------------------------------------------------

def _row(text: str, atom: Atom, res: _Resolved) -> dict:
    earliest, latest = res.bounds
    return {"start": atom.start, "end": atom.end, "text": text[atom.start:atom.end], "edtf": res.edtf,
            "earliest": iso(earliest), "latest": iso(latest), "precision": res.precision, "inferred": bool(res.inferred)}


def _iso_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value and not pd.isna(value) else None
    except ValueError:
        return None


def _frame(rows: list[dict], schema: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(schema)).astype(schema)
