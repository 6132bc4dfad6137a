"""Q&A structure of a column: askers, salutations, signatures, chrome, wrapping, two readers, HTML."""
from __future__ import annotations

import json
import random
import re
import textwrap

import pytest

from mrhistory import qa
from mrhistory.read import read_corpus
from mrhistory.sources import read_txt

from .collect_site import COLUMNS
from .conftest import CORPUS, SHIPPED_ID

QUESTION = "Why did the French build the Maginot Line at all, when the Germans could simply go around it?"
ANSWER = ("The Maginot Line was built between 1929 and 1938, at a cost of some three billion francs, to protect "
          "Alsace and Lorraine from a sudden German attack while France mobilised its reserves.\n\n"
          "It did what it was designed to do: the Germans never seriously attacked the fortifications head on, "
          "and the main thrust of May 1940 came through the Ardennes, which the French high command had judged "
          "unsuitable for armour.")
SIGNATURE = "Jon Guttman\n\nResearch Director\n\nWorld History"


def column(*, asker="Jane Roe", salutation="Dear Ms. Roe:", signature=SIGNATURE, top="", end="",
           answer=ANSWER) -> str:
    parts = [top, QUESTION, asker, salutation, answer, signature, end]
    return "\n\n".join(p for p in parts if p)


def fields(parsed: qa.QA) -> tuple[str, str, str, str, str]:
    return parsed.question, parsed.asker, parsed.answer, parsed.answerer, parsed.answerer_title


EXPECTED = (QUESTION, "Jane Roe", ANSWER, "Jon Guttman", "Research Director, World History")


def test_plain_column():
    parsed = qa.parse(column())
    assert fields(parsed) == EXPECTED
    assert parsed.salutation == "Dear Ms. Roe:" and parsed.warnings == [] and parsed.headline == ""


@pytest.mark.parametrize(("line", "asker"), [
    ("Tony Dean, Portland, Ore.", "Tony Dean, Portland, Ore."),
    ("Tony Dean, Portland, Oregon.", "Tony Dean, Portland, Oregon"),
    ("Tony Dean.", "Tony Dean"),
    ("Name Withheld", "Name Withheld"),
    ("J.R. Smith, via e-mail", "J.R. Smith, via e-mail"),
    ("Lt. Col. (Ret.) John Doe", "Lt. Col. (Ret.) John Doe"),
    ("— Anna K.", "Anna K."),
    ("Sincerely, Tony Dean", "Tony Dean"),
    ("Sincerely,\nTony Dean", "Tony Dean"),
    ("Thank you.\n\nTony Dean", "Tony Dean"),
    ("Thanks in advance!\n\nTony Dean, Portland, Ore.", "Tony Dean, Portland, Ore."),
])
def test_asker_lines(line, asker):
    parsed = qa.parse(column(asker=line))
    assert fields(parsed) == (QUESTION, asker, *EXPECTED[2:])
    assert parsed.warnings == []


def test_closing_without_a_name_is_not_an_asker():
    parsed = qa.parse(column(asker="Thank you."))
    assert (parsed.question, parsed.asker) == (QUESTION, "")
    assert parsed.warnings == ["no asker line found above the answer"]


@pytest.mark.parametrize("salutation", [
    "Dear Mr. Dean:", "Dear Ms. Roe,", "Dear Dr. Smith:", "Dear Mrs. Smith", "Dear Reader:",
    "Dear Sir or Madam:", "Dear Mr. and Mrs. Lee:", "Hello, Ms. Roe!", "Greetings!",
])
def test_salutations(salutation):
    parsed = qa.parse(column(salutation=salutation))
    assert fields(parsed) == EXPECTED and parsed.salutation == salutation and parsed.warnings == []


def test_a_question_starting_with_hi_is_not_a_salutation():
    text = column().replace(QUESTION, "Hi, why did the French build the Maginot Line?")
    assert qa.parse(text).question == "Hi, why did the French build the Maginot Line?"


def test_no_salutation_question_ends_at_the_name_line():
    parsed = qa.parse(column(salutation=""))
    assert fields(parsed) == EXPECTED
    assert parsed.warnings == ["no salutation found; question ends at the reader's name line"]


