"""The date grammar: regular expressions that find date expressions in prose and say what they name.

Finders return :class:`Atom` objects (a span and its parts: year, month, decade, anaphor …),
not EDTF yet; :mod:`mrhistory.dates` resolves context years, anaphora and reference dates and
normalises. Word lists (months, seasons, guards against numbers that are not years) live in
``data/date_words.toml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .packaged import data_toml

BARE_YEAR_MIN, BARE_YEAR_MAX = 1000, 2099


@lru_cache(maxsize=1)
def words() -> dict:
    return data_toml("date_words.toml")


@dataclass(frozen=True)
class Atom:
    """One date expression found in text, before resolution.

    ``kind`` is "point" (a day, month, season or year, possibly without its year), "span"
    (a decade or century: ``lo``/``hi`` astronomical years), "range" (``left``/``right``),
    "anaphor" (``unit``/``offset`` from the last date mentioned) or "deictic" (from the
    time of writing). Years are astronomical: 44 BC is -43.
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
    forward: bool = False  # a partial date after a forward cue ("by January"): may roll into the next year
    lo: int | None = None
    hi: int | None = None
    precision: str = ""
    unit: str | None = None
    offset: int = 0
    weekday: int | None = None
    left: "Atom | None" = None
    right: "Atom | None" = None

    @property
    def length(self) -> int:
        return self.end - self.start


# --- building blocks -------------------------------------------------------------------------

def _alt(names) -> str:
    """A regex alternation of ``names``, longest first so "Sept" wins over "Sep"."""
    return _alt_of(tuple(names))


@lru_cache(maxsize=None)
def _alt_of(names: tuple) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))


@lru_cache(maxsize=None)
def _month_re(tag: str) -> str:
    months = words()["months"]
    full = [m for m in months if len(m) > 4 or m in ("May", "June", "July")]
    abbr = [m for m in months if m not in full]
    return rf"(?P<mon{tag}>{_alt(full)}|(?:{_alt(abbr)})\.?)(?![A-Za-z])"


@lru_cache(maxsize=None)
def _day_re(tag: str) -> str:
    return rf"(?P<day{tag}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d\w])"


_BC = r"B\.\s?C\.(?:\s?E\.)?|BCE|BC"
_AD = r"A\.\s?D\.|AD|C\.\s?E\.|CE"


@lru_cache(maxsize=None)
def _year_re(tag: str, *, digits: str = "4") -> str:
    """A year: "AD 79", "44 BC", a bare year of ``digits`` digits, or "'44"."""
    return (
        rf"(?:(?P<preera{tag}>A\.\s?D\.|AD)\s?(?P<ya{tag}>\d{{1,4}})(?![\d\w])"
        rf"|(?P<yb{tag}>\d{{1,4}})\s?(?P<era{tag}>{_BC}|{_AD})(?![A-Za-z])"
        rf"|(?<![\w$£€#,/])(?<!\d\.)(?P<yc{tag}>\d{{{digits}}})(?![\w]|[.,]\d)"
        rf"|(?<![\w])['’](?P<yd{tag}>\d\d)(?![\w'’]))"
    )


@lru_cache(maxsize=None)
def _weekday_re() -> str:
    return rf"(?:(?:{_alt(words()['weekdays'])}),?\s+)?"


def _month_number(name: str) -> int:
    return words()["months"][name.rstrip(".")]


@dataclass(frozen=True)
class _Year:
    value: int
    two_digit: bool
    bare: bool
    start: int
    end: int


def _year_of(m: re.Match, tag: str) -> _Year | None:
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


_WORD_BEFORE = re.compile(r"([^\s]+)\s*$")
_WORD_AFTER = re.compile(r"^\s*([A-Za-z%°]+\.?|[%°])")
_HYPHEN_AFTER = re.compile(r"^[-‐–]([A-Za-z]+)")
_HYPHEN_BEFORE = re.compile(r"([A-Za-z]+)[-‐]$")


