"""Column text → question, asker, answer, answerer: the Q&A structure of an "Ask Mr. History" column."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Chrome:
    """Site-chrome patterns and structure limits, read from the package's ``data/chrome.toml``."""

    paragraphs: tuple[re.Pattern, ...]
    title_suffixes: tuple[re.Pattern, ...]
    salutation: re.Pattern
    signature_max_words: int
    signature_max_lines: int
    asker_max_words: int


@lru_cache(maxsize=1)
def chrome() -> Chrome:
    raw = tomllib.loads(resources.files("mrhistory").joinpath("data/chrome.toml").read_text("utf-8"))
    flags = re.IGNORECASE
    return Chrome(
        paragraphs=tuple(re.compile(p, flags) for p in raw["paragraphs"]),
        title_suffixes=tuple(re.compile(p, flags) for p in raw["title_suffixes"]),
        salutation=re.compile(raw["salutation"], flags),
        signature_max_words=raw["signature_max_words"],
        signature_max_lines=raw["signature_max_lines"],
        asker_max_words=raw["asker_max_words"],
    )


@dataclass
class QA:
    question: str = ""
    asker: str = ""
    salutation: str = ""
    answer: str = ""
    answerer: str = ""
    answerer_title: str = ""
    warnings: list[str] = field(default_factory=list)


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each on one line.

    A block of lines that are all short (a signature "name / title / publication" written
    with line breaks) is split into one paragraph per line; other blocks are hard-wrapped
    prose and are joined.
    """
    limit = chrome().signature_max_words
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n") if line.strip()]
        if len(lines) > 1 and all(_words(line) <= limit for line in lines):
            out.extend(lines)
        elif lines:
            out.append(" ".join(lines))
    return out


def strip_chrome(paras: list[str]) -> list[str]:
    patterns = chrome().paragraphs
    return [p for p in paras if not any(rx.match(p) for rx in patterns)]


def clean_title(title: str) -> str:
    title = " ".join(title.split())
    for rx in chrome().title_suffixes:
        title = rx.sub("", title)
    return title


def _words(p: str) -> int:
    return len(p.split())


_ABBREVIATIONS = re.compile(r"\b([A-Z]|Mr|Mrs|Ms|Dr|Lt|Col|Gen|Capt|Sgt|Maj|St|Jr|Sr|Rev|Prof|Ret)\.")


def _is_name_line(p: str, max_words: int) -> bool:
    """A short line such as "Tony Dean", "A. J. Reader" or "Jane Roe, Dayton, Ohio": no sentence, no question."""
    bare = _ABBREVIATIONS.sub("", p)
    return (_words(p) <= max_words and not p.endswith(("?", ":", ";", "!"))
            and not re.search(r"[.!?]\s+\S", bare) and not (bare.endswith(".") and _words(p) > 4))


def _signature(paras: list[str]) -> int:
    """Index where the trailing signature block starts (len(paras) if there is none)."""
    cfg = chrome()
    start = len(paras)
    while (start > 1 and len(paras) - start < cfg.signature_max_lines
           and _words(paras[start - 1]) <= cfg.signature_max_words
           and not paras[start - 1].endswith((".", "?", "!", ":", ";", ",", "”", '"'))):
        start -= 1
    return start


def parse(text: str) -> QA:
    """Split a column into question, asker, salutation, answer and signature; site chrome removed."""
    cfg = chrome()
    paras = strip_chrome(paragraphs(text))
    qa = QA()
    if not paras:
        return qa
    sal = next((i for i, p in enumerate(paras) if cfg.salutation.match(p) and _words(p) <= 8), None)
    if sal is None:
        # No salutation: accept "question?" followed by a reader's name line as the Q/A boundary.
        sal_like = next((i for i in range(1, len(paras) - 1)
                         if paras[i - 1].endswith("?") and _is_name_line(paras[i], cfg.asker_max_words)
                         and _words(paras[i]) >= 1), None)
        if sal_like is None:
            qa.answer = "\n\n".join(paras)
            qa.warnings.append("no question/answer structure recognised; whole text kept as answer")
            return qa
        head, body = paras[: sal_like + 1], paras[sal_like + 1:]
        qa.warnings.append("no salutation found; question ends at the reader's name line")
    else:
        head, body = paras[:sal], paras[sal + 1:]
        qa.salutation = paras[sal]
    if len(head) > 1 and _is_name_line(head[-1], cfg.asker_max_words):
        qa.asker = head[-1].rstrip(",.")
        head = head[:-1]
    elif head:
        qa.warnings.append("no asker line found above the answer")
    qa.question = "\n\n".join(head)
    sig = _signature(body)
    if sig < len(body) and sig > 0:
        qa.answerer = body[sig]
        qa.answerer_title = ", ".join(body[sig + 1:])
        body = body[:sig]
    else:
        qa.warnings.append("no signature found after the answer")
    qa.answer = "\n\n".join(body)
    if not qa.question:
        qa.warnings.append("empty question")
    return qa