def test_the_readers_own_greeting_is_dropped():
    parsed = qa.parse(column(top="Dear Mr. History,"))
    assert fields(parsed) == EXPECTED and parsed.salutation == "Dear Ms. Roe:"


def test_answer_without_question():
    parsed = qa.parse("Dear Ms. Roe:\n\n" + ANSWER + "\n\n" + SIGNATURE)
    assert fields(parsed) == ("", "", *EXPECTED[2:])
    assert parsed.warnings == ["empty question"]


@pytest.mark.parametrize(("signature", "answerer", "title"), [
    (SIGNATURE, "Jon Guttman", "Research Director, World History"),
    ("Jon Guttman\nResearch Director\nWorld History", "Jon Guttman", "Research Director, World History"),
    ("Jon Guttman, Research Director, World History", "Jon Guttman", "Research Director, World History"),
    ("Jon Guttman, Research Director\n\nWorld History", "Jon Guttman", "Research Director, World History"),
    ("—Jon Guttman", "Jon Guttman", ""),
    ("— Jon Guttman\nResearch Director", "Jon Guttman", "Research Director"),
    ("Sincerely, Jon Guttman", "Jon Guttman", ""),
    ("Sincerely,\n\nJon Guttman\n\nHistoryNet", "Jon Guttman", "HistoryNet"),
    ("Mr. History", "Mr. History", ""),
])
def test_signatures(signature, answerer, title):
    parsed = qa.parse(column(signature=signature))
    assert fields(parsed) == (*EXPECTED[:3], answerer, title) and parsed.warnings == []


@pytest.mark.parametrize("last", ["Hope this helps.", "Yes.", "So the answer is no!", "Was it worth it? Perhaps."])
def test_a_short_last_sentence_is_not_a_signature(last):
    parsed = qa.parse(column(answer=ANSWER + "\n\n" + last, signature=""))
    assert parsed.answer == ANSWER + "\n\n" + last and parsed.answerer == ""
    assert parsed.warnings == ["no signature found after the answer"]
    signed = qa.parse(column(answer=ANSWER + "\n\n" + last))
    assert signed.answer == ANSWER + "\n\n" + last and signed.answerer == "Jon Guttman"


@pytest.mark.parametrize("item", ["tanks, guns and aircraft", "Operation Barbarossa", "1. The Ardennes"])
def test_a_list_item_before_the_signature_stays_in_the_answer(item):
    answer = ANSWER + "\n\nThe weak points were:\n\n" + item
    parsed = qa.parse(column(answer=answer))
    assert fields(parsed) == (QUESTION, "Jane Roe", answer, "Jon Guttman", "Research Director, World History")


def test_lower_case_list_item_before_an_unknown_signer():
    answer = ANSWER + "\n\nThe weak points were:\n\nthe Ardennes and the Meuse"
    parsed = qa.parse(column(answer=answer, signature="Jane Historian\n\nSenior Editor"))
    assert (parsed.answer, parsed.answerer, parsed.answerer_title) == (answer, "Jane Historian", "Senior Editor")


RSS = ("Don’t miss the next Ask Mr. History question! To receive notification whenever any new item is published "
       "on HistoryNet, just scroll down the column on the right and sign up for our RSS feed.")


@pytest.mark.parametrize("chrome", [
    "Share This Article", "SHARE THIS ARTICLE", "Share this:", "Facebook\n\nTwitter\n\nEmail\n\nPrint",
    "Facebook\nTwitter\nPinterest\nEmail", "Advertisement", "* * *", "? ? ?", "———",
    RSS, RSS.replace("’", "'"), RSS.replace("question!", "question"),
    "This article originally appeared in the June 2006 issue of Military History.",
    "This column was first published in 2009.", "Published: 6/12/2006", "Updated on March 3, 2015",
])
def test_chrome_is_dropped_anywhere(chrome):
    text = "\n\n".join([chrome, QUESTION, "Jane Roe", chrome, "Dear Ms. Roe:", ANSWER, chrome, SIGNATURE,
                       "More Questions at Ask Mr. History", chrome])
    parsed = qa.parse(text)
    assert fields(parsed) == EXPECTED and parsed.warnings == []


