"""notebooks/sanitize.cfg: what nbval blanks out before comparing, and what it must leave alone."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from nbval.plugin import get_sanitize_patterns

CFG = Path(__file__).resolve().parents[1] / "notebooks" / "sanitize.cfg"


def sanitise(text: str) -> str:
    for regex, replace in get_sanitize_patterns(CFG.read_text("utf-8")):
        text = re.sub(regex, replace, text)
    return text


@pytest.mark.parametrize("volatile, expected", [
    ("cache in /srv/ada/mrhistory/.cache/x.bin", "cache in ABSPATH"),
    ("wrote C:\\Users\\ada\\outputs\\t.csv", "wrote ABSPATH"),
    ("<Figure at 0x7f3a9c2e1b50>", "<Figure at 0xADDRESS>"),
    ("done in 1.52 s (3 ms per text)", "done in TIME (TIME per text)"),
    ("Wall time: 2.31 s", "TIME"),
    ("annotate: 100%|██████████| 2/2 [00:01<00:00,  1.52text/s]", "annotate: PROGRESS"),
])
def test_volatile_text_is_blanked(volatile, expected):
    assert sanitise(volatile) == expected


@pytest.mark.parametrize("stable", [
    "saved: outputs/figures/corpus-lengths.png",
    "mentions of the 1940s and 1950s",
    "April 13, 1941: 2 of 3 columns, 1/2 of the answers",
    "question_words 66, answer_words 434",
])
def test_results_are_left_alone(stable):
    assert sanitise(stable) == stable
