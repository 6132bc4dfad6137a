"""Column text → question, asker, answer, answerer: the Q&A structure of an "Ask Mr. History" column.

A column is a reader's letter (question, then the reader's name), the answer (opened by a
salutation such as "Dear Mr. Dean:") and a signature ("Jon Guttman / Research Director / World
History"), wrapped in site chrome. Patterns and limits live in ``data/chrome.toml``; the rules:

1. Paragraphs. Blank lines separate paragraphs. Inside a block, a line is joined to the next when
   the next starts in lower case, when the line stops mid-sentence (more words than a signature
   line, at most ``wrap_max_chars`` long, no final punctuation; "because J.E.B." runs on — a
   longer line is a whole paragraph as a browser copies it, even without its final full stop), or
   when the text is hard-wrapped and the line is full: the next word would not have fitted
   ("Flers-" + "Courcelette" join without a space). A text is hard-wrapped when at least
   ``wrap_min_lines`` lines of at most ``wrap_max_chars`` are full, and more lines are full than
   longer. After a finished sentence, a salutation, a name or chrome always starts a paragraph; a
   full line is finished only by sentence punctuation (not by looking like a headline, being
   short or ending in a quote mark: "… the Muslim population"" + "(Library of Congress)."), and
   a line that is itself full is prose, never a name ("On April 12, U.S. President Roosevelt died
   and was"). Every other line is a paragraph: copies from a browser separate paragraphs by single
   newlines, signatures are "name<br>title". Limit: in a hard-wrapped text without blank lines, a
   paragraph ending on a full line runs into the next one (its words stay in the same field).
2. Chrome. Paragraphs matching ``paragraphs`` are dropped, ``question_chrome`` (a byline, a bare
   date) only above an answer; ``separators`` ("? ? ?") are dropped too, after marking where a
   second question may begin. A ``tail`` heading ("Related:") cuts the
   text there, once a question (a paragraph with "?") has been seen.
3. Signature: the trailing block (at most ``signature_max_lines``) of short title-case lines
   without final sentence punctuation. A line starting with a dash ("—Jon Guttman") or a closing
   ("Sincerely, Jon Guttman"), else a known name from ``signers``, else the block's first line
   is the answerer; the rest, split at commas, is the title ("Research Director, World History").
   An answer's last sentence ("Hope this helps.") is never part of a signature.
4. Bibliography: a ``sources`` heading ("Sources:", "Further reading") and what follows belong to
   the answer, and are kept at its end even when they come after the signature.
5. Question/answer boundary: a salutation that follows some question text (a salutation at the
   very top is the reader's own greeting and is dropped; one run into the answer's first
   paragraph, "Dear Mr. Dean: The United States…", is split off). Without any salutation, a name line just
   after a paragraph ending in "?" (or a closing such as "Thank you.") ends the question, with a
   warning. The question's last paragraph is the asker when it is a short name line, place kept
   ("Tony Dean, Portland, Ore."); closings ("Sincerely,", "Thank you.") around it are dropped.
6. Headline: a first paragraph in headline title case ("Why Didn't We Use Soviet Air Bases…?"),
   followed by more question text, is the column's title, not part of the question.
7. Two readers in one column: every further salutation opens a further pair. Its question starts
   after the last separator before it, or else at the paragraphs with "?" just above its asker.
   The pairs are joined in order — questions into ``question``, answers into ``answer``, askers
   as "A; B" — with a warning, so that every word asked and answered is analysed once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from . import deadline
from .packaged import data_toml


class Pattern:
    """A chrome pattern, compiled by the ``regex`` module so that a match running past the file's
    time limit (:mod:`~mrhistory.deadline`) stops with :class:`~mrhistory.deadline.ParseTimeout`.
    The shipped patterns are linear; this guards an edit of ``chrome.toml`` that is not."""

    __slots__ = ("pattern", "_rx")

    def __init__(self, pattern: str):
        self.pattern = pattern
        self._rx = regex.compile(pattern, regex.IGNORECASE)

    def match(self, text: str):
        try:
            return self._rx.match(text, timeout=deadline.remaining())
        except TimeoutError:
            raise deadline.expired() from None

    def search(self, text: str):
        try:
            return self._rx.search(text, timeout=deadline.remaining())
        except TimeoutError:
            raise deadline.expired() from None

    def sub(self, repl: str, text: str) -> str:
        try:
            return self._rx.sub(repl, text, timeout=deadline.remaining())
        except TimeoutError:
            raise deadline.expired() from None


class Patterns(tuple):
    """The patterns of a ``chrome.toml`` list (iterate over them one by one); ``match`` tries them all
    in one call, as their alternation."""

    def __new__(cls, patterns: list[str]):
        self = super().__new__(cls, (Pattern(p) for p in patterns))
        self._either = Pattern("|".join(f"(?:{p})" for p in patterns)) if patterns else None
        return self

    def match(self, text: str):
        return self._either.match(text) if self._either is not None else None


@dataclass(frozen=True)
class Chrome:
    """Site-chrome patterns and structure limits, read from the package's ``data/chrome.toml``."""

    paragraphs: Patterns  # every dropped paragraph, separators included
    separators: Patterns
    question_chrome: Patterns
    tail: Patterns
    sources: Patterns
    closing: Pattern  # a whole closing paragraph ("Thank you.")
    closing_prefix: Pattern  # a closing in front of a name ("Sincerely, ")
    signers: tuple[str, ...]
    title_suffixes: tuple[Pattern, ...]
    salutation: Pattern
    salutation_inline: Pattern
    signature_max_words: int
    signature_max_lines: int
    asker_max_words: int
    wrap_max_chars: int
    wrap_min_lines: int


