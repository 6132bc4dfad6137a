"""Narrative anchoring: the year of a month, day or season the text gives without one.

A history column tells a story. A partial date ("in January", "on 6 September", "the summer")
belongs to the year of the story around it:

* it is placed nearest the date the story last reached (the anchor), forward rather than
  back: "December 1941 … in January" is January 1942, "May 1945 … in January" stays 1945;
* a cue decides when there is one: "by", "until", "then" move forward; "since", "earlier in",
  or a past perfect in the clause ("In January, Hitler had hoped") look back;
* the next date the text names bounds the story: a partial date is not placed after it
  ("… by May 3. … by March … On August 15, 1945": March 1945, not 1946), and is preferred
  between the anchor and it;
* a passing mention of another time is not the anchor: a year, season or month inside a
  sentence that lies far outside the dates around it — farther from them than twice their own
  spread — is an aside ("declassified in 2005", "as Napoleon had in 1812" in a 1920 story); one
  that opens its sentence ("In 1812, Napoleon …") sets a new scene, and a day ("at Hattin on
  July 4, 1187") is an event the story tells: both anchor.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .date_bounds import Bounds, Day
from .date_patterns import words

ASIDE_FACTOR = 2  # an aside lies farther outside the dates around it than twice their spread
TOPIC_WORDS = 4  # at most this many scene words before a date that opens its sentence ("By the end of 1812")
# A sentence ends at ".", "!" or "?" before a capital (not after one capital: "U.S. military"), or a line end.
_SENTENCE_START = re.compile(r"(?:(?<![A-Z])[.!?]['’\")\]]?\s{1,3}(?=[A-Z\"“‘'(])|\n)")


def day_number(day: Day) -> int:
    """A monotonic day count (31-day months): good for ordering and rough distances, BC included."""
    year, month, d = day
    return year * 372 + (month - 1) * 31 + (d - 1)


def distance(a: Bounds, b: Bounds) -> int:
    """Days from interval ``b`` to interval ``a``: 0 when they overlap, > 0 when ``a`` is later."""
    a0, a1, b0, b1 = day_number(a[0]), day_number(a[1]), day_number(b[0]), day_number(b[1])
    if a0 > b1:
        return a0 - b1
    if a1 < b0:
        return a1 - b0
    return 0


def _overlap_days(a: Bounds, b: Bounds) -> int:
    return max(0, min(day_number(a[1]), day_number(b[1])) - max(day_number(a[0]), day_number(b[0])) + 1)


@dataclass(frozen=True)
class Mark:
    """A date the text names in full (its own year): where the story is, or an aside from it."""

    index: int  # the atom's position in the text's list of atoms
    start: int
    bounds: Bounds

    @property
    def day(self) -> bool:
        """It names a single day: an event the story tells ("at Hattin on July 4, 1187"), never an aside."""
        return self.bounds[0] == self.bounds[1]


def topic_position(text: str, start: int) -> bool:
    """True when a date opens its sentence ("In 1812, Napoleon …", "By the end of 1812 …"): it sets
    the scene, it is no aside. Only the scene words of the data file may come before it."""
    window = text[max(0, start - 200):start]
    starts = [m.end() for m in _SENTENCE_START.finditer(window)]
    sentence = window[starts[-1]:] if starts else (window if start <= 200 else None)
    if sentence is None:
        return False
    lead = sentence.lower().replace(",", " ").split()
    return len(lead) <= TOPIC_WORDS and all(w in _scene_words() for w in lead)


@lru_cache(maxsize=1)
def _scene_words() -> frozenset[str]:
    return frozenset(words()["scene_words"]["before"])


def asides(text: str, marks: list[Mark]) -> set[int]:
    """Atom indices of dates that are passing mentions: no single day, inside a sentence (not opening
    it: "In 1812, Napoleon …" sets a scene), and farther outside the dates before and after them
    than twice the time between those."""
    out: set[int] = set()
    previous: Mark | None = None
    for k, mark in enumerate(marks):
        following = marks[k + 1] if k + 1 < len(marks) else None
        if previous and following and not mark.day:
            lo = min(day_number(previous.bounds[0]), day_number(following.bounds[0]))
            hi = max(day_number(previous.bounds[1]), day_number(following.bounds[1]))
            gap = max(day_number(mark.bounds[0]) - hi, lo - day_number(mark.bounds[1]), 0)
            if gap > ASIDE_FACTOR * (hi - lo) and not topic_position(text, mark.start):
                out.add(mark.index)
                continue
        previous = mark
    return out


def next_dates(marks: list[Mark], n_atoms: int, skip: set[int]) -> list[Mark | None]:
    """For every atom, the next full date after it (asides skipped), or None."""
    out: list[Mark | None] = [None] * n_atoms
    following: Mark | None = None
    by_index = {m.index: m for m in marks}
    for i in range(n_atoms - 1, -1, -1):
        out[i] = following
        if i in by_index and i not in skip:
            following = by_index[i]
    return out


def same_sentence(text: str, end: int, start: int) -> bool:
    """True when nothing but one sentence's words lie between ``end`` and ``start``."""
    return 0 <= start - end <= 200 and not _SENTENCE_START.search(text, end, start)


