"""The date grammar: regular expressions that find date expressions in prose and say what they name.

Finders return :class:`Atom` objects (a span and its parts: year, month, decade, anaphor …),
not EDTF yet; :mod:`mrhistory.dates` resolves context years, anaphora and reference dates and
normalises. Word lists (months, seasons, guards against numbers that are not years) live in
``data/date_words.toml``.

Every pattern runs in linear time: each starts with the distinctive token of its expression (a
month name, a digit, "century" …) so the regex engine skips quickly to candidates, what comes
before a candidate is read from a bounded window of text, lookarounds are bounded, and no
quantifiers are nested over the same characters.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .packaged import data_toml

BARE_YEAR_MIN, BARE_YEAR_MAX = 1000, 2099
WINDOW = 40  # characters before a candidate read to decide what leads it ("by early", "from", "the")


@lru_cache(maxsize=1)
def words() -> dict:
    return data_toml("date_words.toml")


@lru_cache(maxsize=None)
def word_set(section: str, key: str) -> frozenset[str]:
    """A word list of the data file as a set, for quick membership tests."""
    return frozenset(words()[section][key])


@dataclass(slots=True)  # not frozen: a frozen dataclass is six times slower to build, and texts make thousands
class Atom:
    """One date expression found in text, before resolution (never changed: ``replace`` makes copies).

    ``kind`` is "point" (a day, month, season or year, possibly without its year), "span"
    (a decade, century or millennium: ``lo``/``hi`` astronomical years), "range"
    (``left``/``right``), "anaphor" (``unit``/``offset`` from the last date mentioned),
    "deictic" (from the time of writing) or "time" (a clock time: the day of the last date).
    Years are astronomical: 44 BC is -43.
    """

    start: int
    end: int
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: int | None = None
    part: str | None = None
    approx: bool = False
    two_digit: bool = False  # "'44", "the '30s", "the Thirties": century from context
    cue: int = 0  # for a partial date: +1 "by January", -1 "had … in May", -2 "since May" (see :func:`cue`)
    lo: int | None = None
    hi: int | None = None
    precision: str = ""
    unit: str | None = None
    offset: int = 0
    weekday: int | None = None
    left: "Atom | None" = None
    right: "Atom | None" = None
    listed: bool = False  # a bare month that is a date only because it is listed with another ("May and June")

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def explicit_year(self) -> bool:
        """The expression names its own full year (not "'44", not a month or an anaphor)."""
        return self.kind == "point" and self.year is not None and not self.two_digit


# --- building blocks -------------------------------------------------------------------------

def _alt(names) -> str:
    """A regex alternation of ``names``, longest first so "Sept" wins over "Sep"."""
    return _alt_of(tuple(names))


@lru_cache(maxsize=None)
def _alt_of(names: tuple) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))


@lru_cache(maxsize=None)
def _rx(pattern: str, flags: int = 0) -> re.Pattern:
    return re.compile(pattern, flags)


@lru_cache(maxsize=None)
def _month_re(tag: str = "") -> str:
    """A month name, full or abbreviated (an abbreviation may take a full stop): one flat
    alternation of literals, so a pattern that starts with it is scanned quickly."""
    months = words()["months"]
    full = [m for m in months if len(m) > 4 or m in ("May", "June", "July")]
    abbr = [m for m in months if m not in full]
    names = sorted(full + abbr, key=lambda n: (-len(n), n))
    alts = "|".join(re.escape(n) + ("" if n in full else r"\.?") for n in names)
    return rf"(?P<mon{tag}>{alts})(?![A-Za-z])"


def _month_number(name: str) -> int:
    return words()["months"][name.rstrip(".")]


def _is_abbreviation(name: str) -> bool:
    return name.rstrip(".") not in ("May", "June", "July") and len(name.rstrip(".")) <= 4


# A day of the month: one or two digits (checked 1–31 in code), an optional ordinal suffix, and not
# the start of a longer number ("1,000", "3.5").
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?![\d\w]|[.,]\d)"
_BC = r"B\.\s?C\.(?:\s?E\.)?|BCE|BC"
_AD = r"A\.\s?D\.|AD|C\.\s?E\.|CE"


@lru_cache(maxsize=None)
def _year_re(tag: str = "", *, digits: str = "4") -> str:
    """A year: "AD 79", "44 BC", a bare year of ``digits`` digits, or "'44"."""
    return (
        rf"(?:(?P<preera{tag}>A\.\s?D\.|AD)\s?(?P<ya{tag}>\d{{1,4}})(?![\d\w])"
        rf"|(?P<yb{tag}>\d{{1,4}})\s?(?P<era{tag}>{_BC}|{_AD})(?![A-Za-z])"
        rf"|(?<![\w$£€#,/])(?<!\d\.)(?P<yc{tag}>\d{{{digits}}})(?![\w]|[.,]\d)"
        rf"|(?<![\w])['’](?P<yd{tag}>\d\d)(?![\w'’]))"
    )


@dataclass(slots=True)
class _Year:
    value: int
    two_digit: bool
    bare: bool
    start: int
    end: int


def _year_of(m: re.Match, tag: str = "") -> _Year | None:
    """The astronomical year a :func:`_year_re` group names, or None when it is no year."""
    g = m.groupdict()
    if g.get(f"ya{tag}"):
        return _Year(int(g[f"ya{tag}"]), False, False, *m.span(f"ya{tag}"))
    if g.get(f"yb{tag}"):
        y, era = int(g[f"yb{tag}"]), g[f"era{tag}"]
        if y == 0:
            return None
        return _Year(1 - y if era.startswith("B") else y, False, False, *m.span(f"yb{tag}"))
    if g.get(f"yc{tag}"):
        y = int(g[f"yc{tag}"])
        if len(g[f"yc{tag}"]) == 4 and not BARE_YEAR_MIN <= y <= BARE_YEAR_MAX:
            return None
        if y < 100:
            return None
        return _Year(y, False, True, *m.span(f"yc{tag}"))
    if g.get(f"yd{tag}"):
        return _Year(int(g[f"yd{tag}"]), True, False, *m.span(f"yd{tag}"))
    return None


def _full_year(text: str, m: re.Match, tag: str = "") -> _Year | None:
    """The year of a date expression; inside a date only a count or unit after it disqualifies it."""
    y = _year_of(m, tag)
    if y is None or (y.bare and _count_or_unit_after(text, y.end)):
        return None
    return y


def _word_char_before(text: str, i: int, extra: str = "") -> bool:
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_" or text[i - 1] in extra)


def _has_any(text: str, *needles: str) -> bool:
    """A quick test (no regex) that a finder has anything to look for in ``text``."""
    return any(n in text for n in needles)


_ERA_HINTS = ("BC", "AD", "B.C", "A.D", "B. C", "A. D", "CE", "C.E", "C. E")


def _before(text: str, start: int, width: int = WINDOW) -> str:
    return text[max(0, start - width):start]


def _lead(pattern: re.Pattern, text: str, start: int, width: int = WINDOW) -> re.Match | None:
    """``pattern`` (which ends in ``$``) matched against the text just before ``start``; the match
    offsets are relative to ``start - width``."""
    return pattern.search(text, max(0, start - width), start)


def _lead_start(m: re.Match | None, default: int) -> int:
    return m.start() if m else default


# --- guards: numbers that are not years --------------------------------------------------------

_WORD_BEFORE = re.compile(r"([^\s]+)\s{0,3}$")
_WORD_AFTER = re.compile(r"\s{0,3}([A-Za-z%°]+\.?|[%°])")
_HYPHEN_AFTER = re.compile(r"[-‐–]([A-Za-z]+)")
_HYPHEN_BEFORE = re.compile(r"([A-Za-z]+)[-‐]$")
_NUMBER_BEFORE = re.compile(r"(?<!\d)(?:\d{1,3}|\d{5,})[-‐]$")
_RATIO_BEFORE = re.compile(r"(?:\b\d{1,2}|\b(?i:one|a|an|two|three|four|five|ten))\s{1,3}in\s{0,3}$")


def _count_or_unit_after(text: str, end: int) -> bool:
    hyphen = _HYPHEN_AFTER.match(text, end, end + 20)
    if hyphen and hyphen.group(1).lower() in word_set("not_year", "hyphen_after"):
        return True
    after = _WORD_AFTER.match(text, end, end + 20)
    if not after:
        return False
    units, word = word_set("not_year", "after"), after.group(1).lower()
    return word in units or word.rstrip(".") in units


_NUMBER_RANGE_AFTER = re.compile(r"\s{0,3}(?:to|through|[–—-])\s{0,3}[\d,]{0,12}\d")


def bare_year_ok(text: str, start: int, end: int) -> bool:
    """False when a standalone four-digit number is a count, unit, page or designation, not a year.

    The checks before the number run only when the character they need is there (a hyphen, "in"),
    since every year in a text passes through here."""
    if _count_or_unit_after(text, end):
        return False
    second = _NUMBER_RANGE_AFTER.match(text, end, end + 30)
    if second and _count_or_unit_after(text, second.end()):
        return False  # "from 1200 to 1500 meters"
    before = _before(text, start, 25)
    if before[-1:] in ("-", "‐"):
        hyphen = _HYPHEN_BEFORE.search(before)
        if hyphen and (len(hyphen.group(1)) <= 2 or not hyphen.group(1).islower()):
            return False  # B-1941, Ki-1941: designations
        if _NUMBER_BEFORE.search(before):
            return False  # 555-1941: a phone or serial number
    words_before = before.split()
    if words_before and words_before[-1].lower() in word_set("not_year", "before"):
        return False
    if len(words_before) >= 2 and words_before[-1] == "in" and _RATIO_BEFORE.search(before):
        return False  # "one in 1000"
    return True


# --- cues: does the story move forward or look back to a partial date? ----------------------------

# A partial date the narrative reaches going forward: "by January", "until 3 March", "then in May",
# "later, in February". A bare "in"/"on" is no cue: "In January he had …" may look back.
_FORWARD_CUE = re.compile(r"(?:\b(?:by|until|till)\s{1,3}|\b(?:then|later|afterwards?|subsequently),?\s{1,3}(?:(?:in|on|by)\s{1,3})?)"
                          r"(?:the\s{1,3})?(?:(?:early|mid|late)[\s-]{1,3})?$", re.I)
# Looking back: "since May", "earlier in May", "back in May", or a past perfect in the same clause
# ("In January, Hitler had still hoped …").
_BACKWARD_CUE = re.compile(r"\b(?:since|earlier\s{1,3}in|back\s{1,3}in|previously\s{1,3}in|as\s{1,3}early\s{1,3}as)\s{1,3}"
                           r"(?:the\s{1,3})?(?:(?:early|mid|late)[\s-]{1,3})?$", re.I)
_PAST_PERFECT = re.compile(r"\bhad\s{1,3}(?:(?:not|never|already|still|just|long|also|earlier|previously|once|first)\s{1,3})?"
                           r"(?:been|[a-z]{2,}(?:ed|en|wn|ne|un|ught|pt|lt|nt|ft|st|ck))\b")
_CLAUSE_END = re.compile(r"[.;!?\n]")


def forward_cue(text: str, start: int) -> bool:
    """True when the words just before ``start`` say the story moves forward to this date."""
    return bool(_lead(_FORWARD_CUE, text, start))


def cue(text: str, start: int, end: int) -> int:
    """+1 after a forward cue ("by", "until"), -2 after a backward one ("since", "earlier in"), -1 with a
    past perfect in the clause ("In January, Hitler had hoped": not rolled into the next year), else 0."""
    if forward_cue(text, start):
        return 1
    if _lead(_BACKWARD_CUE, text, start):
        return -2
    before = [m.end() for m in _CLAUSE_END.finditer(text, max(0, start - 80), start)]
    after = _CLAUSE_END.search(text, end, end + 80)
    clause_start = before[-1] if before else max(0, start - 80)
    clause_end = after.start() if after else min(len(text), end + 80)
    return -1 if _PAST_PERFECT.search(text, clause_start, clause_end) else 0


# --- finders: months and days --------------------------------------------------------------------

_MONTH_PREPS = r"(?:in|on|by|until|till|since|during|through|throughout|before|after|from|of|around|between|into|toward|towards)"
_PART_WORDS = r"(?P<part>[Ee]arly|[Mm]id|[Ll]ate)[\s-]{1,3}"


_PREP_BEFORE = re.compile(rf"\b{_MONTH_PREPS}\s{{1,3}}(?:the\s{{1,3}})?(?:(?:early|mid|late)[\s-]{{1,3}})?$", re.I)
_PART_BEFORE = re.compile(rf"(?<![\w]){_PART_WORDS}$")


@lru_cache(maxsize=None)
def _weekday_before() -> re.Pattern:
    return re.compile(rf"(?<![\w])(?:{_alt(words()['weekdays'])}),?\s{{1,3}}$")


@lru_cache(maxsize=None)
def _listed_month_before() -> re.Pattern:
    """A month name and a list or range connector just before: "May and [June]", "April–[June]"."""
    return re.compile(rf"{_month_re('x')}\s{{0,2}}(?:,|and|or|&|to|through|–|—|-)\s{{0,3}}(?:(?:early|mid|late)[\s-]{{1,3}})?$")


@lru_cache(maxsize=None)
def _listed_month_after() -> re.Pattern:
    return re.compile(rf"\s{{0,2}}(?:,|and|or|&|to|through|–|—|-)\s{{0,3}}(?:(?:early|mid|late)[\s-]{{1,3}})?{_month_re('x')}")


_DAY_LIST = re.compile(r"(?:\s?,\s?|,?\s{1,3}(?:and|or|&)\s{1,3})(?P<d>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?)"
                       r"(?![\d\w]|[.,]\d|\s?(?:B\.?C|A\.?D|C\.?E)\b)")


def _part_before(text: str, start: int) -> tuple[str | None, int]:
    """The part ("early", "mid", "late") a word before ``start`` names, and where it starts."""
    m = _lead(_PART_BEFORE, text, start, 12)
    if m:
        return m["part"].lower(), m.start()
    return None, start


def _valid_day_number(raw: str) -> int | None:
    day = int(re.match(r"\d+", raw).group())
    return day if 1 <= day <= 31 else None


@lru_cache(maxsize=None)
def _month_head_re() -> re.Pattern:
    return re.compile(
        _month_re("")
        + rf"(?:\s{{1,3}}(?P<d1>{_DAY})(?:\s?(?:[–—-]|to)\s?(?P<d2>{_DAY})|(?P<more>(?:{_DAY_LIST.pattern}){{1,6}}))?)?"
        + r"(?:(?:,\s{0,3}|\s{1,3})(?:of\s{1,3})?" + _year_re("", digits="3,4") + ")?")


def _months(text):
    """Everything that starts with a month name: "December 11, 1941", "December 1941", "December 11",
    "May 3 and 5, 1863", "April 13–15, 1941", "by early December", "April–June 1944"."""
    for m in _month_head_re().finditer(text):
        if _word_char_before(text, m.start()):
            continue
        month = _month_number(m["mon"])
        y = _full_year(text, m) if m["d1"] else _month_year_of(text, m)
        day1 = _valid_day_number(m["d1"]) if m["d1"] else None
        if m["d1"] and day1 is None:
            continue
        if day1 is not None:
            yield from _month_days(text, m, month, day1, y)
            continue
        start = m.start()
        part, part_start = _part_before(text, start)
        if y is not None:
            yield _point((part_start, m.end()), y, month=month, part=part)
            continue
        yield from _month_alone(text, m, month, part, part_start)


def _month_year_of(text: str, m: re.Match) -> _Year | None:
    """The year after a month with no day: four digits (or an era, "'44"), not three."""
    y = _full_year(text, m)
    if y is not None and y.bare and y.end - y.start != 4:
        return None
    return y


_OF_THAT_YEAR = re.compile(r",?\s{1,3}of\s{1,3}(?:(?P<that>that|the\s{1,3}same)|the\s{1,3}(?P<dir>following|next|previous|preceding|prior))"
                           r"\s{1,3}year\b", re.I)


def _of_that_year(text: str, start: int, end: int, month: int, day: int | None) -> Atom | None:
    """ "July 25 of that year", "November of the same year", "May of the following year": the month (and
    day) in the year last mentioned, or the one after or before it."""
    m = _OF_THAT_YEAR.match(text, end)
    if m is None:
        return None
    offset = 0 if m["that"] else (1 if m["dir"].lower() in ("following", "next") else -1)
    return Atom(start, m.end(), kind="anaphor", unit="named_date", month=month, day=day, offset=offset)


def _month_days(text: str, m: re.Match, month: int, day1: int, y: _Year | None):
    start = m.start()
    weekday = _lead(_weekday_before(), text, start, 14)
    start = weekday.start() if weekday else start
    days_end = m.end("d2") if m["d2"] else m.end("more") if m["more"] else m.end("d1")
    end = m.end() if y is not None else days_end
    if m["d2"]:
        day2 = _valid_day_number(m["d2"])
        if day2 is None or day2 <= day1:
            return
        left = _point((start, m.end("d1")), y, month=month, day=day1)
        right = _point((m.start("d2"), end), y, month=month, day=day2)
        yield Atom(start, end, kind="range", left=left, right=right)
        return
    if m["more"]:
        days = [(start, m.end("d1"), day1)] + [(d.start("d"), d.end("d"), _valid_day_number(d["d"]))
                                               for d in _DAY_LIST.finditer(text, m.start("more"), m.end("more"))]
        if any(d is None for *_, d in days):
            return
        for i, (s, e, d) in enumerate(days):
            last = i == len(days) - 1
            yield _point((s, end if last else e), y, month=month, day=d, cue=0 if y else cue(text, s, e))
        return
    if y is None and (of_year := _of_that_year(text, start, end, month, day1)):
        yield of_year
    yield _point((start, end), y, month=month, day=day1, cue=0 if y else cue(text, start, end))


def _event_noun_after(text: str, end: int) -> bool:
    """ "the March offensive", "a spring campaign": a month or season naming when an event happened."""
    after = _WORD_AFTER.match(text, end, end + 20)
    return bool(after) and after.group(1) in word_set("time_events", "after")


def _month_alone(text: str, m: re.Match, month: int, part: str | None, part_start: int):
    """A month with no day or year, when a preposition, a part ("early"), or a listed month makes it a date."""
    start, end = m.start(), m.end("mon")
    if of_year := _of_that_year(text, part_start if part else start, end, month, None):
        yield of_year
    listed = False
    if not (part or _lead(_PREP_BEFORE, text, start) or _event_noun_after(text, end)):
        listed = bool(_lead(_listed_month_before(), text, start, 30) or _listed_month_after().match(text, end, end + 30))
        if not listed:
            return
    if _is_abbreviation(m["mon"]) and not m["mon"].endswith("."):
        return  # "Jan Smuts", "Mar" on its own: only a full name or "Jan." is a month without day or year
    start = part_start if part else start
    yield Atom(start, end, kind="point", month=month, part=part, cue=cue(text, start, end), listed=listed)


@lru_cache(maxsize=None)
def _day_head_re() -> re.Pattern:
    return re.compile(
        rf"(?P<d1>{_DAY})(?:\s?(?:[–—-]|to)\s?(?P<d2>{_DAY})|(?P<more>(?:{_DAY_LIST.pattern}){{1,6}}))?"
        + r"\s{1,3}(?:of\s{1,3})?" + _month_re("")
        + r"(?:,?\s{1,3}(?:of\s{1,3})?" + _year_re("", digits="3,4") + ")?")


def _days(text):
    """A day before its month: "11 December 1941", "the 11th of December", "13–15 April", "3 and 4 May 1904"."""
    for m in _day_head_re().finditer(text):
        if _word_char_before(text, m.start(), ".,:/"):
            continue
        day1 = _valid_day_number(m["d1"])
        if day1 is None:
            continue
        month = _month_number(m["mon"])
        y = _full_year(text, m)
        start = m.start()
        weekday = _lead(_weekday_before(), text, start, 14)
        start = weekday.start() if weekday else start
        end = m.end() if y is not None else m.end("mon")
        if m["d2"]:
            day2 = _valid_day_number(m["d2"])
            if day2 is None or day2 <= day1:
                continue
            left = _point((start, m.end("d1")), y, month=month, day=day1)
            right = _point((m.start("d2"), end), y, month=month, day=day2)
            yield Atom(start, end, kind="range", left=left, right=right)
        elif m["more"]:
            days = [(start, m.end("d1"), day1)] + [(d.start("d"), d.end("d"), _valid_day_number(d["d"]))
                                                   for d in _DAY_LIST.finditer(text, m.start("more"), m.end("more"))]
            if any(d is None for *_, d in days):
                continue
            for i, (s, e, d) in enumerate(days):
                last = i == len(days) - 1
                yield _point((s, end if last else e), y, month=month, day=d, cue=0 if y else cue(text, s, e))
        else:
            yield _point((start, end), y, month=month, day=day1, cue=0 if y else cue(text, start, end))


def _iso(text):
    for m in _rx(r"(\d{4})-(\d{2})-(\d{2})(?![\d\w-])").finditer(text):
        if not _word_char_before(text, m.start(), "-"):
            yield Atom(*m.span(), kind="point", year=int(m[1]), month=int(m[2]), day=int(m[3]))


def _slashed(text):
    """ "12/7/1941": month/day/year (US order) unless the first number cannot be a month
    ("13/7/1941" is day/month). Only with a four-digit year: "3/4", "12/7/41" are not dates;
    dotted "7.12.1941" is left alone (its order is a matter of country)."""
    if "/" not in text:
        return
    for m in _rx(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?![\w/]|[.,:-]\d)").finditer(text):
        if _word_char_before(text, m.start(), "/.,:-"):
            continue
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if not BARE_YEAR_MIN <= y <= BARE_YEAR_MAX:
            continue
        month, day = (b, a) if a > 12 else (a, b)
        yield Atom(*m.span(), kind="point", year=y, month=month, day=day)


def _point(span, year: _Year | None, **parts) -> Atom:
    if year is None:
        return Atom(*span, kind="point", **parts)
    parts.pop("cue", None)
    return Atom(*span, kind="point", year=year.value, two_digit=year.two_digit, **parts)


# --- seasons and holidays ------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _season_re() -> re.Pattern:
    seasons = words()["seasons"]
    names = _alt(list(seasons) + [s.capitalize() for s in seasons])
    return re.compile(rf"(?P<season>{names})(?![\w-])(?:\s{{1,3}}(?:of\s{{1,3}})?" + _year_re("")
                      + r"(?:\s{0,3}[–—/-]\s{0,3}(?P<next>\d{2}|\d{4})(?![\w]))?)?")


_SEASON_LEAD = re.compile(r"(?:(?<![\w])(?P<part>[Ee]arly|[Ll]ate)\s{1,3})$")
_SEASON_CONTEXT = re.compile(
    r"(?:\b(?:in|during|through|throughout|over|by|until|till|since|for|into|before|after|from|to|of|that|this|next|last"
    r"|early|late|mid)\s{1,3}(?:the\s{1,3})?(?:(?:early|late)\s{1,3})?"
    r"|\b(?:the|and|or|early|late)\s{1,3}(?:(?:early|late)\s{1,3})?)$", re.I)
# "the harsh winter", "the severe Manchurian winter": the season after one or two adjectives
_SEASON_ADJECTIVES = re.compile(r"\b(?i:the|during|through|throughout|over|until|since|into)\s{1,3}(?:the\s{1,3})?"
                                r"(?:[a-z]{3,}(?:ly)?\s{1,3}){0,1}(?:[A-Za-z][a-z]{2,}\s{1,3})$")


_SEASON_LISTED = re.compile(r"\s{0,2}(?:,|and|or|&|to|through)\s{1,3}(?:the\s{1,3})?(?:(?:early|late)\s{1,3})?(?:spring|summer|autumn|fall|winter)\b", re.I)


def _seasons(text):
    """ "spring 1944", "the winter of 1941–42", and seasons without a year where the text makes them a
    time ("during the summer", "by autumn", "the spring offensive"): their year comes from context."""
    seasons = words()["seasons"]
    event_nouns = word_set("time_events", "after")
    for m in _season_re().finditer(text):
        if _word_char_before(text, m.start()):
            continue
        season = seasons[m["season"].lower()]
        lead = _lead(_SEASON_LEAD, text, m.start(), 8)
        start = lead.start() if lead else m.start()
        y = _full_year(text, m)
        if y is not None:
            end = m.end()
            if m["next"]:
                nxt = int(m["next"]) if len(m["next"]) == 4 else (y.value // 100) * 100 + int(m["next"])
                if season["code"] != 24 or y.two_digit or nxt != y.value + 1:
                    end = m.end("yc") if m["yc"] else m.start("next") - 1
                    end = len(text[:end].rstrip(" –—/-"))
            yield _point((start, end), y, season=season["code"])
            continue
        yield from _season_alone(text, m, season, start, event_nouns)


def _season_alone(text: str, m: re.Match, season: dict, start: int, event_nouns):
    end = m.end("season")
    word = m["season"].lower()
    after = _WORD_AFTER.match(text, end, end + 20)
    next_word = after.group(1).lower() if after else ""
    if next_word == "of":
        return  # "the fall of France", "the spring of life": a season of something is no time
    if m["season"][0].isupper():
        prev = _WORD_BEFORE.search(_before(text, start, 20))
        if (prev and prev.group(1)[:1].isupper() and not _lead(_SEASON_CONTEXT, text, start, 30)) or (after and after.group(1)[:1].isupper()):
            return  # "Prague Spring", "the Winter Palace", "the Winter War": a name
    context = _lead(_SEASON_CONTEXT, text, start, 30)
    eventful = next_word in event_nouns
    if not (context or eventful):
        if word in ("fall", "spring") or not _lead(_SEASON_ADJECTIVES, text, start, 50):
            return
    listed = _SEASON_LISTED.match(text, end)
    if word in ("fall", "spring") and not (eventful or listed or (context and not re.match(r"(?i)(?:the|and|or|to)\b", context.group(0)))):
        return  # "the fall", "the spring" alone may be a fall or a spring of water
    if context and re.match(r"(?i)(?:this|next|last)\b", context.group(0).strip()):
        return  # "this spring", "next summer": relative to a moment the text does not give
    yield Atom(start, end, kind="point", season=season["code"], cue=cue(text, start, end))


@lru_cache(maxsize=None)
def _holiday_re() -> re.Pattern:
    holidays = words()["holidays"]
    return re.compile(rf"(?P<h>{_alt(holidays)})(?![\w])(?:,?\s{{1,3}}(?:of\s{{1,3}})?" + _year_re("", digits="3,4") + ")?")


def _holidays(text):
    """Fixed-date holidays: "Christmas 1914", "on Christmas Day", "by Christmas" (year from context)."""
    holidays = words()["holidays"]
    for m in _holiday_re().finditer(text):
        if _word_char_before(text, m.start(), "-"):
            continue
        month, day = (int(x) for x in holidays[m["h"]].split("-"))
        y = _full_year(text, m)
        if y is not None:
            yield _point(m.span(), y, month=month, day=day)
        elif " " in m["h"] or _lead(_PREP_BEFORE, text, m.start()):
            end = m.end("h")
            yield Atom(m.start(), end, kind="point", month=month, day=day, cue=cue(text, m.start(), end))


# --- finders: years, decades, centuries -----------------------------------------------------------

_APPROX_BEFORE = re.compile(r"(?<![\w])(?P<approx>(?i:circa|ca\.|ca|c\.|c|about|around|approximately|roughly))\s{0,3}"
                            r"(?:(?:[Ee]arly|[Mm]id|[Ll]ate)[\s-]{1,3})?$")
_TWO_DIGIT_LEAD = re.compile(r"\b(?i:in|of|since|until|till|by|from|to|through|during|and|or|the|before|after)\s{0,3}$")
_THREE_DIGIT_LEAD = re.compile(r"\b(?:year|[Ii]n|[Ss]ince|[Uu]ntil)\s(?:\d{3,4}(?:,\s|\s(?:and|or)\s))?$")  # "in 885 and 886"
_BY_LEAD = re.compile(r"\b[Bb]y\s$")
_CLAUSE_AFTER = re.compile(r"\s{0,3}(?:[,.;:!?)]|$)|\s{1,3}(?:the|when|he|she|they|it|we|I|his|her|their)\b")  # matched without endpos: $ is the text's end


def _years(text):
    """Years on their own, with era, approximation and early/mid/late: "1941", "c. 44 BC", "mid-1942"."""
    # with an era: "44 BC", "AD 79"
    for m in () if not _has_any(text, *_ERA_HINTS) else _rx(rf"(?P<y>\d{{1,4}})\s?(?P<era>{_BC}|{_AD})(?![A-Za-z])").finditer(text):
        if not _word_char_before(text, m.start()) and int(m["y"]):
            n = int(m["y"])
            yield _year_point(text, m.start(), m.end(), 1 - n if m["era"].startswith("B") else n)
    for m in () if not _has_any(text, "AD", "A.") else _rx(r"(?:A\.\s?D\.|AD)\s?(?P<y>\d{1,4})(?![\d\w])").finditer(text):
        if not _word_char_before(text, m.start()):
            yield _year_point(text, m.start(), m.end(), int(m["y"]))
    # bare: four digits, or three where the text calls for a year ("in 793", "the year 476", "by 845")
    for m in _rx(r"\d{3,4}(?![\w]|[.,]\d)").finditer(text):
        start, end = m.span()
        if _word_char_before(text, start, "$£€#,/") or (start >= 2 and text[start - 1] == "." and text[start - 2].isdigit()):
            continue
        y = int(m.group())
        if end - start == 4:
            if not BARE_YEAR_MIN <= y <= BARE_YEAR_MAX or not bare_year_ok(text, start, end):
                continue
            yield _year_point(text, start, end, y)
        elif y >= 100 and bare_year_ok(text, start, end):
            if _lead(_THREE_DIGIT_LEAD, text, start, 20):
                yield Atom(start, end, kind="point", year=y)
            elif _lead(_BY_LEAD, text, start, 4) and _CLAUSE_AFTER.match(text, end):
                lead = re.findall(r"[A-Za-z]+", text[max(0, start - 40):start - 3])[-3:]
                if not any(w.lower() in word_set("not_year", "before_by") for w in lead):
                    yield Atom(start, end, kind="point", year=y)  # "by 845", not "outnumbered them by 500"
    # two digits after an apostrophe, where a year is expected: "in '44", "the summer of '99"
    for m in _rx(r"['’](?P<y>\d\d)(?![\w'’])").finditer(text):
        if _word_char_before(text, m.start()):
            continue
        approx = _lead(_APPROX_BEFORE, text, m.start(), 20)
        part = _lead(_PART_BEFORE, text, m.start(), 8)
        if not (approx or part or _lead(_TWO_DIGIT_LEAD, text, m.start(), 10)):
            continue
        yield _year_point(text, m.start(), m.end(), int(m["y"]), two_digit=True)


def _year_point(text: str, start: int, end: int, year: int, two_digit: bool = False) -> Atom | None:
    prev = text[start - 1:start]
    approx = part = None
    if prev.isspace() or prev in ("-", "."):  # "c. 1850", "about 1850", "mid-1942", "early 1942"
        approx = _lead(_APPROX_BEFORE, text, start, 24)
        if approx:
            raw = approx["approx"].lower()
            if raw in ("c", "ca") and not text[approx.end("approx"):approx.end("approx") + 1].isspace():
                approx = None
        part = _lead(_PART_BEFORE, text, start, 8)
    first = approx.start() if approx else part.start() if part else start
    return Atom(first, end, kind="point", year=year, two_digit=two_digit, approx=bool(approx),
                part=part["part"].lower() if part else None)


def _span_atom(start, end, lo, hi, precision, part, two_digit=False):
    if part:
        first, last = words()["parts"][precision][part]
        lo, hi = lo + first, lo + last
    return Atom(start, end, kind="span", lo=lo, hi=hi, precision=precision, part=part, two_digit=two_digit)


_SPAN_PART = re.compile(r"(?<![\w])(?P<part>(?i:early|mid|late|middle of the|first half of the|second half of the))[\s-]{1,3}$")
_THE_BEFORE = re.compile(r"\b[Tt]he\s$")
_THE_PART_BEFORE = re.compile(r"\b[Tt]he\s(?:(?P<part>(?i:early|mid|late))[\s-]{1,3})?$")
_TEMPERATURE = re.compile(r"temperature|degrees|°|thermometer|mercury|fahrenheit|celsius|\bweather\b|\bhighs?\b|\blows?\b"
                          r"|\bage[ds]?\b|\byears?\s+old\b", re.I)  # and ages: "men in the 40s age group"


def _span_part(text: str, start: int) -> tuple[str | None, int]:
    m = _lead(_SPAN_PART, text, start, 24)
    if m:
        return _part(m["part"]), m.start()
    return None, start


def _decades(text):
    """ "the 1930s", "the '30s", "mid-1800s" (a century), "the 490s BC", "the 60s BC", "the early forties"."""
    yield from _spelled_decades(text)
    if not _has_any(text, "0s", "0's", "0’s"):
        return
    for m in _rx(rf"(?P<d>\d{{1,3}}0)(?P<apo>['’]?)s(?:\s?(?P<era>{_BC}|{_AD}))?(?![\w])").finditer(text):
        if _word_char_before(text, m.start()):
            continue
        d, era = int(m["d"]), m["era"]
        if era is None and not (BARE_YEAR_MIN <= d <= BARE_YEAR_MAX):
            if 10 <= d < 100 and _lead(_THE_PART_BEFORE, text, m.start(), 12):
                yield from _two_digit_decade(text, m)
            continue
        if _count_or_unit_after(text, m.end()):
            continue
        part, start = _span_part(text, m.start())
        bc = bool(era and era.startswith("B"))
        if d % 100 == 0 and d != 2000 and d >= 100:  # "the 1800s" is a century; "the 2000s" a decade
            lo, hi = (1 - (d + 99), 1 - d) if bc else (d, d + 99)
            yield _span_atom(start, m.end(), lo, hi, "century", part)
        else:
            lo, hi = (1 - (d + 9), 1 - d) if bc else (d, d + 9)
            yield _span_atom(start, m.end(), lo, hi, "decade", part)
    for m in _rx(r"['’](?P<dd>\d0)['’]?s(?![\w])").finditer(text):
        if not _word_char_before(text, m.start()):
            part, start = _span_part(text, m.start())
            yield _span_atom(start, m.end(), int(m["dd"]), int(m["dd"]) + 9, "decade", part, two_digit=True)


def _two_digit_decade(text: str, m: re.Match):
    """ "the 60s", "the early 60's": two digits without an apostrophe only after "the", and not where the
    text speaks of temperatures or ages ("in the low 60s" never matches: "the" must be next)."""
    end = m.end()
    if _rx(r"['’]").match(text, end):
        return
    if _count_or_unit_after(text, end) or _TEMPERATURE.search(text, max(0, m.start() - 60), end + 20):
        return
    lead = _lead(_THE_PART_BEFORE, text, m.start(), 12)
    start = lead.start("part") if lead["part"] else m.start()
    dd = int(m["d"])
    yield _span_atom(start, end, dd, dd + 9, "decade", _part(lead["part"]), two_digit=True)


@lru_cache(maxsize=None)
def _spelled_decade_before() -> re.Pattern:
    spelled, centuries = words()["spelled_decades"], words()["spelled_centuries"]
    return re.compile(rf"(?<=\b[Tt]he\s)(?:(?P<part>(?i:early|mid|late))[\s-]{{1,3}})?"
                      rf"(?P<w>(?:Roaring\s{{1,3}})?(?:(?P<c>(?i:{_alt(centuries)}))[\s-]|['’])?(?i:{_alt(spelled)}))$")


def _spelled_decades(text):
    """ "the Sixties", "the 'sixties" (century from context), "the nineteen-sixties" (century named)."""
    if not _has_any(text, "ties", "TIES"):
        return
    spelled, centuries = words()["spelled_decades"], words()["spelled_centuries"]
    for m in _rx(r"(?i:ties)(?![\w])").finditer(text):
        lead = _lead(_spelled_decade_before(), text, m.end(), 40)
        if lead is None:
            continue
        d = spelled[re.split(r"[\s'’-]", lead["w"])[-1].lower()]
        if lead["c"]:
            d += centuries[lead["c"].lower()]
        start = lead.start("w") if lead["part"] is None else lead.start("part")
        yield _span_atom(start, m.end(), d, d + 9, "decade", _part(lead["part"]), two_digit=not lead["c"])


def _part(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.lower()
    for key in ("first half", "second half", "early", "late"):
        if raw.startswith(key):
            return key
    return "mid"


@lru_cache(maxsize=None)
def _ordinal_before(unit: str) -> re.Pattern:
    """The ordinals before "century"/"millennium": "the 19th", "the fifth", "the 18th and 19th",
    "the first, second and third" (a list shares the unit and the era that follow)."""
    ordinal = rf"(?:\d{{1,2}}(?:st|nd|rd|th)|(?i:{_alt(words()['ordinals'])}))"
    return re.compile(rf"(?<![\w-])(?:(?P<part>(?i:early|mid|late|middle of the|first half of the|second half of the))[\s-]{{1,3}})?"
                      rf"(?P<list>(?:{ordinal}(?:,\s{{1,3}}|,?\s{{1,3}}(?:and|or|to|through|until)\s{{1,3}}(?:the\s{{1,3}})?)){{0,4}})"
                      rf"(?P<n>{ordinal})[\s-]{{1,3}}$")


def _ordinal_value(raw: str) -> int:
    m = re.match(r"\d+", raw)
    return int(m.group()) if m else words()["ordinals"][raw.lower()]


def _centuries(text):
    """ "the 19th century", "18th-century", "the fifth century BC", "the 18th and 19th centuries"."""
    if _has_any(text, "entur"):
        yield from _ordinal_spans(text, r"[Cc]entur(?:y|ies)", "century", 100, 21)


def _millennia(text):
    """ "the 2nd millennium BC", "the first millennium": years (N-1)000–(N-1)999, as centuries."""
    if _has_any(text, "illenni"):
        yield from _ordinal_spans(text, r"[Mm]illenni(?:um|a|ums)", "millennium", 1000, 3)


def _ordinal_spans(text, head: str, precision: str, size: int, top: int):
    ordinal_re = _rx(rf"\d{{1,2}}(?:st|nd|rd|th)|(?i:{_alt(words()['ordinals'])})")
    for m in _rx(head + rf"(?![\w])(?:\s?(?P<era>{_BC}|{_AD})(?![A-Za-z]))?").finditer(text):
        lead = _lead(_ordinal_before(precision), text, m.start(), 90)
        if lead is None:
            continue
        bc = bool(m["era"] and m["era"].upper().startswith("B"))
        items = [(o.start(), o.end(), _ordinal_value(o.group())) for o in ordinal_re.finditer(text, lead.start("list"), lead.end("list"))]
        items.append((lead.start("n"), m.end(), _ordinal_value(lead["n"])))
        if any(not 1 <= n <= top for *_, n in items):
            continue
        for i, (s, e, n) in enumerate(items):
            if bc:
                lo, hi = -(n * size - 1), -((n - 1) * size)
            else:
                lo, hi = (n - 1) * size, (n - 1) * size + size - 1
                if n == 1:
                    lo = 1
            part = _part(lead["part"]) if i == 0 and precision == "century" else None
            start = lead.start("part") if i == 0 and lead["part"] else s
            yield _span_atom(start, e, lo, hi, precision, part)


# --- finders: ranges of years ----------------------------------------------------------------------

_RANGE_LEAD = re.compile(r"\b(?P<lead>(?i:from|between))\s{1,3}$")


def _short_year_ranges(text):
    """ "1939–45", "1941/42", "1914-18", "1898–'99": a four-digit year and the last two digits of a later one."""
    for m in _rx(r"(?P<a>\d{4})\s?[–—/-]\s?['’]?(?P<b>\d{2})(?![\w–—-]|[.,]\d)").finditer(text):
        if _word_char_before(text, m.start(), "$£€#.,/-"):
            continue
        a, b = int(m["a"]), int(m["b"])
        if not BARE_YEAR_MIN <= a <= BARE_YEAR_MAX or not bare_year_ok(text, m.start("a"), m.end()):
            continue
        century = a // 100 * 100
        right = century + b if b > a % 100 else (century + 100 + b if a % 100 >= 90 else None)
        if right is None:
            continue
        lead = _lead(_RANGE_LEAD, text, m.start(), 12)
        left_atom = Atom(m.start("a"), m.end("a"), kind="point", year=a)
        right_atom = Atom(m.start("b"), m.end("b"), kind="point", year=right)
        yield Atom(_lead_start(lead, m.start()), m.end(), kind="range", left=left_atom, right=right_atom)


def _era_ranges(text):
    """ "218–201 BC", "from 264 to 146 BC": the era after the second year applies to both; so it does
    in a list, "in 496 and 495 BC" (two years)."""
    if not _has_any(text, *_ERA_HINTS):
        return
    pat = _rx(r"(?P<a>\d{1,4})\s?(?:[–—-]|\s(?:to|and|or|until)\s)\s?(?P<b>\d{1,4})\s?"
              rf"(?P<era>{_BC}|{_AD})(?![A-Za-z])")
    for m in pat.finditer(text):
        if _word_char_before(text, m.start(), "$£€#.,-"):
            continue
        a, b = int(m["a"]), int(m["b"])
        if a == 0 or b == 0:
            continue
        lead = _lead(_RANGE_LEAD, text, m.start(), 12)
        bc = m["era"].upper().startswith("B")
        ya, yb = (1 - a, 1 - b) if bc else (a, b)
        left = Atom(m.start("a"), m.end("a"), kind="point", year=ya)
        right = Atom(m.start("b"), m.end(), kind="point", year=yb)
        between = bool(lead and lead["lead"].lower() == "between")
        listed = re.search(r"\s(?:and|or)\s", m.group(0)) is not None
        if listed and not between:
            if abs(ya - yb) <= 100:  # a list of two years, not "3 and 4 BC" far apart
                yield left
                yield right
            continue
        if ya > yb or between != listed:
            continue
        yield Atom(_lead_start(lead, m.start()), m.end(), kind="range", left=left, right=right)


# --- finders: anaphora and the time of writing -------------------------------------------------------

_UNITS = {"day": "day", "morning": "day", "afternoon": "day", "evening": "day", "night": "day",
          "week": "week", "month": "month", "year": "year", "decade": "decade", "century": "century"}
_BOUNDARY_AFTER = r"(?=\s{0,3}(?:[,.;:!?)]|$))"
_LATER_LEAD = re.compile(r"\b(?:later|earlier)\s{1,3}(?:in\s{1,3})?$", re.I)
_CLAUSE_WORDS = r"(?:the|a|an|he|she|it|they|we|I|his|her|its|their|our|this|that|these|those|there)"
_DAY_OF_MONTH_LEAD = re.compile(r"\b(?i:on|until|till|by|since|before|after|from|through)\s{1,3}the\s{1,3}$")
_DAY_OF_MONTH_LIST = re.compile(r"\b(?i:the)\s{1,3}\d{1,2}(?:st|nd|rd|th)\s{0,2}(?:,|and|or|&|to|through|–|-)\s{0,3}(?:the\s{1,3})?$")
_OF_THAT_MONTH = re.compile(r"\s{1,3}of\s{1,3}(?:that|the(?:\s{1,3}same)?)\s{1,3}month\b", re.I)


def _anaphor(start, end, unit, offset=0, **kw) -> Atom:
    return Atom(start, end, kind="anaphor", unit=unit, offset=offset, **kw)


@lru_cache(maxsize=None)
def _the_re() -> re.Pattern:
    """One scan for every anaphor that starts with "the" or "that" (each branch named by its groups)."""
    seasons = _alt(words()["seasons"])
    day_units = "day|morning|afternoon|evening|night|month|year"
    return re.compile(
        r"[Tt]h(?:e|(?P<that>at))\s{1,3}(?:"
        rf"(?:very\s{{1,3}})?same\s{{1,3}}(?:(?P<u_same>{day_units})|(?P<s_same>(?i:{seasons})))\b"  # the same day
        rf"|(?P<dir>following|next|succeeding|subsequent|previous|preceding|prior)\s{{1,3}}"  # the following year
        rf"(?:(?P<u_next>{day_units}|decade|century)|(?P<s_next>(?i:{seasons})))\b"
        rf"|(?P<u_after>{day_units})\s{{1,3}}(?P<dir_after>before|after|earlier|later|following){_BOUNDARY_AFTER}"  # the day after
        r"|(?:end|close|beginning|start|middle|latter\s{1,3}part|early\s{1,3}part)\s{1,3}of\s{1,3}(?:the|that)"  # the end of the month
        r"\s{1,3}(?P<u_part>month|year)\b"
        rf"|(?:(?P<dir_month>following|next|previous|preceding)\s{{1,3}})?{_month_re('')}(?!\s{{0,3}},?\s{{0,3}}\d)"  # that April
        rf"|(?:very\s{{1,3}})?(?:(?P<u_that>{day_units})|(?P<s_that>(?i:{seasons})))\b(?!['’]s?\s)"  # that year
        r")")


def _anaphora(text):
    """ "the same day", "that year", "the following month", "the day before", "two years later", "the 6th"."""
    seasons = words()["seasons"]
    for m in _the_re().finditer(text):
        if _word_char_before(text, m.start()):
            continue
        atom = _the_anaphor(text, m, seasons)
        if atom is not None:
            yield atom
    for m in _rx(r"(?P<dir>[Ll]ater|[Ee]arlier)\s{1,3}in\s{1,3}the\s{1,3}(?P<u>month|year)\b").finditer(text):
        if not _word_char_before(text, m.start()):  # "later in the year": the anchor's year
            yield _anaphor(m.start(), m.end(), "this_" + m["u"])
    yield from _days_of_month(text)
    numbers = words()["numbers"]
    num_before = _rx(rf"(?<![\w])(?P<n>\d{{1,3}}|(?i:{_alt(numbers)}))\s{{1,3}}$")
    count = _rx(r"(?P<u>day|week|month|year|decade)s?\s{1,3}(?:(?P<dir>later|earlier|afterwards?|previously)\b"
                rf"|(?P<dir2>before|after){_BOUNDARY_AFTER})")
    for m in count.finditer(text):
        lead = _lead(num_before, text, m.start(), 14)
        if lead is None:
            continue
        n = int(lead["n"]) if lead["n"].isdigit() else numbers[lead["n"].lower()]
        direction = (m["dir"] or m["dir2"]).lower()
        sign = -1 if direction in ("earlier", "previously", "before") else 1
        yield _anaphor(lead.start(), m.end(), m["u"], sign * n)


def _the_anaphor(text: str, m: re.Match, seasons: dict) -> Atom | None:
    def season(group):
        return seasons[m[group].lower()]["code"]

    start = m.start()
    if m["u_same"] or m["s_same"] or m["u_that"] or m["s_that"]:
        if (m["u_that"] or m["s_that"]) and not m["that"]:
            return None  # "the year" is no anaphor; "that year" is
        start = _lead_start(_lead(_LATER_LEAD, text, start, 20), start)
        if m["s_same"] or m["s_that"]:
            return _anaphor(start, m.end(), "season", season=season("s_same" if m["s_same"] else "s_that"))
        return _anaphor(start, m.end(), _UNITS[(m["u_same"] or m["u_that"]).lower()])
    if m["dir"]:
        offset = 1 if m["dir"] in ("following", "next", "succeeding", "subsequent") else -1
        if m["s_next"]:
            return _anaphor(start, m.end(), "season", offset, season=season("s_next"))
        if m["u_next"] in ("decade", "century"):
            return _anaphor(start, m.end(), m["u_next"] + "_of", offset)  # "the previous century"
        return _anaphor(start, m.end(), _UNITS[m["u_next"]], offset)
    if m["u_after"]:
        return _anaphor(start, m.end(), _UNITS[m["u_after"]], 1 if m["dir_after"] in ("after", "later", "following") else -1)
    if m["u_part"]:
        return _anaphor(start, m.end(), "this_" + m["u_part"])  # "the end of the month": the anchor's month
    if m["mon"]:
        if not (m["that"] or m["dir_month"]):
            return None  # "the April …"
        offset = 0 if m["that"] else (1 if m["dir_month"] in ("following", "next") else -1)
        return _anaphor(start, m.end(), "named_month", offset, month=_month_number(m["mon"]))
    return None


def _days_of_month(text):
    """ "until the 26th", "on the 6th the Allies landed", "the 28th of that month": a day of the month last
    mentioned, only after a preposition (or in a list of such days) and before punctuation or a clause's
    first word (not "the 6th Army", "the 6th of")."""
    follows = _rx(rf"\s{{0,3}}(?:[,.;:!?)]|$)|\s{{1,3}}(?-i:{_CLAUSE_WORDS})\b"
                  r"|\s{0,2}(?:and|or|&|to|through|–|-)\s{0,3}(?:the\s{1,3})?\d{1,2}(?:st|nd|rd|th)", re.I)
    for m in _rx(r"(?P<d>\d{1,2})(?:st|nd|rd|th)(?![\w])").finditer(text):
        day = int(m["d"])
        if not 1 <= day <= 31:
            continue
        of_month = _OF_THAT_MONTH.match(text, m.end(), m.end() + 30)
        if of_month and _lead(_THE_BEFORE, text, m.start(), 5):
            yield _anaphor(m.start(), of_month.end(), "day_of_month", day=day)
            continue
        if not (_lead(_DAY_OF_MONTH_LEAD, text, m.start(), 16) or _lead(_DAY_OF_MONTH_LIST, text, m.start(), 24)):
            continue
        if follows.match(text, m.end()):
            yield _anaphor(m.start(), m.end(), "day_of_month", day=day)


_OWNER_BEFORE = re.compile(r"\b(?:his|her|its|their|the|our|my|your|whose|a)\s{1,3}$", re.I)


def _deictic(text):
    """Relative to the time of writing: "today", "last year", "two years ago", "on Tuesday"."""
    for m in _rx(r"[TtYy](?:oday|omorrow|esterday)(?![\w])").finditer(text):
        word = m.group().lower()
        if word in ("today", "yesterday", "tomorrow") and not _word_char_before(text, m.start()):
            yield Atom(*m.span(), kind="deictic", unit="day", offset={"today": 0, "yesterday": -1, "tomorrow": 1}[word])
    for m in _rx(r"[TtLlNnPp](?:his|ast|ext)\s{1,3}(?P<u>week|month|year|decade|century)(?![\w])").finditer(text):
        d = m.group()[:4].lower()
        if d not in ("this", "last", "next", "past") or _word_char_before(text, m.start()) or _lead(_OWNER_BEFORE, text, m.start(), 8):
            continue
        yield Atom(*m.span(), kind="deictic", unit=m["u"], offset={"this": 0, "last": -1, "past": -1, "next": 1}[d])
    numbers = words()["numbers"]
    num_before = _rx(rf"(?<![\w])(?P<n>\d{{1,4}}|(?i:{_alt(numbers)}))\s{{1,3}}$")
    for m in _rx(r"(?P<u>day|week|month|year|decade|centur(?:y|ie))s?\s{1,3}ago(?![\w])").finditer(text):
        lead = _lead(num_before, text, m.start(), 14)
        if lead is None:
            continue
        n = int(lead["n"]) if lead["n"].isdigit() else numbers[lead["n"].lower()]
        u = m["u"].lower()
        yield Atom(lead.start(), m.end(), kind="deictic", unit="century" if u.startswith("centur") else u, offset=-n)
    yield from _weekdays(text)


@lru_cache(maxsize=None)
def _weekday_res() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    weekdays = words()["weekdays"]
    return (re.compile(rf"(?P<w>{_alt(weekdays)})(?![\w])"),
            re.compile(rf",?\s{{1,3}}(?:the\s{{1,3}})?\d|,?\s{{1,3}}{_month_re('')}"),
            re.compile(r"\b(?P<d>(?i:last|next|this|on))\s{1,3}$"))


def _weekdays(text):
    weekdays = words()["weekdays"]
    events = word_set("event_weekdays", "before")
    head, dated_after, lead_re = _weekday_res()
    for m in head.finditer(text):
        if _word_char_before(text, m.start()) or dated_after.match(text, m.end(), m.end() + 20):
            continue
        before = _WORD_BEFORE.search(_before(text, m.start(), 20))
        if before and before.group(1).lower() in events:
            continue
        lead = _lead(lead_re, text, m.start(), 10)
        mode = lead["d"].lower() if lead else "on"
        start = lead.start() if mode in ("last", "next", "this") else m.start()
        yield Atom(start, m.end(), kind="deictic", unit="weekday", weekday=weekdays[m["w"]],
                   offset={"last": -1, "next": 1, "this": 0}.get(mode, -2))


def _times(text):
    """Clock times ("3:00 a.m.", "at 11:30 AM", "10 p.m."): the day of the date they belong to."""
    if not _has_any(text, "a.m", "p.m", "A.M", "P.M", "am ", "pm ", "am,", "pm,", "am.", "pm.", "AM", "PM"):
        return
    for m in _rx(r"(?P<h>\d{1,2})(?::(?P<mi>[0-5]\d))?\s?(?:[ap]\.m\.|[AP]\.M\.|[ap]m(?![\w])|[AP]M(?![\w]))").finditer(text):
        if _word_char_before(text, m.start(), ".,:/") or not 1 <= int(m["h"]) <= 12:
            continue
        yield Atom(*m.span(), kind="time")


# Where two finders read the same characters, the earlier one wins: an era list ("496 and 495 BC")
# before the bare year ("in 496").
FINDERS = (_iso, _slashed, _months, _days, _seasons, _holidays, _short_year_ranges, _era_ranges, _years, _decades,
           _centuries, _millennia, _anaphora, _deictic, _times)
FINDERS_ORDER = {"range": 0, "point": 1, "span": 2, "anaphor": 3, "deictic": 4, "time": 5}


def find_atoms(text: str) -> list[Atom]:
    """Every date expression in ``text``, longest first where they overlap, in text order."""
    candidates = [atom for finder in FINDERS for atom in finder(text) if atom is not None]
    candidates.sort(key=lambda a: (-a.length, a.start, FINDERS_ORDER.get(a.kind, 9)))
    taken: list[Atom] = []
    occupied = bytearray(len(text))
    for atom in candidates:
        if occupied.find(1, atom.start, atom.end) == -1:
            taken.append(atom)
            occupied[atom.start:atom.end] = b"\x01" * atom.length
    atoms = merge_ranges(text, sorted(taken, key=lambda a: a.start))
    return _date_times(text, share_years(text, atoms))


_CONNECTOR = re.compile(r",?\s{0,3}(?P<c>–|—|-|/|to|through|thru|until|till|and)\s{0,3}(?:the\s{1,3})?", re.I)
_LEAD = re.compile(r"\b(?P<lead>from|between)\s{1,3}(?:the\s{1,3})?$", re.I)
MAX_GAP = 24  # characters between two dates joined into a range or a list


def merge_ranges(text: str, atoms: list[Atom]) -> list[Atom]:
    """Join "A to B", "from A to B", "between A and B", "A–B" into one range atom."""
    out: list[Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms) and a.kind in ("point", "span") and atoms[i + 1].kind in ("point", "span"):
            b = atoms[i + 1]
            conn = _CONNECTOR.fullmatch(text, a.end, b.start) if b.start - a.end <= MAX_GAP else None
            lead = _lead(_LEAD, text, a.start, 20)
            word = conn["c"].lower() if conn else ""
            ok = conn and (word != "and" or (lead and lead["lead"].lower() == "between"))
            if word in ("to", "until", "till", "through", "thru") and not lead and a.kind == "point" and a.year is None and not a.listed:
                ok = False
            if ok:
                start = lead.start("lead") if lead else a.start
                out.append(Atom(start, b.end, kind="range", left=a, right=b))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


_LIST_GAP = re.compile(r"\s{0,2}(?:,\s{0,2})?(?:(?:and|or|&)\s{1,3})?(?:the\s{1,3})?(?:(?:early|late|mid)[\s-]{1,3})?", re.I)


def share_years(text: str, atoms: list[Atom]) -> list[Atom]:
    """Months and seasons listed before a dated one share its year: "in April and June 1955" (April
    1955), "the summer and autumn of 481 BC"; an earlier month later in the year belongs to the year before."""
    out = list(atoms)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if not (a.kind == "point" and a.year is None and a.day is None and (a.month or a.season)):
            continue
        if not (b.kind == "point" and b.year is not None and (b.month or b.season)):
            continue
        if b.start - a.end > MAX_GAP or not _LIST_GAP.fullmatch(text, a.end, b.start):
            continue
        year = b.year
        if a.month and b.month and a.month > b.month:
            year -= 1
        out[i] = replace(a, year=year, two_digit=b.two_digit, cue=0)
    return out


_TIME_TO_DATE = re.compile(r",?\s{0,3}(?:(?:[A-Z][a-z]+\s{1,3})?(?:local\s{1,3})?time\s{1,3})?(?:(?:on|of)\s{1,3})?(?:the\s{1,3})?", re.I)


def _date_times(text: str, atoms: list[Atom]) -> list[Atom]:
    """A clock time followed by its day ("5:34 AM on March 20, 2003") takes that day; others keep
    kind "time" and take the day of the last date mentioned."""
    out = list(atoms)
    for i, a in enumerate(out):
        if a.kind != "time" or i + 1 >= len(out):
            continue
        b = out[i + 1]
        if b.kind == "point" and b.day is not None and b.start - a.end <= 30 and _TIME_TO_DATE.fullmatch(text, a.end, b.start):
            out[i] = replace(b, start=a.start, end=a.end, cue=0, unit="time")
    return out