@lru_cache(maxsize=1)
def chrome() -> Chrome:
    raw = data_toml("chrome.toml")

    def compiled(key: str) -> tuple[Pattern, ...]:
        return tuple(Pattern(p) for p in raw[key])

    return Chrome(
        paragraphs=Patterns(raw["paragraphs"] + raw["separators"]),
        separators=Patterns(raw["separators"]),
        question_chrome=Patterns(raw["question_chrome"]),
        tail=Patterns(raw["tail"]),
        sources=Patterns(raw["sources"]),
        closing=Pattern(rf"^{raw['closings']}\s*[,.!]*$"),
        closing_prefix=Pattern(rf"^{raw['closings']}\s*,\s+"),
        signers=tuple(" ".join(s.lower().split()) for s in raw["signers"]),
        title_suffixes=compiled("title_suffixes"),
        salutation=Pattern(raw["salutation"]),
        salutation_inline=Pattern(raw["salutation_inline"]),
        signature_max_words=raw["signature_max_words"],
        signature_max_lines=raw["signature_max_lines"],
        asker_max_words=raw["asker_max_words"],
        wrap_max_chars=raw["wrap_max_chars"],
        wrap_min_lines=raw["wrap_min_lines"],
    )


@dataclass
class QA:
    question: str = ""
    asker: str = ""
    salutation: str = ""
    answer: str = ""
    answerer: str = ""
    answerer_title: str = ""
    headline: str = ""
    warnings: list[str] = field(default_factory=list)


SEPARATOR = "\x00"  # stands for a separator line while the structure is parsed
_ABBREVIATIONS = re.compile(r"\b([A-Z]|Mr|Mrs|Ms|Dr|Lt|Col|Gen|Capt|Sgt|Maj|St|Jr|Sr|Rev|Prof|Ret|Ph)\.")
# "… asked Gen." or "… because J.E.B." runs on; "… World War I." ends a sentence. A run of initials
# is matched only from its first initial (the lookbehinds): searched from every initial of a long
# run, it would scan to the run's end each time, which is quadratic.
_ENDS_IN_ABBREVIATION = re.compile(r"(\b(Mr|Mrs|Ms|Dr|Lt|Col|Gen|Capt|Sgt|Maj|St|Rev|Prof)\.|"
                                   r"(?<!\b[A-Z]\.)(?<!\b[A-Z]\.\s)\b([A-Z]\.\s?){2,}|\b[A-HJ-Z]\.)$")