@pytest.mark.parametrize("chrome", ["By Jon Guttman", "June 12, 2006", "12 June 2006", "6/12/2006"])
def test_byline_and_date_lines_are_dropped_above_the_answer_only(chrome):
    assert fields(qa.parse(column(top=chrome))) == EXPECTED
    assert fields(qa.parse(column(asker=f"{chrome}\n\nJane Roe"))) == EXPECTED
    quoted = "June 6, 1944\n\nWe landed at dawn."
    assert qa.parse(column(answer=ANSWER + "\n\n" + quoted)).answer == ANSWER + "\n\n" + quoted


def test_headline_repeated_at_the_top_is_the_title(tmp_path):
    headline = "Why Didn't We Use Soviet Air Bases When Fighting Japan in WWII?"
    text = column(top=headline + "\n\nShare This Article")
    parsed = qa.parse(text)
    assert fields(parsed) == EXPECTED and parsed.headline == headline
    (tmp_path / "bases.txt").write_text(text, encoding="utf-8")
    assert read_corpus(tmp_path, echo=lambda line: None).columns.title.tolist() == [headline]


def test_a_readers_first_paragraph_is_not_a_headline():
    first = "My grandfather served on the Maginot Line in 1940."
    parsed = qa.parse(column(top=first))
    assert parsed.question == first + "\n\n" + QUESTION and parsed.headline == ""


SECOND_Q = "And why did Belgium refuse to extend it along the border with Germany?"
SECOND_A = "Belgium declared itself neutral in 1936 and would not let French troops in before an invasion."


@pytest.mark.parametrize("separator", ["? ? ?", ""])
def test_two_readers_in_one_column_are_joined(separator):
    second = "\n\n".join(p for p in [separator, SECOND_Q, "Tony Dean, Portland, Ore.", "Dear Mr. Dean:", SECOND_A] if p)
    parsed = qa.parse(column(answer=ANSWER + "\n\n" + second))
    assert fields(parsed) == (QUESTION + "\n\n" + SECOND_Q, "Jane Roe; Tony Dean, Portland, Ore.",
                              ANSWER + "\n\n" + SECOND_A, "Jon Guttman", "Research Director, World History")
    assert parsed.warnings == ["2 question/answer pairs in one column; joined in order"]


def test_two_readers_with_a_two_paragraph_second_question_after_a_separator():
    second = f"* * *\n\nMy uncle was Belgian.\n\n{SECOND_Q}\n\nTony Dean\n\nDear Mr. Dean:\n\n{SECOND_A}"
    parsed = qa.parse(column(answer=ANSWER + "\n\n" + second))
    assert parsed.question == f"{QUESTION}\n\nMy uncle was Belgian.\n\n{SECOND_Q}"
    assert parsed.answer == ANSWER + "\n\n" + SECOND_A


def test_hard_wrapped_text_is_rejoined():
    wrapped = "\n\n".join(textwrap.fill(p, 70) for p in column(end=RSS).split("\n\n"))
    assert max(map(len, wrapped.split("\n"))) <= 70 and wrapped.count("\n") > column().count("\n") + 4
    assert fields(qa.parse(wrapped)) == EXPECTED


def test_single_newlines_between_paragraphs():
    text = column(top="Share This Article", end="More Questions at Ask Mr. History\n\n" + RSS)
    single = text.replace("\n\n", "\n")
    assert "\n\n" not in single
    assert fields(qa.parse(single)) == EXPECTED


def test_short_text_with_single_newlines():
    text = "Why did Rome fall?\nJane Roe\nDear Ms. Roe:\nIt did not fall in a day.\nJon Guttman\nResearch Director"
    assert fields(qa.parse(text)) == ("Why did Rome fall?", "Jane Roe", "It did not fall in a day.", "Jon Guttman",
                                      "Research Director")


def test_lower_case_line_continues_the_paragraph():
    text = column().replace("between 1929 and 1938,", "between 1929\nand 1938,")
    assert fields(qa.parse(text)) == EXPECTED


BIBLIOGRAPHY = "Further reading:\n\nJulian Jackson, The Fall of France (Oxford, 2003)."


def test_bibliography_before_the_signature_is_part_of_the_answer():
    parsed = qa.parse(column(answer=ANSWER + "\n\n" + BIBLIOGRAPHY))
    assert fields(parsed) == (QUESTION, "Jane Roe", ANSWER + "\n\n" + BIBLIOGRAPHY, *EXPECTED[3:])


