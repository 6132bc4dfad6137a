"""mrhistory.date_anchoring: the year a month, day or season without one takes from the story."""
from __future__ import annotations

import datetime as dt

from mrhistory.date_anchoring import BACK, FORWARD, NO_CUE, NO_ROLL, Mark, asides, place
from mrhistory.date_bounds import month_bounds, season_bounds
from mrhistory.dates import extract_dates


def _found(text, **kw) -> list[tuple]:
    df = extract_dates(text, **kw)
    return list(zip(df["text"], df["edtf"]))


def _month(m):
    return lambda y: month_bounds(y, m)


# --- the placing rule on its own ------------------------------------------------------------------

def test_place_goes_forward_when_nearer_and_stays_otherwise():
    december_1941 = month_bounds(1941, 12)
    assert place(_month(1), 1941, december_1941, NO_CUE, None) == 1942
    assert place(_month(1), 1945, month_bounds(1945, 5), NO_CUE, None) == 1945
    assert place(_month(10), 1945, month_bounds(1945, 3), NO_CUE, None) == 1945  # forward in the same year


def test_place_honours_cues():
    may_1945 = month_bounds(1945, 5)
    assert place(_month(2), 1945, may_1945, FORWARD, None) == 1946  # "by February"
    assert place(_month(11), 1945, may_1945, BACK, None) == 1944  # "since November"
    assert place(_month(1), 1941, month_bounds(1941, 12), NO_ROLL, None) == 1941  # "had … in January"


def test_place_with_a_year_alone():
    assert place(_month(3), 1870, None, FORWARD, None) == 1870
    assert place(_month(1), 1870, None, FORWARD, None, first_month=True) == 1871  # "1870 … by January"
    assert place(lambda y: season_bounds(y, 24), 1905, None, NO_CUE, None) == 1904  # that year's Jan–Feb winter


def test_the_next_date_named_bounds_the_story():
    # "by March" after May 3, 1945 would roll to 1946, but the text next names August 1945
    assert place(_month(3), 1945, month_bounds(1945, 5), FORWARD, month_bounds(1945, 8)) == 1945
    # and a date named later in the same sentence fixes the year of a season that holds it
    summer = lambda y: season_bounds(y, 22)  # noqa: E731
    assert place(summer, 1943, month_bounds(1943, 4), NO_CUE, None, confirm=month_bounds(1942, 6)) == 1942


def test_an_aside_is_far_outside_the_dates_around_it():
    text = "Troops landed on 2 March 1916. A report written in 1957 doubted it. They withdrew on 9 March 1916."
    marks = [Mark(0, text.index("2 March"), ((1916, 3, 2), (1916, 3, 2))),
             Mark(1, text.index("1957"), ((1957, 1, 1), (1957, 12, 31))),
             Mark(2, text.index("9 March"), ((1916, 3, 9), (1916, 3, 9)))]
    assert asides(text, marks) == {1}
    opening = "Troops landed on 2 March 1916. In 1957, a report doubted it. They withdrew on 9 March 1916."
    marks[1] = Mark(1, opening.index("1957"), marks[1].bounds)
    assert asides(opening, marks) == set()  # a date that opens its sentence sets a scene


# --- narrative anchoring, end to end (fresh sentences) ---------------------------------------------

def test_the_story_rolls_forward_into_the_next_year():
    assert _found("Japan struck in December 1941. In January the Allies agreed on a unified command.")[1] == ("January", "1942-01")
    assert _found("The siege closed in November 1870; by early January the city starved.")[1] == \
        ("early January", "1871-01-01/1871-01-10")
    assert _found("The fleet sailed in October 1588, and in February the last ships limped home.")[1] == ("February", "1589-02")


def test_tense_and_cues_look_back():
    assert _found("The war ended in May 1945. In January, the dictator had still hoped for a miracle.")[1] == ("January", "1945-01")
    assert _found("The garrison held out in May 1940. Since March, its commander had been ill.")[1] == ("March", "1940-03")
    assert _found("Antietam was fought in September 1862; the previous April, Shiloh had shocked the North.")[1] == \
        ("the previous April", "1862-04")