_DASH = re.compile(r"^[—–-]+\s*")
_END_PUNCTUATION = (".", "?", "!", ":", ";", ",", "”", '"')
_SENTENCE_END = (".", "?", "!", ":", ";", "”", '"', "’", ")")
_FINAL_STOP = re.compile(r"[.?!:;][\"”’')\]]*$")


# --- paragraphs ---------------------------------------------------------------------------------

def paragraphs(text: str) -> list[str]:
    """Paragraphs of ``text``, each on one line (rule 1 of the module docstring)."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    full = _full_line_test(lines)
    out: list[list[str]] = []  # the pieces of each paragraph, joined once at the end
    for i, line in enumerate(lines):
        deadline.check()
        previous = lines[i - 1] if i else ""
        wrapped = bool(previous and line) and full(previous, line)
        if previous and line and (line[0].islower() or (
                (wrapped or _unfinished(previous)) and not _opens(previous, line, wrapped=wrapped,
                                                                 continues=_continues(lines, i, full)))):
            hyphen = re.search(r"[^\W\d]-$", previous) and line[0].isalpha()  # "Flers-" + "Courcelette"
            out[-1].append(line if hyphen else " " + line)
        elif line:
            out.append([line])
    return ["".join(pieces) for pieces in out]


def _continues(lines: list[str], i: int, full) -> bool:
    """Is line ``i`` itself broken by a hard wrap, its paragraph going on in the next line?"""
    return i + 1 < len(lines) and bool(lines[i] and lines[i + 1]) and full(lines[i], lines[i + 1])


def _unfinished(line: str) -> bool:
    """A line broken mid-sentence: more words than a signature, no longer than a wrapped line, no final punctuation."""
    return (_words(line) > chrome().signature_max_words and len(line) <= chrome().wrap_max_chars
            and not _is_salutation(line) and not _is_headline(line)
            and (not line.endswith(_SENTENCE_END) or bool(_ENDS_IN_ABBREVIATION.search(line))))


def _ends_sentence(line: str) -> bool:
    """Final sentence punctuation, perhaps inside quotes or brackets ("… held.”"); not an abbreviation ("Gen.")."""
    return bool(_FINAL_STOP.search(line)) and not _ENDS_IN_ABBREVIATION.search(line)


def _opens(previous: str, line: str, *, wrapped: bool, continues: bool) -> bool:
    """Does ``line`` open a new part although ``previous`` runs on: a salutation, a name, chrome?

    ``wrapped``: ``previous`` is full in a hard-wrapped text, so only sentence punctuation finishes it;
    ``continues``: ``line`` is full itself, so it is prose, not a name.
    """
    cfg = chrome()
    finished = _ends_sentence(previous) if wrapped else not _unfinished(previous)
    return finished and (
        _is_salutation(line) or _is_closing(line) or (not continues and _is_name_line(line, cfg.asker_max_words))
        or cfg.paragraphs.match(line))


def _full_line_test(lines: list[str]):
    """``full(a, b)``: is line ``a`` broken only because ``b``'s first word did not fit (hard wrap)?"""
    limit = chrome().wrap_max_chars
    width = max((len(line) for line in lines if " " in line and len(line) <= limit), default=0)

    def full(a: str, b: str) -> bool:
        return len(a) <= limit and len(a) + 1 + len(b.split()[0]) > width

    wrapped = sum(full(a, b) for a, b in zip(lines, lines[1:]) if a and b)
    long_lines = sum(len(line) > limit and " " in line for line in lines)
    if wrapped >= chrome().wrap_min_lines and wrapped > long_lines:
        return full
    return lambda a, b: False


# --- chrome -------------------------------------------------------------------------------------