def _count_or_unit_after(text: str, end: int) -> bool:
    guards = words()["not_year"]
    hyphen = _HYPHEN_AFTER.match(text[end:end + 20])
    if hyphen and hyphen.group(1).lower() in guards["hyphen_after"]:
        return True
    after = _WORD_AFTER.match(text[end:end + 20])
    return bool(after) and (after.group(1).lower() in guards["after"] or after.group(1).lower().rstrip(".") in guards["after"])


_NUMBER_RANGE_AFTER = re.compile(r"^\s*(?:to|through|[–—-])\s*[\d,]*\d")


def bare_year_ok(text: str, start: int, end: int) -> bool:
    """False when a standalone four-digit number is a count, unit, page or designation, not a year."""
    if _count_or_unit_after(text, end):
        return False
    second = _NUMBER_RANGE_AFTER.match(text[end:end + 30])
    if second and _count_or_unit_after(text, end + second.end()):
        return False  # "from 1200 to 1500 meters"
    before = text[max(0, start - 25):start]
    hyphen = _HYPHEN_BEFORE.search(before)
    if hyphen and (len(hyphen.group(1)) <= 2 or not hyphen.group(1).islower()):
        return False  # B-1941, Ki-1941: designations
    if re.search(r"(?<!\d)(?:\d{1,3}|\d{5,})[-‐]$", before):
        return False  # 555-1941: a phone or serial number
    word = _WORD_BEFORE.search(before)
    if word and word.group(1).lower() in words()["not_year"]["before"]:
        return False
    if re.search(r"(?:\d|\bone|\ba)\s+in\s*$", before, re.I):
        return False  # "one in 1000"
    return True


# A partial date the narrative reaches going forward: "by January", "until 3 March", "then in May",
# "later, in February". A bare "in"/"on" is no cue: "In January he had …" may look back.
_FORWARD_CUE = re.compile(r"(?:\b(?:by|until|till)\s+|\b(?:then|later|afterwards?|subsequently),?\s+(?:(?:in|on|by)\s+)?)"
                          r"(?:the\s+)?$", re.I)


def forward_cue(text: str, start: int) -> bool:
    """True when the words just before ``start`` say the story moves forward to this date."""
    return bool(_FORWARD_CUE.search(text[max(0, start - 40):start]))


# --- finders -----------------------------------------------------------------------------------

def _point(m, span, year: _Year | None, **parts) -> Atom:
    if year is None:
        return Atom(*span, kind="point", **parts)
    return Atom(*span, kind="point", year=year.value, two_digit=year.two_digit, **parts)


def _full_year(text: str, m: re.Match, tag: str = "") -> _Year | None:
    """The year of a date expression; inside a date only a count or unit after it disqualifies it."""
    y = _year_of(m, tag)
    if y is None or (y.bare and _count_or_unit_after(text, y.end)):
        return None
    return y


def _iso(text):
    for m in re.finditer(r"(?<![\d\w-])(\d{4})-(\d{2})-(\d{2})(?![\d\w-])", text):
        yield Atom(*m.span(), kind="point", year=int(m[1]), month=int(m[2]), day=int(m[3]))


def _slashed(text):
    """ "12/7/1941": month/day/year (US order) unless the first number cannot be a month
    ("13/7/1941" is day/month). Only with a four-digit year: "3/4", "12/7/41" are not dates;
    dotted "7.12.1941" is left alone (its order is a matter of country)."""
    pat = re.compile(r"(?<![\w/.,:-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?![\w/]|[.,:-]\d)")
    for m in pat.finditer(text):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if not BARE_YEAR_MIN <= y <= BARE_YEAR_MAX:
            continue
        month, day = (b, a) if a > 12 else (a, b)
        yield Atom(*m.span(), kind="point", year=y, month=month, day=day)


def _month_day_year(text):
    pat = re.compile(_weekday_re() + _month_re("") + r"\s+" + _day_re("") + r"(?:,\s*|\s+)(?:of\s+)?" + _year_re("", digits="3,4"))
    for m in pat.finditer(text):
        if (y := _full_year(text, m)) is not None:
            yield _point(m, m.span(), y, month=_month_number(m["mon"]), day=int(m["day"]))