def test_bibliography_after_the_signature_is_moved_into_the_answer():
    parsed = qa.parse(column(end="Sources: Julian Jackson, The Fall of France (Oxford, 2003)."))
    assert parsed.answer == ANSWER + "\n\nSources: Julian Jackson, The Fall of France (Oxford, 2003)."
    assert (parsed.answerer, parsed.answerer_title) == ("Jon Guttman", "Research Director, World History")


def test_related_posts_block_is_dropped():
    related = "Related:\n\nWhy Was the Maginot Line Built?\n\nWhat Happened at Sedan"
    assert fields(qa.parse(column(end=related))) == EXPECTED
    assert fields(qa.parse(column(end="More Questions at Ask Mr. History\n\nRelated Articles\n\nCustom Title"))) == EXPECTED


def read_one(tmp_path, name: str, data: str):
    (tmp_path / name).write_text(data, encoding="utf-8")
    corpus = read_corpus(tmp_path, echo=lambda line: None)
    assert len(corpus.columns) == 1
    return corpus.columns.iloc[0]


def test_wordpress_page_with_furniture_inside_the_article(tmp_path):
    paras = "".join(f"<p>{p}</p>\n" for p in ANSWER.split("\n\n"))
    page = f"""<html><head><title>Why the Maginot Line? | HistoryNet</title></head><body>
    <article><h1>Why the Maginot Line?</h1>
    <div class="entry-meta">By <span class="author">Jon Guttman</span> <time datetime="2010-05-01">May 1, 2010</time></div>
    <div class="entry-content">
    <div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3><ul><li>Facebook</li><li>Twitter</li></ul></div>
    <figure class="wp-block-image"><img src="x.jpg"><figcaption>French troops in a Maginot Line fort.</figcaption></figure>
    <div id="attachment_7" class="wp-caption aligncenter"><img src="y.jpg"><p class="wp-caption-text">A casemate, 1939.</p></div>
    <p>{QUESTION}</p>
    <p>Jane&nbsp;Roe</p>
    <p>Dear Ms. Roe:</p>
    {paras}<p>Jon Guttman<br />
    Research Director<br />
    World History</p>
    <p><a href="https://facebook.com/x">Facebook</a></p><p><a href="https://twitter.com/x">Twitter</a></p>
    <div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3><p>Was the Maginot Line a Failure?</p></div>
    </div></article></body></html>"""
    col = read_one(tmp_path, "maginot.html", page)
    assert (col.question, col.asker, col.answer, col.answerer, col.answerer_title) == EXPECTED
    assert col.warnings == ""


def test_wordpress_json_with_nbsp_spacers(tmp_path):
    paras = "\n<p>&nbsp;</p>\n".join(f"<p>{p}</p>" for p in [QUESTION, "Jane Roe", "Dear Ms. Roe:", *ANSWER.split("\n\n")])
    post = {"id": 7, "slug": "maginot", "title": {"rendered": "Why the Maginot Line?"},
            "content": {"rendered": paras + "\n<p>&nbsp;</p>\n<p>Jon Guttman<br />\nResearch Director<br />\nWorld History</p>"}}
    col = read_one(tmp_path, "maginot.json", json.dumps(post))
    assert (col.question, col.asker, col.answer, col.answerer, col.answerer_title) == EXPECTED
    assert col.warnings == ""


@pytest.mark.parametrize("last", ["Just curious.", "Just curious", "Any idea", "Please explain."])
def test_a_short_last_question_sentence_is_not_an_asker(last):
    parsed = qa.parse(column(asker=last))
    assert (parsed.question, parsed.asker) == (QUESTION + "\n\n" + last, "")


def test_two_readers_without_salutations():
    text = "\n\n".join([QUESTION, "Jane Roe", ANSWER, SECOND_Q, "Tony Dean", SECOND_A, SIGNATURE])
    parsed = qa.parse(text)
    assert fields(parsed) == (QUESTION + "\n\n" + SECOND_Q, "Jane Roe; Tony Dean", ANSWER + "\n\n" + SECOND_A,
                              "Jon Guttman", "Research Director, World History")
    assert parsed.warnings == ["no salutation found; question ends at the reader's name line",
                               "2 question/answer pairs in one column; joined in order"]