def strip_chrome(paras: list[str], *, keep_separators: bool = False) -> list[str]:
    """Drop site chrome; separators become :data:`SEPARATOR` markers if ``keep_separators``."""
    cfg = chrome()
    out = []
    for p in paras:
        if keep_separators and cfg.separators.match(p):
            out.append(SEPARATOR)
        elif not cfg.paragraphs.match(p):
            out.append(p)
    return out


def _split_salutations(paras: list[str]) -> list[str]:
    """"Dear Mr. Dean: The United States…" → "Dear Mr. Dean:", "The United States…"."""
    out = []
    for p in paras:
        match = chrome().salutation_inline.match(p)
        out.extend([match.group(1), p[match.end():]] if match else [p])
    return out


def _cut_tail(paras: list[str]) -> list[str]:
    """Drop a related-posts block: from its heading to the end, once a question has been seen."""
    tail = chrome().tail
    out: list[str] = []
    asked = False
    for p in paras:
        if not tail.match(p):
            out.append(p)
            asked = asked or "?" in p
        elif asked:
            break
    return out


def clean_title(title: str) -> str:
    title = " ".join(title.split())
    for rx in chrome().title_suffixes:
        title = rx.sub("", title)
    return title


def _words(p: str) -> int:
    return len(p.split())


def _is_salutation(p: str) -> bool:
    return bool(chrome().salutation.match(p)) and _words(p) <= 8


def _is_closing(p: str) -> bool:
    return bool(chrome().closing.match(p)) and _words(p) <= 8


def _drop_closings(paras: list[str]) -> list[str]:
    """``paras`` without trailing closings ("Thank you.", "Sincerely,") and separators."""
    end = len(paras)
    while end and (_is_closing(paras[end - 1]) or paras[end - 1] == SEPARATOR):
        end -= 1
    return paras[:end]


def _name_part(line: str) -> str:
    """``line`` without a leading dash or closing: "—Jon Guttman", "Sincerely, Tony Dean"."""
    return chrome().closing_prefix.sub("", _DASH.sub("", line))


def _title_case(p: str) -> bool:
    """Starts with a capital and at least half its words do: a name, a job title, a place."""
    words = [w.lstrip("(\"“'‘") for w in p.split()]
    words = [w for w in words if w[:1].isalpha()]
    capital = sum(w[0].isupper() for w in words)
    return bool(words) and words[0][0].isupper() and 2 * capital >= len(words)


# --- signature ----------------------------------------------------------------------------------

def _is_signature_line(p: str) -> bool:
    cfg = chrome()
    name = _name_part(p)
    parts = [part for part in name.split(",") if part.strip()]
    return (p != SEPARATOR and bool(parts) and len(parts) <= cfg.signature_max_lines
            and all(_words(part) <= cfg.signature_max_words for part in parts)
            and not _ABBREVIATIONS.sub("", name).rstrip().endswith(_END_PUNCTUATION)
            and not re.match(r"^([•*·]|\d+[.)])", name) and _title_case(name))


def _signature_start(paras: list[str]) -> int:
    """Index where the trailing signature block starts (``len(paras)`` if there is none)."""
    cfg = chrome()
    start = len(paras)
    while start > 1 and len(paras) - start < cfg.signature_max_lines and _is_signature_line(paras[start - 1]):
        start -= 1
        if _name_part(paras[start]) != paras[start]:
            return start  # "—Jon Guttman", "Sincerely, Jon Guttman": the name line
    known = [i for i in range(start, len(paras))
             if " ".join(_name_part(paras[i]).lower().split(",")[0].split()) in cfg.signers]
    return known[-1] if known else start


def _signature(paras: list[str]) -> tuple[list[str], list[str]]:
    """(text, signature block); a bibliography after the signature stays with the text (rule 4)."""
    heading = next((i for i, p in enumerate(paras) if chrome().sources.match(p)), None)
    if heading is not None:
        start = _signature_start(paras[:heading])
        if start < heading:
            return paras[:start] + paras[heading:], paras[start:heading]
    start = _signature_start(paras)
    return paras[:start], paras[start:]