def test_a_passing_mention_of_another_era_is_no_anchor():
    text = ("The Red Army reached the Vistula in August 1920, as the Grande Armée had in 1812. "
            "On 6 September it fell back, and the war ended in October 1920.")
    assert ("6 September", "1920-09-06") in _found(text)
    text = ("The destroyers were attacked on 2 August 1964. A study published in 2005 found that no attack "
            "took place on 4 August. Congress voted on 7 August 1964.")
    assert ("4 August", "1964-08-04") in _found(text)
    # a look-back and a date of the time of writing do not move the story either
    assert _found("The treaty was signed on June 28, 1919. Five years earlier the war had begun. On July 1 it took effect.")[-1] == \
        ("July 1", "1919-07-01")


def test_seasons_without_a_year_are_placed_like_months():
    assert _found("The regiment was raised in March 1862 and fought through the summer.")[1] == ("summer", "1862-22")
    assert _found("The convoy sailed in January 1943; during the winter the escorts lost six ships.")[1] == ("winter", "1942-24")
    assert _found("Sherman took Atlanta in September 1864 and spent the winter marching to the sea.")[1] == ("winter", "1864-24")
    assert _found("They planned a spring offensive.") == []  # no story to place it in


def test_days_in_lists_and_ranges_share_month_and_year():
    assert _found("The armies clashed on May 3 and 5, 1863, near the river.") == [("May 3", "1863-05-03"), ("5, 1863", "1863-05-05")]
    assert _found("The offensive opened in January 1905, and the decisive battle lasted January 25–29.")[1] == \
        ("January 25–29", "1905-01-25/1905-01-29")
    assert _found("In April and June 1955, the government purged the sects.") == [("April", "1955-04"), ("June 1955", "1955-06")]
    assert _found("The fleet left port on June 14, 1944; by the 20th it was off the island.")[1] == ("20th", "1944-06-20")
    assert _found("Paris was freed in August 1944, and on the 28th of that month the general paraded.")[1] == \
        ("28th of that month", "1944-08-28")
    assert _found("The ships sailed on July 2, 1915; on the 9th and 10th they bombarded the forts.")[1:] == \
        [("9th", "1915-07-09"), ("10th", "1915-07-10")]


def test_event_anchored_expressions_resolve_from_a_date_in_the_text():
    assert _found("The fort surrendered on April 13, 1861, and the garrison sailed the day following.")[1] == \
        ("the day following", "1861-04-14")
    assert _found("Gettysburg was fought on July 1–3, 1863. Three days later the rain began.")[1] == \
        ("Three days later", "1863-07-04/1863-07-06")
    assert _found("In the spring of 1862 the fleet gathered; three weeks later it sailed.")[1] == \
        ("three weeks later", "1862-03-22/1862-06-21")
    assert _found("The siege began in November 1914; by Christmas the trenches were flooded.")[1] == ("Christmas", "1914-12-25")
    assert _found("Grant arrived on March 9, 1864. The next day he met Meade.")[1] == ("The next day", "1864-03-10")
    # without a date to count from, or anchored on an event the text does not date, they are left out
    for text in ("Three days later the rain began.", "On D-Day the weather cleared over the beaches.",
                 "The fort fell eight days after the bombardment."):
        assert _found(text) == [], text


def test_times_of_day_keep_their_date():
    assert _found("On June 6, 1944, at 6:30 a.m., the first wave touched down.")[1] == ("6:30 a.m.", "1944-06-06")
    assert _found("At 4:45 a.m. on September 1, 1939 the old battleship opened fire.")[0] == ("4:45 a.m.", "1939-09-01")


def test_weekdays_follow_the_story_or_the_time_of_writing():
    ref = dt.date(2010, 5, 6)  # a Thursday
    assert _found("I found the letter on Tuesday.", reference=ref) == [("Tuesday", "2010-05-04")]
    assert _found("Last year I visited the archive; on Tuesday I went back.", reference=ref) == \
        [("Last year", "2009"), ("Tuesday", "2010-05-04")]
    assert _found("Pearl Harbor was attacked on December 7, 1941; on Monday Congress voted.", reference=ref)[1] == \
        ("Monday", "1941-12-08")
    assert _found("He wrote in 1863; on Tuesday he left.", reference=ref) == [("1863", "1863")]  # no day to count from
