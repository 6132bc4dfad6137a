"""mrhistory.date_patterns: the grammar finds each form, and runs in linear time on hostile input."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from mrhistory.date_patterns import find_atoms

# Each input is about 40 kB and aimed at one pattern: long runs the old grammar backtracked over
# ("in January" + 16,000 spaces took 11 s, + 40,000 took 34 s; "that April" + 40,000 took 39 s), and
# repeated near-misses. A linear grammar reads all of them in about a second; the old one needed
# over two minutes.
ADVERSARIAL = {
    "spaces": " " * 40000,
    "month then spaces": "in January" + " " * 40000 + "x",
    "month, comma, spaces": "by early May," + " " * 40000 + "1",
    "anaphor then spaces": "that April" + " " * 40000 + "x",
    "preposition, month, spaces": "since March" + " " * 40000 + "1",
    "letters": "a" * 40000,
    "digits": "1" * 40000,
    "digits and spaces": "19 " * 13000,
    "months": "January " * 5000,
    "months with prepositions": "in January, " * 3300,
    "days and months": "May 3 and " * 4000,
    "dashes after years": "1941-" * 8000,
    "decades after the": "the 60s " * 5000,
    "ordinals before centuries": "the 18th and " * 3000 + "centuries",
    "ordinal days": "on the 5th " * 3600,
    "apostrophes": "'" * 40000,
    "by": "by " * 13000,
    "counts later": "two years later " * 2500,
    "weekdays": "on Monday, " * 3600,
    "full stops": "." * 40000,
    "seasons": "in the spring " * 2800,
    "clock times": "3:00 a.m. " * 4000,
    "slashes": "12/7/" * 8000,
    "newlines": "\n" * 40000,
    "mixed prose": "In December 1941, by early January 1942 the 6th, on the 7th and 8th, the following day; c. 1850s BC " * 400,
}

_PROBE = textwrap.dedent("""
    import json, sys, time
    from mrhistory.dates import extract_dates
    cases = json.loads(sys.stdin.read())
    out = {}
    for name, text in cases.items():
        start = time.perf_counter()
        out[name] = [len(extract_dates(text)), round(time.perf_counter() - start, 3)]
    print(json.dumps(out))
""")


def test_hostile_inputs_finish_in_linear_time():
    """Run every input in a fresh process with a generous overall limit: a hang or a quadratic
    pattern fails (the old grammar needed 34 s for "month then spaces" alone); no per-input timing is
    asserted, and the limit is some 40 times a normal run, so a busy machine cannot make it flake."""
    env = dict(os.environ)
    done = subprocess.run([sys.executable, "-c", _PROBE], input=json.dumps(ADVERSARIAL), capture_output=True,
                          text=True, timeout=60, env=env, check=True)
    found = json.loads(done.stdout)
    assert set(found) == set(ADVERSARIAL)
    assert found["spaces"][0] == found["letters"][0] == found["month then spaces"][0] == 0
    assert found["dashes after years"][0] == 4000  # "1941-1941" pairs: every year is still read
    assert found["mixed prose"][0] > 400


def _kinds(text):
    return [(text[a.start:a.end], a.kind) for a in find_atoms(text)]


def test_day_lists_and_partial_ranges_share_their_month():
    atoms = find_atoms("The bridges were blown on May 3, 4 and 6, 1915, and again 10–12 June.")
    days = [(a.month, a.day, a.year) for a in atoms if a.kind == "point"]
    assert days == [(5, 3, 1915), (5, 4, 1915), (5, 6, 1915)]
    ranged = [a for a in atoms if a.kind == "range"]
    assert [(r.left.day, r.right.day, r.left.month, r.left.year) for r in ranged] == [(10, 12, 6, None)]


def test_months_and_seasons_listed_before_a_year_take_it():
    atoms = find_atoms("Raids came in February and March 1916, and again in the spring and summer of 1917.")
    assert [(a.month, a.season, a.year) for a in atoms] == [(2, None, 1916), (3, None, 1916), (None, 21, 1917), (None, 22, 1917)]


def test_era_lists_and_ranges():
    assert [(a.kind, a.year) for a in find_atoms("in 431 and 430 BC")] == [("point", -430), ("point", -429)]
    assert [a.kind for a in find_atoms("from 431 to 404 BC")] == ["range"]


def test_words_that_are_not_dates():
    for text in ("Hill 1863 lists 1500 names.", "She wanted to spring the trap.", "the fall of Rome", "Prague Spring",
                 "the Winter War began", "He read the March to the Sea report.", "Jan Smuts spoke.",
                 "a 3:16 verse", "John 3:16"):
        assert _kinds(text) == [], text