def _signer(block: list[str]) -> tuple[str, str]:
    """(answerer, answerer_title) from a signature block's lines."""
    parts = [" ".join(part.split()) for line in block for part in _name_part(line).split(",")]
    parts = [part for part in parts if part]
    return (parts[0], ", ".join(parts[1:])) if parts else ("", "")


# --- question -----------------------------------------------------------------------------------

_PARTICLES = {"de", "da", "del", "della", "der", "den", "di", "du", "la", "le", "van", "von", "y", "bin", "ibn",
              "al", "el", "of", "and"}


def _is_name_line(p: str, max_words: int) -> bool:
    """A short line such as "Tony Dean", "A. J. Reader" or "Jane Roe, Dayton, Ohio": no sentence, no question.

    Every word of the name (before the first comma) is capitalised, bar particles such as "de" or "von".
    """
    name = _name_part(p)
    bare = _ABBREVIATIONS.sub("", name)
    words = [w.lstrip("(\"“'‘") for w in name.split(",")[0].split()]
    return (p != SEPARATOR and 1 <= _words(name) <= max_words and not _is_closing(p)
            and not name.endswith(("?", ":", ";", "!")) and _title_case(name)
            and all(w[:1].isupper() or not w[:1].isalpha() or w in _PARTICLES for w in words)
            and not re.search(r"[.!?]\s+\S", bare))


def _asker_lines(head: list[str]) -> int:
    """How many of the last paragraphs above an answer sign the letter: "Tony Dean" (1), or
    "Tony Dean" / "Portland, Ore." (2); 0 if none, or if nothing would be left of the question."""
    max_words = chrome().asker_max_words
    if len(head) < 2 or not _is_name_line(head[-1], max_words):
        return 0
    place = "," in head[-1] and "," not in head[-2] and _words(head[-2]) <= 4
    return 2 if len(head) > 2 and place and _is_name_line(head[-2], max_words) else 1


def _asker(line: str) -> str:
    """The reader's name as signed, place kept; a final full stop dropped unless it ends an abbreviation."""
    name = _name_part(line).rstrip(",")
    last = name.split()[-1] if name.split() else ""
    abbreviation = _ABBREVIATIONS.search(last) or ("," in name and len(last) <= 6 and last[:1].isupper())
    return name if abbreviation else name.rstrip(".")


def _is_headline(p: str) -> bool:
    """Headline title case: every word of four letters or more capitalised, at least three of them."""
    long_words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", p) if len(w) >= 4]
    return (len(long_words) >= 3 and all(w[0].isupper() for w in long_words) and _words(p) <= 20
            and not p.endswith("."))


def _question(head: list[str], *, first: bool) -> tuple[str, str, str, list[str]]:
    """(question, asker, headline, warnings) from the paragraphs above an answer."""
    cfg = chrome()
    head = [p for p in head if p != SEPARATOR and not cfg.question_chrome.match(p)]
    greeting = 0
    while greeting < len(head) and _is_salutation(head[greeting]):
        greeting += 1  # the reader's own greeting ("Dear Mr. History,")
    head = head[greeting:]
    asker, headline, warnings = "", "", []
    head = _drop_closings(head)
    lines = _asker_lines(head)
    if lines:
        asker, head = _asker(", ".join(head[-lines:])), _drop_closings(head[:-lines])
    elif head:
        warnings.append("no asker line found above the answer")
    if first and len(head) > 1 and _is_headline(head[0]):
        headline, head = head[0], head[1:]
    return "\n\n".join(head), asker, headline, warnings


# --- pairs --------------------------------------------------------------------------------------

def _salutations(paras: list[str]) -> list[int]:
    """Indices of salutations that open an answer (each after some question text)."""
    found, text_seen = [], False
    for i, p in enumerate(paras):
        if _is_salutation(p):
            if text_seen:
                found.append(i)
                text_seen = False
        elif p != SEPARATOR:
            text_seen = True
    return found


