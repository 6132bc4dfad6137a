"""The date figures: era facets, whole-number counts, coarse mentions drawn as spans, and no figure
(with the reason) when there is nothing to show. Short passages written for these tests."""
from __future__ import annotations

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest

from mrhistory.dates import dates_table
from mrhistory.figures import count_scale, figure_bytes
from mrhistory.figures.dates import (column_spans_figure, date_figure_notes, date_figures, decade_counts,
                                     decade_heatmap_figure, mentions_by_year_figure)
from mrhistory.figures.eras import Era, decade_label, decade_of, eras, mention_years, year_label, year_ticks


def _corpus(answers: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    columns = pd.DataFrame({"column_id": list(answers), "published": "", "question": "", "answer": list(answers.values()),
                            "title": [f"Title of {k}" for k in answers]})
    return dates_table(columns), columns


@pytest.mark.parametrize("answers, names", [
    ({"a": "No dates here."}, []),
    ({"a": "On April 13, 1941 a pact was signed."}, ["dates_by_year", "dates_column_spans"]),
    ({"a": "Caesar died in 44 BC.", "b": "The 1930s and the 19th century.", "c": "Nothing.", "d": "From 1914 to 1918."},
     ["dates_by_year", "dates_column_spans", "dates_decade_heatmap"]),
])
def test_date_figures_for_none_one_and_many_columns(answers, names):
    dates, columns = _corpus(answers)
    figures = date_figures(dates, columns)
    assert [name for name, *_ in figures] == names
    for name, fig, caption, alt in figures:
        assert caption and alt
        assert figure_bytes(fig, "png") == figure_bytes(fig, "png")
    missing = {"dates_by_year", "dates_column_spans", "dates_decade_heatmap"} - set(names)
    notes = date_figure_notes(dates, columns)
    assert sorted(line.split()[1] for line in notes) == sorted(missing)
    assert all(line.startswith("figures: ") and " not drawn: " in line for line in notes)


def test_no_dates_is_said_in_one_line_per_figure():
    dates, columns = _corpus({"a": "No dates here.", "b": "Nor here."})
    assert date_figure_notes(dates, columns) == [
        "figures: dates_by_year not drawn: the corpus has no date mentions",
        "figures: dates_column_spans not drawn: the corpus has no date mentions",
        "figures: dates_decade_heatmap not drawn: fewer than two columns mention a year or decade (0 of 2)"]


def test_years_and_decades_are_written_as_historians_write_them():
    assert [year_label(y) for y in (-43, 0, 1, 1941)] == ["44 BC", "1 BC", "1", "1941"]
    assert year_ticks(-510, -380, nbins=4) == [-499, -449, -399]  # 500, 450, 400 BC, not 501 BC
    assert [decade_label(decade_of(y)) for y in (1944, -483, -469, 5, -3)] == [
        "1940s", "480s BC", "470s BC", "AD 1–9", "1–9 BC"]
    assert Era(-512, -379).label == "513–380 BC" and Era(1812, 2011).label == "1812–2011"


def test_far_apart_mentions_get_an_axis_each_and_a_century_does_not_stretch_the_axis():
    dates, _ = _corpus({"a": "The Persians landed at Marathon in 490 BC and came back in 480 BC.",
                        "b": "The surge of 2007 ended in 2008; the 21st century has seen more wars."})
    found = eras(dates)
    assert found == [Era(-489, -479), Era(2007, 2008)]
    fig = mentions_by_year_figure(dates)
    bars, band = fig.axes[:2], fig.axes[2:]
    assert len(bars) == 2 and len(band) == 2
    assert bars[1].get_xlim()[1] < 2015  # "the 21st century" does not run the axis out to 2100
    markers = [line.get_marker() for line in band[1].lines]
    assert ">" in markers  # it runs past the axis: an arrowhead says so


def test_bars_count_whole_mentions_and_coarse_ones_are_lines_not_bars():
    dates, _ = _corpus({"a": "In 1863 and again in 1863 and 1864 the war raged; the 19th century was long."})
    fine = mention_years(dates)
    assert fine["fine"].tolist() == [True, True, True, False]
    fig = mentions_by_year_figure(dates)
    heights = sorted(p.get_height() for p in fig.axes[0].patches)
    assert heights == [1, 2] and all(float(h).is_integer() for h in heights)
    spans = [line for line in fig.axes[1].lines if len(line.get_xdata()) == 2]
    assert len(spans) == 1  # the century: one line over the whole axis, cut at both ends
    assert {line.get_marker() for line in fig.axes[1].lines} >= {"<", ">"}


def test_a_passing_mention_does_not_stretch_a_columns_line():
    dates, columns = _corpus({"a": "In 1941, 1942, 1943 and 1944 the war went on; it echoed the crisis of 1870."})
    fig = column_spans_figure(dates, columns)
    ax = fig.axes[0]
    thick = [line for line in ax.lines if line.get_linewidth() > 2]
    assert len(thick) == 1
    lo, hi = thick[0].get_xdata()
    assert lo > 1900 and hi < 1946  # the 1870 mention is a dot, not the start of the line
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Title of a"]


def test_the_heatmap_counts_mentions_within_a_decade_and_darker_means_more():
    dates, columns = _corpus({"a": "In 1941 and 1942 and 1943; the 19th century.", "b": "In the 1960s, in 1965."})
    grid = decade_counts(dates)
    assert grid.loc["a", 1940] == 3 and grid.loc["b", 1960] == 2 and grid.to_numpy().sum() == 5
    cmap, norm = count_scale(9)
    light = [mcolors.rgb_to_hsv(cmap(norm(k))[:3])[2] for k in range(1, 10)]
    assert all(a > b for a, b in zip(light, light[1:]))  # each count darker than the one before
    assert cmap(np.ma.masked)[:3] == (1.0, 1.0, 1.0)  # no mention: blank


def test_a_heatmap_of_one_column_or_one_decade_is_not_drawn():
    one, columns = _corpus({"a": "In 1941 and 1952."})
    assert "it compares columns, and the corpus has 1" in date_figure_notes(one, columns)[-1]
    same, columns = _corpus({"a": "In 1941.", "b": "In 1944."})
    assert date_figure_notes(same, columns) == [
        "figures: dates_decade_heatmap not drawn: every mention falls in one decade (1940s)"]


def test_a_heatmap_of_thousands_of_columns_is_colour_mapped_before_it_is_resampled():
    """More columns than pixel rows: resampling RGBA (matplotlib's choice when it shrinks an image)
    held ~400 MB per save at 3,840 columns; the counts are resampled first, then colour-mapped."""
    import tracemalloc

    answers = {f"c{i:04d}": f"In {1800 + (i * 7) % 200} and in {1805 + (i * 13) % 200}." for i in range(4000)}
    dates, columns = _corpus(answers)
    fig = decade_heatmap_figure(dates, columns)
    assert fig.axes[0].images[0].get_interpolation_stage() == "data"
    tracemalloc.start()
    try:
        figure_bytes(fig, "png")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 250 * 2**20, f"{peak / 2**20:.0f} MiB to save one heatmap"