def _day_month_year(text):
    pat = re.compile(_weekday_re() + _day_re("") + r"\s+(?:of\s+)?" + _month_re("") + r",?\s+(?:of\s+)?" + _year_re("", digits="3,4"))
    for m in pat.finditer(text):
        if (y := _full_year(text, m)) is not None:
            yield _point(m, m.span(), y, month=_month_number(m["mon"]), day=int(m["day"]))


def _month_year(text):
    part = r"(?:(?P<part>[Ee]arly|[Mm]id|[Ll]ate)[\s-]+)?"
    pat = re.compile(part + _month_re("") + r",?\s+(?:of\s+)?" + _year_re(""))
    for m in pat.finditer(text):
        if (y := _full_year(text, m)) is not None:
            yield _point(m, m.span(), y, month=_month_number(m["mon"]), part=_part(m["part"]))


def _month_day(text):
    """Partial dates: "December 11", "11 December", "the 11th of December" (year from context)."""
    no_year = r"(?!,?\s*(?:of\s+)?(?:\d|['’]\d|A\.?D))"
    for pat in (_month_re("") + r"\s+" + _day_re("") + no_year,
                _day_re("") + r"\s+(?:of\s+)?" + _month_re("") + no_year):
        for m in re.finditer(pat, text):
            yield Atom(*m.span(), kind="point", month=_month_number(m["mon"]), day=int(m["day"]),
                       forward=forward_cue(text, m.start()))


_MONTH_PREPS = r"(?:in|on|by|until|till|since|during|through|throughout|before|after|from|of|around)"


def _month_alone(text):
    """A month with no day or year after a preposition: "in December", "by early May"."""
    pat = re.compile(rf"(?:\b{_MONTH_PREPS}\s+(?:the\s+)?|(?<![\w-]))(?P<part>(?:(?<=\s)|(?<=^))(?:[Ee]arly|[Mm]id|[Ll]ate)[\s-]+)?"
                     + _month_re("") + r"(?!\s*,?\s*(?:\d|of\s+\d|['’]\d))")
    for m in pat.finditer(text):
        before = text[max(0, m.start("mon") - 20):m.start("mon")]
        has_prep = re.search(rf"\b{_MONTH_PREPS}\s+(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?$", before, re.I)
        if not (has_prep or m["part"]):
            continue
        start = m.start("part") if m["part"] else m.start("mon")
        yield Atom(start, m.end(), kind="point", month=_month_number(m["mon"]),
                   part=m["part"].strip(" -").lower() if m["part"] else None, forward=forward_cue(text, start))


