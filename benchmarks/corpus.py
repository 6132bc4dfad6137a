"""A synthetic, column-shaped corpus for benchmarks: seeded, varied, never written to corpus/."""
from __future__ import annotations

import random

import pandas as pd

PEOPLE = ["Adolf Hitler", "Joseph Stalin", "Winston Churchill", "Franklin D. Roosevelt", "Napoleon Bonaparte",
          "Ulysses S. Grant", "Robert E. Lee", "Otto von Bismarck", "Charles de Gaulle", "Erwin Rommel",
          "Isoroku Yamamoto", "Douglas MacArthur", "Chester Nimitz", "Georgy Zhukov", "Julius Caesar",
          "Hannibal Barca", "Frederick the Great", "Horatio Nelson", "George Washington", "Chiang Kai-shek"]
PLACES = ["France", "Germany", "Japan", "the Soviet Union", "Britain", "Italy", "China", "Poland", "Egypt",
          "Virginia", "Gettysburg", "Stalingrad", "Normandy", "Midway", "Okinawa", "Carthage", "Rome", "Moscow",
          "Berlin", "the Pacific", "North Africa", "India", "Korea", "Vietnam", "Prussia", "Austria"]
THINGS = ["the Treaty of Versailles", "Operation Overlord", "the Battle of the Bulge", "the Lend-Lease Act",
          "the Schlieffen Plan", "the B-17 Flying Fortress", "the Tiger tank", "the Congress of Vienna",
          "the Marshall Plan", "the Manhattan Project", "the Battle of Trafalgar", "the Zimmermann Telegram"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
TEMPLATES = [
    "On {date}, {person} ordered his forces toward {place}, a decision that shaped {thing}.",
    "{person} later wrote that {place} had never been the main objective, although {thing} suggested otherwise.",
    "Historians still debate whether {thing} could have succeeded without the support of {place}.",
    "By {year}, the situation in {place} had changed, and {person} had to reconsider {thing}.",
    "The archives opened in the {decade}s show that {person} knew about {thing} as early as {date}.",
    "In the {century} century, armies crossing {place} faced problems of supply that {person} understood well.",
    "Between {year} and {year2}, more than {number} soldiers passed through {place}.",
    "It is worth adding that {person} visited {place} in {month} {year}, shortly before {thing}.",
]


def _sentence(rng: random.Random) -> str:
    year = rng.randint(1700, 1990)
    return rng.choice(TEMPLATES).format(
        person=rng.choice(PEOPLE), place=rng.choice(PLACES), thing=rng.choice(THINGS),
        date=f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {year}", year=year, year2=year + rng.randint(1, 6),
        decade=(year // 10) * 10, century=f"{year // 100 + 1}th", number=f"{rng.randint(2, 900)},000",
        month=rng.choice(MONTHS),
    )


def _paragraphs(rng: random.Random, words: int) -> str:
    paras, current, count = [], [], 0
    while count < words:
        sentence = _sentence(rng)
        current.append(sentence)
        count += len(sentence.split())
        if len(current) >= rng.randint(3, 6):
            paras.append(" ".join(current))
            current = []
    if current:
        paras.append(" ".join(current))
    return "\n\n".join(paras)


def synthetic_columns(n: int = 300, *, seed: int = 1941, min_words: int = 400, max_words: int = 800) -> pd.DataFrame:
    """``n`` columns in the columns-table shape (column_id, question, answer), 400–800 words each."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        total = rng.randint(min_words, max_words)
        q_words = rng.randint(40, 90)
        rows.append({
            "column_id": f"synthetic-{i:04d}",
            "question": _paragraphs(rng, q_words) + " Why did it happen?",
            "answer": _paragraphs(rng, total - q_words),
        })
    return pd.DataFrame(rows).astype("string")
