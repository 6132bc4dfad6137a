"""Day bounds of the dates the resolver builds: the first and last day a year, month, season or span names.

Computed from the parts the resolver already holds (proleptic Gregorian calendar, astronomical
years: 1 BC is year 0, a leap year), so the hot path never re-parses the EDTF it writes. Seasons
come from ``data/date_words.toml``; an approximate year ("c. 1850", EDTF ``1850~``) widens by a
year on each side, as the ``edtf`` package reads it. The tests check these bounds against ``edtf``.
"""
from __future__ import annotations

from functools import lru_cache

from .date_patterns import words

Day = tuple[int, int, int]  # (astronomical year, month, day): sorts in time order, unlike BC ISO text
Bounds = tuple[Day, Day]


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def last_day(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29  # proleptic Gregorian leap years; astronomical year 0 (1 BC) is one
    return _MONTH_DAYS[month - 1]


def valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= last_day(year, month)


def year_bounds(lo: int, hi: int | None = None) -> Bounds:
    """1 January of ``lo`` to 31 December of ``hi`` (default ``lo``)."""
    return (lo, 1, 1), (lo if hi is None else hi, 12, 31)


def month_bounds(year: int, first: int, last: int | None = None) -> Bounds:
    last = first if last is None else last
    return (year, first, 1), (year, last, last_day(year, last))


def day_bounds(year: int, month: int, first: int, last: int | None = None) -> Bounds:
    return (year, month, first), (year, month, min(first if last is None else last, last_day(year, month)))


@lru_cache(maxsize=None)
def _season(code: int) -> dict:
    return next(s for s in words()["seasons"].values() if s["code"] == code)


def season_bounds(year: int, code: int) -> Bounds:
    """The season's days in the data file (winter YYYY runs into February YYYY+1, 29th in leap years)."""
    season = _season(code)
    start_month, start_day = (int(x) for x in season["start"].split("-"))
    end_month, end_day = (int(x) for x in season["end"].split("-"))
    end_year = year + season["end_year_offset"]
    if (end_month, end_day) == (2, 28):
        end_day = last_day(end_year, 2)
    return (year, start_month, start_day), (end_year, end_month, end_day)


def approximate(bounds: Bounds) -> Bounds:
    """``~``: a year either side."""
    (y1, m1, d1), (y2, m2, d2) = bounds
    return (y1 - 1, m1, d1), (y2 + 1, m2, d2)


def iso(day: Day) -> str:
    """ISO text of a day; BC years signed and five characters wide (``-0043-03-15``)."""
    year, month, d = day
    return f"{year:05d}-{month:02d}-{d:02d}" if year < 0 else f"{year:04d}-{month:02d}-{d:02d}"