def _season_year(text):
    seasons = words()["seasons"]
    names = _alt(list(seasons) + [s.capitalize() for s in seasons])
    pat = re.compile(rf"(?:(?:[Ee]arly|[Ll]ate)\s+)?(?P<season>{names})\s+(?:of\s+)?" + _year_re("")
                     + r"(?:\s*[–—/-]\s*(?P<next>\d{2}|\d{4})(?![\w]))?")
    for m in pat.finditer(text):
        if (y := _full_year(text, m)) is None:
            continue
        season = seasons[m["season"].lower()]
        end = m.end()
        if m["next"]:
            nxt = int(m["next"]) if len(m["next"]) == 4 else (y.value // 100) * 100 + int(m["next"])
            if season["code"] != 24 or y.two_digit or nxt != y.value + 1:
                end = m.end("yc") if m["yc"] else m.start("next") - 1
                end = len(text[:end].rstrip(" –—/-"))
        yield _point(m, (m.start(), end), y, season=season["code"])


def _holiday_year(text):
    holidays = words()["holidays"]
    pat = re.compile(rf"(?P<h>{_alt(holidays)}),?\s+(?:of\s+)?" + _year_re("", digits="3,4"))
    for m in pat.finditer(text):
        if (y := _full_year(text, m)) is not None:
            month, day = (int(x) for x in holidays[m["h"]].split("-"))
            yield _point(m, m.span(), y, month=month, day=day)


_APPROX = r"(?:(?P<approx>(?i:circa|ca\.|ca|c\.|c|about|around|approximately|roughly))\s*)?"
_YEAR_PART = r"(?:(?P<part>[Ee]arly|[Mm]id|[Ll]ate)[\s-]+)?"


def _year(text):
    """Years on their own, with era, approximation and early/mid/late: "1941", "c. 44 BC", "mid-1942"."""
    pat = re.compile(r"(?<![\w])" + _APPROX + _YEAR_PART + _year_re(""))
    for m in pat.finditer(text):
        y = _year_of(m, "")
        if y is None or (y.bare and not bare_year_ok(text, y.start, y.end)):
            continue
        if y.two_digit and not (m["approx"] or m["part"] or re.search(r"\b(?:in|of|since|until|by)\s*$", text[max(0, m.start() - 8):m.start()])):
            continue  # "'44" only where a year is expected
        approx = m["approx"]
        if approx and approx.lower() in ("c", "ca") and not re.match(r"\s", text[m.end("approx"):]):
            continue
        yield _point(m, m.span(), y, approx=bool(approx), part=m["part"].lower() if m["part"] else None)
    # "the year 476", "in 793": a three-digit bare year where the text calls for a year
    for m in re.finditer(r"(?:(?<=\byear\s)|(?<=\b[Ii]n\s)|(?<=\b[Ss]ince\s)|(?<=\b[Uu]ntil\s))(?P<y>\d{3,4})(?![\w]|[.,]\d)", text):
        if not 100 <= int(m["y"]) <= BARE_YEAR_MAX or not bare_year_ok(text, m.start(), m.end()):
            continue
        yield Atom(*m.span(), kind="point", year=int(m["y"]))
    # "by 845": a deadline year, but "grew by 300", "by 150 to 200" are amounts, so only where a
    # clause boundary or a clause's first word follows, and no word of change or measure comes
    # among the three words before "by"
    for m in re.finditer(r"(?<=\b[Bb]y\s)(?P<y>\d{3})(?=\s*(?:[,.;:!?)]|$|\s+(?:the|when|he|she|they|it|we|I|his|her|their)\b))", text):
        if int(m["y"]) < 100 or not bare_year_ok(text, m.start(), m.end()):
            continue
        lead = re.findall(r"[A-Za-z]+", text[max(0, m.start() - 40):m.start() - 3])[-3:]
        if any(w.lower() in words()["not_year"]["before_by"] for w in lead):
            continue  # "outnumbered them by 500"
        yield Atom(*m.span(), kind="point", year=int(m["y"]))


def _span_atom(start, end, lo, hi, precision, part, two_digit=False):
    if part:
        first, last = words()["parts"][precision][part]
        lo, hi = lo + first, lo + last
    return Atom(start, end, kind="span", lo=lo, hi=hi, precision=precision, part=part, two_digit=two_digit)


_SPAN_PART = r"(?:(?P<part>(?i:early|mid|late|middle of the|first half of the|second half of the))[\s-]+)?"


def _decade(text):
    """ "the 1930s", "the '30s", "mid-1800s" (a century), "the 490s BC", "the early forties"."""
    pat = re.compile(r"(?<![\w])" + _SPAN_PART
                     + rf"(?:(?P<d>\d{{2,3}}0)['’]?s(?:\s?(?P<era>{_BC}|{_AD}))?|['’](?P<dd>\d0)['’]?s)(?![\w])")
    for m in pat.finditer(text):
        part = _part(m["part"])
        if m["dd"]:
            yield _span_atom(m.start(), m.end(), int(m["dd"]), int(m["dd"]) + 9, "decade", part, two_digit=True)
            continue
        d, era = int(m["d"]), m["era"]
        if era is None and not (BARE_YEAR_MIN <= d <= BARE_YEAR_MAX):
            continue
        if _count_or_unit_after(text, m.end()):
            continue
        bc = bool(era and era.startswith("B"))
        if d % 100 == 0 and d != 2000 and d >= 100:  # "the 1800s" is a century; "the 2000s" a decade
            lo, hi = (1 - (d + 99), 1 - d) if bc else (d, d + 99)
            yield _span_atom(m.start(), m.end(), lo, hi, "century", part)
        else:
            lo, hi = (1 - (d + 9), 1 - d) if bc else (d, d + 9)
            yield _span_atom(m.start(), m.end(), lo, hi, "decade", part)
    # "the 60s", "the early 60's": two digits without an apostrophe only after "the", and not
    # where the text speaks of temperatures or ages ("in the low 60s" never matches: "the" must be next)
    pat = re.compile(r"(?<=\b[Tt]he\s)(?:(?P<part>(?i:early|mid|late))[\s-]+)?(?P<dd>[1-9]0)['’]?s(?![\w'’])")
    for m in pat.finditer(text):
        if _count_or_unit_after(text, m.end()) or _TEMPERATURE.search(text[max(0, m.start() - 60):m.end() + 20]):
            continue
        yield _span_atom(m.start(), m.end(), int(m["dd"]), int(m["dd"]) + 9, "decade", _part(m["part"]), two_digit=True)
    # "the Sixties", "the 'sixties" (century from context), "the nineteen-sixties" (century named)
    spelled, centuries = words()["spelled_decades"], words()["spelled_centuries"]
    pat = re.compile(rf"(?<=\b[Tt]he\s)(?:(?P<part>(?i:early|mid|late))[\s-]+)?"
                     rf"(?P<w>(?:Roaring\s+)?(?:(?P<c>(?i:{_alt(centuries)}))[\s-]|['’])?(?i:{_alt(spelled)}))(?![\w])")
    for m in re.finditer(pat, text):
        d = spelled[re.split(r"[\s'’-]", m["w"])[-1].lower()]
        if m["c"]:
            d += centuries[m["c"].lower()]
        start = m.start("w") if m["part"] is None else m.start()
        yield _span_atom(start, m.end(), d, d + 9, "decade", _part(m["part"]), two_digit=not m["c"])


_TEMPERATURE = re.compile(r"temperature|degrees|°|thermometer|mercury|fahrenheit|celsius|\bweather\b|\bhighs?\b|\blows?\b"
                          r"|\bage[ds]?\b|\byears?\s+old\b", re.I)  # and ages: "men in the 40s age group"


def _part(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.lower()
    for key in ("first half", "second half", "early", "late"):
        if raw.startswith(key):
            return key
    return "mid"


def _century(text):
    """ "the 19th century", "18th-century", "the fifth century BC", "the 18th and 19th centuries"."""
    ordinals = words()["ordinals"]
    number = rf"(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>(?i:{_alt(ordinals)})))"
    tail = rf"(?:(?P<tail>[\s-]+(?i:centur(?:y|ies)))(?:\s?(?P<era>{_BC}|{_AD}))?(?![\w])"
    ahead = rf"|(?=\s+(?:and|or|to|through|until)\s+(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)|(?i:{_alt(ordinals)}))[\s-]+(?i:centur)))"
    pat = re.compile(r"(?<![\w-])" + _SPAN_PART + number + tail + ahead)
    for m in pat.finditer(text):
        n = int(m["n"]) if m["n"] else ordinals[m["w"].lower()]
        if not 1 <= n <= 21:
            continue
        era = m["era"]
        if m["tail"] is None:  # "the 5th and 4th centuries BC": the first takes the era that follows
            follow = re.match(rf"[^.;]{{0,40}}?centur(?:y|ies)(?:\s?(?P<era>{_BC}|{_AD})(?![A-Za-z]))?", text[m.end():], re.I)
            era = follow["era"] if follow else None
        if era and era.upper().startswith("B"):
            lo, hi = -(n * 100 - 1), -((n - 1) * 100)
        else:
            lo, hi = (n - 1) * 100, (n - 1) * 100 + 99
            if n == 1:
                lo = 1
        yield _span_atom(m.start(), m.end(), lo, hi, "century", _part(m["part"]))


def _short_year_range(text):
    """ "1939–45", "1941/42", "1914-18": a four-digit year and the last two digits of a later one."""
    pat = re.compile(r"(?:(?P<lead>(?i:from|between))\s+)?(?<![\w$£€#.,/-])(?P<a>\d{4})\s?[–—/-]\s?(?P<b>\d{2})(?![\w–—-]|[.,]\d)")
    for m in pat.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if not BARE_YEAR_MIN <= a <= BARE_YEAR_MAX or not bare_year_ok(text, m.start("a"), m.end()):
            continue
        century = a // 100 * 100
        right = century + b if b > a % 100 else (century + 100 + b if a % 100 >= 90 else None)
        if right is None:
            continue
        left_atom = Atom(m.start("a"), m.end("a"), kind="point", year=a)
        right_atom = Atom(m.start("b"), m.end("b"), kind="point", year=right)
        yield Atom(m.start(), m.end(), kind="range", left=left_atom, right=right_atom)


def _day_range(text):
    """ "April 13–15, 1941", "13–15 April 1941"."""
    dash = r"\s?(?:[–—-]|to)\s?"
    pats = (_month_re("") + r"\s+" + _day_re("a") + dash + _day_re("b") + r",?\s+" + _year_re(""),
            _day_re("a") + dash + _day_re("b") + r"\s+" + _month_re("") + r",?\s+" + _year_re(""))
    for pat in pats:
        for m in re.finditer(pat, text):
            if (y := _full_year(text, m)) is None:
                continue
            month = _month_number(m["mon"])
            left = Atom(m.start(), m.end("daya"), kind="point", year=y.value, two_digit=y.two_digit, month=month, day=int(m["daya"]))
            right = replace(left, start=m.start("dayb"), end=m.end(), day=int(m["dayb"]))
            yield Atom(*m.span(), kind="range", left=left, right=right)


def _month_range(text):
    """ "from April to June 1944", "between May and July 1940", "April–June 1944"."""
    pat = re.compile(r"(?:(?i:from)\s+" + _month_re("a") + r"\s+(?:to|until|till|through)\s+|(?i:between)\s+" + _month_re("d")
                     + r"\s+and\s+|" + _month_re("c") + r"\s?[–—-]\s?)" + _month_re("b") + r",?\s+(?:of\s+)?" + _year_re(""))
    for m in pat.finditer(text):
        if (y := _full_year(text, m)) is None:
            continue
        tag = "a" if m["mona"] else "d" if m["mond"] else "c"
        first = m[f"mon{tag}"]
        left = Atom(m.start(), m.end(f"mon{tag}"), kind="point",
                    year=y.value, two_digit=y.two_digit, month=_month_number(first))
        right = Atom(m.start("monb"), m.end(), kind="point", year=y.value, two_digit=y.two_digit, month=_month_number(m["monb"]))
        if right.month < left.month:
            left = replace(left, year=y.value - 1)
        yield Atom(*m.span(), kind="range", left=left, right=right)


def _era_range(text):
    """ "218–201 BC", "from 264 to 146 BC": the era after the second year applies to both."""
    pat = re.compile(r"(?:(?P<lead>(?i:from|between))\s+)?(?<![\w$£€#.,-])(?P<a>\d{1,4})\s?(?:[–—-]|\s(?:to|and|until)\s)\s?(?P<b>\d{1,4})\s?"
                     rf"(?P<era>{_BC}|{_AD})(?![A-Za-z])")
    for m in pat.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        if a == 0 or b == 0:
            continue
        bc = m["era"].upper().startswith("B")
        ya, yb = (1 - a, 1 - b) if bc else (a, b)
        if ya > yb or bool(m["lead"] and m["lead"].lower() == "between") != (" and " in m.group(0)):
            continue
        left = Atom(m.start("a"), m.end("a"), kind="point", year=ya)
        right = Atom(m.start("b"), m.end(), kind="point", year=yb)
        yield Atom(*m.span(), kind="range", left=left, right=right)


_UNITS = {"day": "day", "morning": "day", "afternoon": "day", "evening": "day", "night": "day",
          "week": "week", "month": "month", "year": "year", "decade": "decade"}


def _anaphora(text):
    """ "the same day", "that year", "the following month", "the day before", "two years later"."""
    seasons = words()["seasons"]
    unit = r"(?P<u>day|morning|afternoon|evening|night|month|year)"
    season = rf"(?P<s>{_alt(seasons)})"
    flags = re.I
    for m in re.finditer(rf"\b(?:(?:later|earlier)\s+(?:in\s+)?)?(?:the|that)\s+(?:very\s+)?same\s+{unit}\b", text, flags):
        yield Atom(*m.span(), kind="anaphor", unit=_UNITS[m["u"].lower()], offset=0)
    for m in re.finditer(rf"\b(?:(?:later|earlier)\s+(?:in\s+)?)?that\s+(?:very\s+)?(?:{unit}|{season})\b(?!['’]s?\s)", text, flags):
        if m["s"]:
            yield Atom(*m.span(), kind="anaphor", unit="season", season=seasons[m["s"].lower()]["code"], offset=0)
        else:
            yield Atom(*m.span(), kind="anaphor", unit=_UNITS[m["u"].lower()], offset=0)
    for m in re.finditer(rf"\bthe\s+(?P<dir>following|next|succeeding|subsequent|previous|preceding|prior)\s+(?:{unit}|{season})\b", text, flags):
        offset = 1 if m["dir"].lower() in ("following", "next", "succeeding", "subsequent") else -1
        if m["s"]:
            yield Atom(*m.span(), kind="anaphor", unit="season", season=seasons[m["s"].lower()]["code"], offset=offset)
        else:
            yield Atom(*m.span(), kind="anaphor", unit=_UNITS[m["u"].lower()], offset=offset)
    for m in re.finditer(rf"\bthe\s+{unit}\s+(?P<dir>before|after|earlier|later)(?=\s*(?:[,.;:!?)]|$))", text, flags):
        offset = 1 if m["dir"].lower() in ("after", "later") else -1
        yield Atom(*m.span(), kind="anaphor", unit=_UNITS[m["u"].lower()], offset=offset)
    month = _month_re("")
    for m in re.finditer(rf"\b(?:(?P<that>[Tt]hat)|[Tt]he\s+(?P<dir>following|next|previous|preceding))\s+{month}(?!\s*,?\s*\d)", text):
        offset = 0 if m["that"] else (1 if m["dir"] in ("following", "next") else -1)
        yield Atom(*m.span(), kind="anaphor", unit="named_month", month=_month_number(m["mon"]), offset=offset)
    # "until the 26th", "on the 6th the Allies landed": a day of the month last mentioned, only after
    # a preposition and before punctuation or a clause's first word (not "the 6th Army", "the 6th of")
    clause = r"(?:the|a|an|he|she|it|they|we|I|his|her|its|their|our|this|that|these|those|there)"
    for m in re.finditer(r"\b(?:on|until|till|by|since|before|after|from|through)\s+the\s+(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)"
                         rf"(?=\s*(?:[,.;:!?)]|$)|\s+(?-i:{clause})\b)", text, flags):
        yield Atom(m.start("d"), m.end(), kind="anaphor", unit="day_of_month", day=int(m["d"]))
    numbers = words()["numbers"]
    num = rf"(?P<n>\d{{1,3}}|{_alt(numbers)})"
    pat = rf"\b{num}\s+(?P<u>day|week|month|year|decade)s?\s+(?:(?P<dir>later|earlier|afterwards?|previously)\b|(?P<dir2>before|after)(?=\s*(?:[,.;:!?)]|$)))"
    for m in re.finditer(pat, text, flags):
        n = int(m["n"]) if m["n"].isdigit() else numbers[m["n"].lower()]
        direction = (m["dir"] or m["dir2"]).lower()
        sign = -1 if direction in ("earlier", "previously", "before") else 1
        yield Atom(*m.span(), kind="anaphor", unit=m["u"].lower(), offset=sign * n)


def _deictic(text):
    """Relative to the time of writing: "today", "last year", "two years ago", "on Tuesday"."""
    flags = re.I
    for m in re.finditer(r"\b(?P<w>today|yesterday|tomorrow)\b", text, flags):
        yield Atom(*m.span(), kind="deictic", unit="day", offset={"today": 0, "yesterday": -1, "tomorrow": 1}[m["w"].lower()])
    owner = r"(?<!\bhis\s)(?<!\bher\s)(?<!\bits\s)(?<!\btheir\s)(?<!\bthe\s)(?<!\bour\s)(?<!\bmy\s)(?<!\byour\s)(?<!\bwhose\s)(?<!\ba\s)"
    for m in re.finditer(owner + r"\b(?P<d>this|last|next|past)\s+(?P<u>week|month|year|decade|century)\b", text, flags):
        offset = {"this": 0, "last": -1, "past": -1, "next": 1}[m["d"].lower()]
        yield Atom(*m.span(), kind="deictic", unit=m["u"].lower(), offset=offset)
    numbers = words()["numbers"]
    num = rf"(?P<n>\d{{1,4}}|{_alt(numbers)})"
    for m in re.finditer(rf"\b{num}\s+(?P<u>day|week|month|year|decade|centur(?:y|ie))s?\s+ago\b", text, flags):
        n = int(m["n"]) if m["n"].isdigit() else numbers[m["n"].lower()]
        u = m["u"].lower()
        yield Atom(*m.span(), kind="deictic", unit="century" if u.startswith("centur") else u, offset=-n)
    weekdays = words()["weekdays"]
    events = words()["event_weekdays"]["before"]
    for m in re.finditer(rf"(?:\b(?P<d>(?i:last|next|this|on))\s+)?(?P<w>{_alt(weekdays)})\b(?!,?\s+(?:the\s+)?\d|,?\s+{_month_re('')})", text):
        before = _WORD_BEFORE.search(text[max(0, m.start() - 20):m.start()])
        if before and before.group(1).lower() in events:
            continue
        mode = (m["d"] or "on").lower()
        start = m.start() if mode in ("last", "next", "this") else m.start("w")
        yield Atom(start, m.end(), kind="deictic", unit="weekday", weekday=weekdays[m["w"]], offset={"last": -1, "next": 1, "this": 0}.get(mode, -2))


FINDERS = (_iso, _slashed, _month_day_year, _day_month_year, _month_year, _month_day, _month_alone, _season_year,
           _holiday_year, _year, _decade, _century, _short_year_range, _day_range, _month_range, _era_range,
           _anaphora, _deictic)


def find_atoms(text: str) -> list[Atom]:
    """Every date expression in ``text``, longest first where they overlap, in text order."""
    candidates = [atom for finder in FINDERS for atom in finder(text)]
    candidates.sort(key=lambda a: (-a.length, a.start, FINDERS_ORDER.get(a.kind, 9)))
    taken: list[Atom] = []
    occupied = bytearray(len(text))
    for atom in candidates:
        if occupied.find(1, atom.start, atom.end) == -1:
            taken.append(atom)
            occupied[atom.start:atom.end] = b"\x01" * atom.length
    return merge_ranges(text, sorted(taken, key=lambda a: a.start))


FINDERS_ORDER = {"range": 0, "point": 1, "span": 2, "anaphor": 3, "deictic": 4}

_CONNECTOR = re.compile(r"^,?\s*(?P<c>–|—|-|/|to|through|thru|until|till|and)\s*(?:the\s+)?$", re.I)
_LEAD = re.compile(r"\b(?P<lead>from|between)\s+(?:the\s+)?$", re.I)


def merge_ranges(text: str, atoms: list[Atom]) -> list[Atom]:
    """Join "A to B", "from A to B", "between A and B", "A–B" into one range atom."""
    out: list[Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms) and a.kind in ("point", "span") and atoms[i + 1].kind in ("point", "span"):
            b = atoms[i + 1]
            conn = _CONNECTOR.match(text[a.end:b.start])
            lead = _LEAD.search(text[max(0, a.start - 20):a.start])
            word = conn["c"].lower() if conn else ""
            ok = conn and (word != "and" or (lead and lead["lead"].lower() == "between"))
            if word in ("to", "until", "till", "through", "thru") and not lead and a.kind == "point" and a.year is None:
                ok = False
            if ok:
                start = max(0, a.start - 20) + lead.start("lead") if lead else a.start
                out.append(Atom(start, b.end, kind="range", left=a, right=b))
                i += 2
                continue
        out.append(a)
        i += 1
    return out
