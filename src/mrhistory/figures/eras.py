"""The eras a corpus's date mentions fall into, so that date figures get one axis (a facet) per era
instead of one linear axis from 500 BC to 2011 with nothing in between.

A mention is *fine* when every day it can mean lies within about a year (a day, month, season or
year): it is counted in the year it starts. Any other mention (a decade, century, range, "about
1910") is *coarse*: it is drawn as the span of years it covers, never spread into bars. Eras are
runs of mentioned years with no gap longer than :data:`GAP_YEARS`; a coarse span that overlaps an
era is drawn inside it (cut at its ends: "the 21st century" does not stretch an axis that ends in
2011), one that overlaps none joins the era beside it, or makes its own. Years are astronomical (0 = 1 BC).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: A stretch of this many years with no mention splits the axis.
GAP_YEARS = 100
#: At most this many facets; beyond that the closest eras are merged.
MAX_ERAS = 5
#: A mention covering at most this many days counts as one year (a winter runs into the next year).
FINE_DAYS = 366


def year_label(year: float, _pos=None) -> str:
    """An astronomical year as a historian writes it: 1941, 1 BC (year 0), 44 BC (year -43)."""
    y = int(round(year))
    return f"{1 - y} BC" if y <= 0 else str(y)


def year_ticks(lo: float, hi: float, *, nbins: int = 8) -> list[int]:
    """Years between ``lo`` and ``hi`` to tick, at round numbers as written: 500 BC, 450 BC (not 501 BC)."""
    span = max(hi - lo, 1)
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000) if span / s <= nbins), 10000)
    return [y for y in range(math.ceil(lo), math.floor(hi) + 1) if (y if y > 0 else 1 - y) % step == 0]


def decade_of(year: int) -> int:
    """The decade a year belongs to, as its first astronomical year: 1944 → 1940; 484 BC (-483) is in
    "the 480s BC" (489–480 BC), which starts at 489 BC (-488)."""
    if year > 0:
        return year // 10 * 10
    bc = 1 - year
    return 1 - (bc // 10 * 10 + 9)


def decade_label(start: int) -> str:
    """"1940s", "480s BC", "AD 1–9", "1–9 BC" for a decade as :func:`decade_of` gives it."""
    if start > 0:
        return f"{start}s"
    if start == 0:
        return "AD 1–9"
    decade = (1 - start) - 9
    return f"{decade}s BC" if decade else "1–9 BC"


def span_label(start: int, end: int) -> str:
    """"512–379 BC", "44 BC–AD 14", "1812–2011", "1483"."""
    if start == end:
        return year_label(start)
    if end <= 0:
        return f"{1 - start}–{1 - end} BC"
    if start <= 0:
        return f"{1 - start} BC–AD {end}"
    return f"{start}–{end}"


def _days(iso: pd.Series) -> np.ndarray:
    """ISO days (BC years allowed, "-0043-03-15") as a day count, good enough to measure lengths."""
    s = iso.astype(str)
    years = s.str[:-6].astype(int).to_numpy()
    months = s.str[-5:-3].astype(int).to_numpy()
    days = s.str[-2:].astype(int).to_numpy()
    return years * 372 + (months - 1) * 31 + days


def mention_years(dates: pd.DataFrame) -> pd.DataFrame:
    """One row per mention: column_id, first and last year it can mean (``lo``, ``hi``) and ``fine``."""
    if dates is None or dates.empty:
        return pd.DataFrame({"column_id": pd.Series(dtype="string"), "lo": pd.Series(dtype="int64"),
                             "hi": pd.Series(dtype="int64"), "fine": pd.Series(dtype="bool")})
    lo = dates["earliest"].astype(str).str[:-6].astype(int).to_numpy()
    hi = dates["latest"].astype(str).str[:-6].astype(int).to_numpy()
    length = _days(dates["latest"]) - _days(dates["earliest"])
    fine = (hi == lo) | (length < FINE_DAYS)
    return pd.DataFrame({"column_id": dates["column_id"].astype("string").to_numpy(), "lo": lo.astype("int64"),
                         "hi": np.where(fine, lo, hi).astype("int64"), "fine": fine})


@dataclass(frozen=True)
class Era:
    """A stretch of years the date figures give an axis of its own; ``start`` and ``end`` inclusive."""

    start: int
    end: int

    @property
    def years(self) -> int:
        return self.end - self.start + 1

    @property
    def label(self) -> str:
        return span_label(self.start, self.end)

    def shown(self, width: int = 1) -> tuple[float, float]:
        """The x range drawn for this era: its years with a small margin (year ``y`` is drawn centred
        on ``y``, from ``y - 0.5`` to ``y + 0.5``), widened to whole bars of ``width`` years."""
        start, end = self.start // width * width, self.end // width * width + width - 1
        margin = max(1.0, 0.03 * (end - start + 1))
        return start - 0.5 - margin, end + 0.5 + margin

    def clip(self, lo: float, hi: float, width: int = 1) -> tuple[float, float, bool, bool]:
        """``(lo, hi)`` clipped to what is shown, and whether each end was cut."""
        a, b = self.shown(width)
        return max(lo, a), min(hi, b), lo < a, hi > b


def _runs(points: list[int], gap: int) -> list[list[int]]:
    runs: list[list[int]] = []
    for p in sorted(set(points)):
        if runs and p - runs[-1][-1] <= gap:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def eras(dates: pd.DataFrame, *, gap: int = GAP_YEARS, max_eras: int = MAX_ERAS) -> list[Era]:
    """The eras of a dates table, oldest first (empty without dates)."""
    years = mention_years(dates)
    if years.empty:
        return []
    fine = years.loc[years["fine"], "lo"].tolist()
    runs = _runs(fine, gap)
    coarse = years.loc[~years["fine"]]
    extra = []
    for lo, hi in zip(coarse["lo"], coarse["hi"]):
        if not any(lo <= r[-1] and hi >= r[0] for r in runs):  # a span beside every era, or far from all:
            extra += [int(lo), int(hi)]                        # it joins the nearest or makes its own
    if extra:
        runs = _runs(fine + extra, gap)
    out = [Era(int(r[0]), int(r[-1])) for r in runs]
    while len(out) > max_eras:
        i = min(range(len(out) - 1), key=lambda k: (out[k + 1].start - out[k].end, k))
        out[i:i + 2] = [Era(out[i].start, out[i + 1].end)]
    return out


def era_of(eras_: list[Era], year: float) -> int | None:
    """The index of the era whose shown range holds ``year``; None when it lies between eras."""
    for i, era in enumerate(eras_):
        a, b = era.shown()
        if a <= year <= b:
            return i
    return None


def bin_width(eras_: list[Era]) -> int:
    """One bar per year when the longest era is at most 200 years, per decade up to 2000, else per century."""
    longest = max((e.years for e in eras_), default=1)
    return 1 if longest <= 200 else 10 if longest <= 2000 else 100