FLASHBACK_DAYS = 90  # stepping back more than a season without a cue, while the text heads into the next year, is unlikely
FORWARD, NO_CUE, NO_ROLL, BACK = 1, 0, -1, -2  # cues: "by May"; none; "had … in May"; "since May"


def place(candidate: Callable[[int], Bounds | None], year: int, anchor: Bounds | None, cue: int,
          following: Bounds | None, *, first_month: bool = False, confirm: Bounds | None = None) -> int | None:
    """The year for a partial date whose bounds in year ``y`` are ``candidate(y)``.

    ``year`` is the anchor's year and ``anchor`` its bounds when it names a month or finer (None
    for a year alone: then the date stays in that year, except that a forward cue to January —
    ``first_month`` — reaches the next one: "1870 … by early January" is 1871). ``following``
    is the next full date in the text, if any; ``confirm`` the same when it comes later in the
    same sentence: a year in which the partial date holds it wins ("the summer offensive … in June
    1942" is the summer of 1942).
    """
    if confirm is not None:
        held = [y for y in (year - 1, year, year + 1) if (b := candidate(y)) is not None and distance(b, confirm) == 0]
        if held:
            return held[0]
    if anchor is None:
        if cue == FORWARD and first_month:
            year += 1
        elif (now := candidate(year)) and (before := candidate(year - 1)) and now[1][0] > year:
            # a winter in a year's story: the one with more of its days in that year (Dec–Feb spans two)
            whole = ((year, 1, 1), (year, 12, 31))
            if _overlap_days(before, whole) > _overlap_days(now, whole):
                year -= 1
        return year if candidate(year) is not None else None
    options = {y: b for y in (year - 1, year, year + 1) if (b := candidate(y)) is not None}
    if not options:
        return None
    rel = {y: distance(b, anchor) for y, b in options.items()}
    if cue == BACK:
        back = [y for y in options if rel[y] <= 0]
        return max(back) if back else min(options)
    forward = sorted(y for y in options if rel[y] >= 0)
    overlap = [y for y in forward if rel[y] == 0]
    if overlap:
        return overlap[0]  # the winter around a January anchor; a range that holds the anchor
    if year not in options:
        return forward[0] if forward else max(options)
    choice = year
    if cue == FORWARD and forward:
        choice = forward[0]
    elif cue != NO_ROLL and rel[year] < 0 and year + 1 in options and rel[year + 1] < -rel[year]:
        choice = year + 1  # nearer going forward: "December 1941 … in January" is 1942
    if following is None:
        return choice
    end = day_number(following[1])
    if end < day_number(anchor[0]):
        return choice  # the text turns back to an earlier time: no help in placing this date
    if choice > year and day_number(options[choice][0]) > end:
        choice = year  # not rolled past the next date named: "May 3 … by March … August 15, 1945"
    elif choice == year and rel[year] < -FLASHBACK_DAYS and cue != NO_ROLL and year + 1 in options \
            and following[0][0] == year + 1 and day_number(options[year + 1][0]) <= end:
        choice = year + 1  # toward the next date named, not a season back: "October 1955 … In May … 1956"
    return choice