def test_a_rhetorical_question_ending_the_first_answer_stays_in_it():
    answer = ANSWER + "\n\nWas it worth the money? Perhaps."
    second = f"{answer}\n\nDid they regret it?\n\n{SECOND_Q}\n\nTony Dean\n\nDear Mr. Dean:\n\n{SECOND_A}"
    parsed = qa.parse(column(answer=second))
    assert parsed.question == f"{QUESTION}\n\nDid they regret it?\n\n{SECOND_Q}"
    assert parsed.answer == answer + "\n\n" + SECOND_A


@pytest.mark.parametrize("layout", ["single newlines", "wrapped at 72", "wrapped at 60, single newlines", "CRLF"])
def test_the_shipped_column_parses_the_same_however_it_is_laid_out(layout, shipped_column):
    text = read_txt((CORPUS / f"{SHIPPED_ID}.txt").read_text("utf-8-sig"))[0].text
    paras = re.split(r"\n\s*\n", text)
    variant = {
        "single newlines": "\n".join(paras),
        "wrapped at 72": "\n\n".join(textwrap.fill(p, 72) for p in paras),
        "wrapped at 60, single newlines": "\n".join(textwrap.fill(p, 60) for p in paras),
        "CRLF": text.replace("\n", "\r\n"),
    }[layout]
    parsed = qa.parse(read_txt(variant)[0].text)
    assert fields(parsed) == (shipped_column.question, shipped_column.asker, shipped_column.answer,
                              shipped_column.answerer, shipped_column.answerer_title)
    assert parsed.warnings == []


LAYOUTS = ("blank lines", "single newlines", "hard-wrapped", "hard-wrapped, single newlines")
SIGNATURES = [("Jon Guttman\nResearch Director\nWorld History", "Jon Guttman", "Research Director, World History"),
              ("Jon Guttman\n\nResearch Director\n\nWorld History", "Jon Guttman", "Research Director, World History"),
              ("Jon Guttman, Research Director, World History", "Jon Guttman", "Research Director, World History"),
              ("—Jon Guttman", "Jon Guttman", ""), ("Sincerely,\nJon Guttman", "Jon Guttman", ""),
              ("Mr. History", "Mr. History", "")]


def varied_columns(n: int, seed: int):
    """``n`` (layout, text, expected fields) built from the fake site's columns in many shapes and layouts."""
    rng = random.Random(seed)
    for _ in range(n):
        _, question, (first, last, place, honorific), answer = COLUMNS[rng.randrange(len(COLUMNS))]
        asker = f"{first} {last}" + (f", {place}" if place else "")
        asker_line = rng.choice([asker, f"— {asker}", f"Sincerely, {asker}", f"Thank you.\n\n{asker}"])
        salutation = rng.choice([f"Dear {honorific} {last}:", f"Dear {honorific} {last},", "Dear Reader:", ""])
        signature, answerer, title = rng.choice(SIGNATURES)
        paras = ((["Share This Article"] if rng.random() < .5 else []) + question + [asker_line]
                 + ([salutation] if salutation else []) + answer + [signature]
                 + (["More Questions at Ask Mr. History", RSS] if rng.random() < .5 else []))
        layout, width = rng.choice(LAYOUTS), rng.choice([60, 70, 72, 78])
        if layout.startswith("hard-wrapped"):
            paras = [p if "\n" in p else textwrap.fill(p, width) for p in paras]
        text = ("\n" if layout.endswith("single newlines") else "\n\n").join(paras)
        yield layout, text, ("\n\n".join(question), asker, "\n\n".join(answer), answerer, title)


def test_many_shapes_and_layouts_of_real_like_columns():
    """Every field keeps its words in every layout; paragraphs are exact unless hard wrap hides them."""
    exact = {layout: [0, 0] for layout in LAYOUTS}
    for layout, text, expected in varied_columns(400, seed=0):
        got = fields(qa.parse(read_txt(text)[0].text))
        assert [" ".join(f.split()) for f in got] == [" ".join(f.split()) for f in expected], text
        exact[layout][0] += got == expected
        exact[layout][1] += 1
    for layout in LAYOUTS[:3]:
        assert exact[layout][0] == exact[layout][1], layout
    hidden = exact[LAYOUTS[3]]
    assert hidden[0] >= 0.8 * hidden[1]  # a paragraph ending on a full line runs into the next one


