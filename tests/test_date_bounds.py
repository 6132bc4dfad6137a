"""mrhistory.date_bounds: the resolver's own day bounds, checked against the ``edtf`` package.

The date pass computes ``earliest``/``latest`` with the value instead of parsing the EDTF it
writes; here every EDTF string it produces on the gold table, the WikiWars articles and the
development columns is parsed with ``edtf``, and its bounds must equal the resolver's wherever
``edtf`` reads the form the same way (seasons it bounds differently: winter is December only).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from edtf import parse_edtf

from mrhistory.date_bounds import approximate, day_bounds, iso, last_day, month_bounds, season_bounds, valid_day, year_bounds
from mrhistory.dates import dates_table, extract_dates

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))
from benchmarks.dates_wikiwars import read_folder  # noqa: E402

SEASON = re.compile(r"(?:^|/)-?\d{4}-2[1-4](?:/|$)")


def test_calendar_arithmetic():
    assert last_day(1900, 2) == 28 and last_day(2000, 2) == 29 and last_day(0, 2) == 29  # 1 BC is a leap year
    assert not valid_day(1941, 2, 29) and valid_day(1944, 2, 29) and not valid_day(1941, 13, 1)
    assert year_bounds(-43) == ((-43, 1, 1), (-43, 12, 31))
    assert month_bounds(1942, 5, 8) == ((1942, 5, 1), (1942, 8, 31))
    assert day_bounds(1941, 2, 21, 31) == ((1941, 2, 21), (1941, 2, 28))
    assert season_bounds(1943, 24) == ((1943, 12, 1), (1944, 2, 29))
    assert approximate(year_bounds(1850)) == ((1849, 1, 1), (1851, 12, 31))
    assert iso((-43, 3, 15)) == "-0043-03-15" and iso((476, 9, 4)) == "0476-09-04"


def _gold_sentences():
    sys.path.insert(0, str(HERE))
    from test_dates import load_gold

    return [(row["sentence"], row["ref"]) for row in load_gold()]


def _development_columns():
    from mrhistory.read import read_corpus
    from tools.synthetic import synthetic_columns

    frames = [synthetic_columns(64, extra_words=300)]
    for folder in ("heldout_columns", "blind_columns", "blind2_columns", "wikiwars_columns"):
        frames.append(read_corpus(HERE / "data" / folder, echo=lambda line: None).columns)
    return frames


@pytest.fixture(scope="module")
def produced():
    rows = []
    for sentence, ref in _gold_sentences():
        rows += extract_dates(sentence, reference=ref)[["edtf", "earliest", "latest"]].values.tolist()
    for article in read_folder(HERE / "data" / "wikiwars-dev"):
        rows += extract_dates(article.text, reference=article.dct)[["edtf", "earliest", "latest"]].values.tolist()
    for columns in _development_columns():
        rows += dates_table(columns)[["edtf", "earliest", "latest"]].values.tolist()
    return sorted({tuple(r) for r in rows})  # each distinct value once: edtf's parser is slow


def _day(struct) -> str:
    return iso((struct.tm_year, struct.tm_mon, struct.tm_mday))


def test_every_edtf_is_valid_and_its_bounds_are_the_resolvers(produced):
    assert len(produced) > 800
    checked = 0
    for edtf, earliest, latest in produced:
        parsed = parse_edtf(edtf)  # raises on anything that is not EDTF
        if SEASON.search(edtf):
            continue  # edtf bounds a winter as December alone; the toolkit uses its data file's seasons
        assert (_day(parsed.lower_fuzzy()), _day(parsed.upper_fuzzy())) == (earliest, latest), edtf
        checked += 1
    assert checked > 0.9 * len(produced)


def test_forms_new_in_this_release_are_valid_edtf():
    for text, edtf in [("the 2nd millennium BC", "-1XXX"), ("the 60s BC", "-0068/-0059"), ("mid-1942", "1942-05/1942-08"),
                       ("In July 1863 the siege began. Three days later it rained.", "1863-07-04/1863-08-03")]:
        df = extract_dates(text)
        assert edtf in df["edtf"].tolist(), text
        parse_edtf(edtf)