def _name_boundaries(paras: list[str]) -> list[int]:
    """Without salutations: indices just after a reader's name line that follows a question."""
    found = [i for i in range(1, len(paras) - 1)
             if (paras[i - 1].endswith("?") or _is_closing(paras[i - 1]))
             and _is_name_line(paras[i], chrome().asker_max_words)]
    return [i + (2 if i + 2 < len(paras) and _asker_lines(paras[i - 1:i + 2]) == 2 else 1) for i in found]


def _question_start(paras: list[str], lo: int, hi: int) -> int:
    """Where a further question starts between the previous answer's start ``lo`` and its own end ``hi``."""
    text_below = False
    for j in range(hi - 1, lo, -1):
        if paras[j] != SEPARATOR:
            text_below = True
        elif text_below:
            return j + 1  # just after the last separator with question text below it
    start = hi - 1 if hi - 1 > lo + 1 and _is_name_line(paras[hi - 1], chrome().asker_max_words) else hi
    start = max(start - 1, lo + 1)
    while start - 1 > lo and paras[start - 1].endswith("?"):
        start -= 1
    return start


def parse(text: str) -> QA:
    """Split a column into question, asker, salutation, answer and signature; site chrome removed."""
    qa = QA()
    paras = _split_salutations(_cut_tail(strip_chrome(paragraphs(text), keep_separators=True)))
    while paras and paras[-1] == SEPARATOR:
        paras = paras[:-1]
    paras, block = _signature(paras)
    qa.answerer, qa.answerer_title = _signer(block)
    if not any(p != SEPARATOR for p in paras):
        return qa
    openers = _salutations(paras)
    content = [i for i, p in enumerate(paras) if p != SEPARATOR]
    if not openers and _is_salutation(paras[content[0]]) and len(content) > 1:
        openers = [content[0]]  # an answer without its question
    if openers:
        qa.salutation = paras[openers[0]]
        bounds = [(i, i + 1) for i in openers]  # (question ends, answer starts)
    elif bounds := [(i, i) for i in _name_boundaries(paras)]:
        qa.warnings.append("no salutation found; question ends at the reader's name line")
    else:
        qa.answer = "\n\n".join(_drop_closings([p for p in paras if p != SEPARATOR]))
        qa.warnings.append("no question/answer structure recognised; whole text kept as answer")
        return _signed(qa, block)
    _pairs(qa, paras, bounds)
    return _signed(qa, block)


def _pairs(qa: QA, paras: list[str], bounds: list[tuple[int, int]]) -> None:
    """Fill question, asker and answer from the (question end, answer start) boundaries (rule 7)."""
    starts = [0] + [_question_start(paras, bounds[k - 1][1], bounds[k][0]) for k in range(1, len(bounds))]
    questions, askers, answers = [], [], []
    for k, ((q_end, a_start), q_start) in enumerate(zip(bounds, starts)):
        a_end = starts[k + 1] if k + 1 < len(bounds) else len(paras)
        question, asker, headline, warnings = _question(paras[q_start:q_end], first=k == 0)
        qa.headline = qa.headline or headline
        qa.warnings.extend(w for w in warnings if w not in qa.warnings)
        questions.append(question)
        askers.append(asker)
        answers.append("\n\n".join(_drop_closings([p for p in paras[a_start:a_end] if p != SEPARATOR])))
    qa.question = "\n\n".join(q for q in questions if q)
    qa.asker = "; ".join(a for a in askers if a)
    qa.answer = "\n\n".join(a for a in answers if a)
    if len(bounds) > 1:
        qa.warnings.append(f"{len(bounds)} question/answer pairs in one column; joined in order")
    if not qa.question:
        qa.warnings.append("empty question")


def _signed(qa: QA, block: list[str]) -> QA:
    if not block:
        qa.warnings.append("no signature found after the answer")
    return qa