@pytest.mark.parametrize(("lines", "expected"), [
    ("He fought without his cavalry screen, because\nJ.E.B. Stuart was off raiding.", ["He fought without his cavalry screen, because J.E.B. Stuart was off raiding."]),
    ("Why did the United States enter World War I.\nWhat did the telegram say?", ["Why did the United States enter World War I.", "What did the telegram say?"]),
    ("The Mark I went into action first, at Flers-\nCourcelette, in 1916.", ["The Mark I went into action first, at Flers-Courcelette, in 1916."]),
    ("Jon Guttman\nResearch Director\nWorld History", ["Jon Guttman", "Research Director", "World History"]),
    ("It held.\nJane Roe\nDear Ms. Roe:", ["It held.", "Jane Roe", "Dear Ms. Roe:"]),
])
def test_paragraphs_without_blank_lines(lines, expected):
    assert qa.paragraphs(lines) == expected


@pytest.mark.parametrize(("paragraph", "width", "boundary"), [
    # a full line that looks like "Name, Place" after a finished sentence is prose
    ("The relief column reached the river crossing late in the afternoon and found the bridge already burned. "
     "On May 3, Colonel Harlan Voss ordered his engineers to build rafts from the timbers of a nearby barn, and "
     "by nightfall the first company was across.", 52,
     ("the afternoon and found the bridge already burned.", "On May 3, Colonel Harlan Voss ordered his engineers")),
    # a full line of capitalised names ending in a comma is not a finished headline
    ("The officers who signed the petition were Tomas Ferreira, Luis Aranda, Mateo Quiroga Benavides, Ramon "
     "Ibarra y Soto and Ana Beltran, all of them veterans of the northern campaign.", 52,
     ("Ferreira, Luis Aranda, Mateo Quiroga Benavides,", "Ramon Ibarra y Soto and Ana Beltran, all of them")),
    # a full line ending in a closing quote mark is not a finished sentence
    ('A visiting reporter described the fighting along the frontier as "a war of small garrisons and long '
     'silences" (Northern Courier).', 58,
     ('frontier as "a war of small garrisons and long silences"', "(Northern Courier).")),
])
def test_a_hard_wrapped_line_that_looks_like_a_name_stays_in_its_paragraph(paragraph, width, boundary):
    answer = ANSWER + "\n\n" + paragraph
    wrapped = "\n\n".join(textwrap.fill(p, width) for p in column(answer=answer).split("\n\n"))
    assert "\n".join(boundary) in wrapped
    assert fields(qa.parse(wrapped)) == (QUESTION, "Jane Roe", answer, *EXPECTED[3:])


def test_a_long_line_without_its_full_stop_ends_its_paragraph():
    lines = ("The convoy sailed from Halifax in the first week of March, escorted by four corvettes and an armed "
             "merchant cruiser", "It lost two ships to submarines before it reached the Clyde.")
    assert qa.paragraphs("\n".join(lines)) == list(lines)
    assert fields(qa.parse(column(answer="\n".join(lines)).replace("\n\n", "\n"))) == (
        QUESTION, "Jane Roe", "\n\n".join(lines), *EXPECTED[3:])


def test_pathological_input_does_not_crash():
    text = "\n\n".join(["Read more"] * 5000 + ["? ? ?"] * 5000 + ["Why?", "Tony Dean", "Dear Mr. Dean:", "Because."] * 500)
    parsed = qa.parse(text)
    assert parsed.question.startswith("Why?") and parsed.asker.startswith("Tony Dean; Tony Dean")
    assert parsed.warnings[0] == "500 question/answer pairs in one column; joined in order"


@pytest.mark.parametrize("salutation", ["Dear Ms. Roe:", ""])
def test_asker_and_place_on_two_lines(salutation):
    parsed = qa.parse(column(asker="Jane Roe\nDayton, Ohio", salutation=salutation))
    assert fields(parsed) == (QUESTION, "Jane Roe, Dayton, Ohio", *EXPECTED[2:])


def test_salutation_run_into_the_answer():
    parsed = qa.parse(column(salutation="").replace("Jane Roe\n\n", "Jane Roe\n\nDear Ms. Roe: "))
    assert fields(parsed) == EXPECTED and parsed.salutation == "Dear Ms. Roe:" and parsed.warnings == []
