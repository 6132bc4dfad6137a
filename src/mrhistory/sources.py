"""Bytes → text: decoding, normalisation, and the three file formats (txt, HTML page, WordPress JSON)."""
from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

#: Corpus files (and harvested responses) larger than this are skipped and reported (--max-bytes).
DEFAULT_MAX_BYTES = 5_000_000
FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".json": "json"}

# Odd spaces copied from web pages: no-break, thin, figure, narrow no-break, ideographic…
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BLOCK_TAGS = ("p", "div", "section", "article", "blockquote", "li", "ul", "ol", "h1", "h2",
               "h3", "h4", "h5", "h6", "table", "tr", "pre", "figure", "figcaption", "header", "footer")
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
              "form", "iframe", "svg", "button", "select", "input", "figure", "img", "video", "audio")
_DROP_CLASS = re.compile(r"(^|[-_ ])(sidebar|share|sharing|sharedaddy|social|newsletter|comments?|related|"
                         r"relatedposts|menu|breadcrumbs?|advert|ads?|promo|subscribe|widget|cookie|popup|modal|"
                         r"byline|entry-meta|post-meta|wp-caption)([-_ ]|$)", re.I)
_MAIN_SELECTORS = (".entry-content", "article .post-content", "article", "main", "[role=main]", "#content", "body")


class InputProblem(ValueError):
    """A file that cannot be read as a column; ``code`` is the short name reported in corpus_report.csv."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass
class Source:
    """One column's text as found in a file, before its Q&A structure is parsed."""

    text: str
    key: str | None = None  # distinguishes posts inside one JSON file (their slug)
    url: str = ""
    title: str = ""
    published: str = ""
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode file bytes: UTF-8 (BOM or not), else cp1252 with a warning; binary is refused."""
    if b"\x00" in data[:8192]:
        raise InputProblem("binary", "contains NUL bytes; not a text file")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputProblem("undecodable", f"neither UTF-8 nor cp1252 ({utf8_error.reason} at byte {utf8_error.start})")
    return text, [f"not UTF-8 (byte {utf8_error.start}); decoded as cp1252"]


def normalise(text: str) -> str:
    """Unify line endings and spaces, keep paragraphs (blank-line separated) and typography."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _ZERO_WIDTH.sub("", _SPACES.sub(" ", text))
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str, *, page: bool = False) -> str:
    """Readable text of an HTML page or fragment: paragraphs kept, page furniture and scripts dropped."""
    soup = BeautifulSoup(markup, "lxml")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None:  # inside an already removed subtree
            continue
        marks = " ".join([*tag.get("class", []), tag.get("id", "") or ""])
        if marks and _DROP_CLASS.search(marks):
            tag.decompose()
    root = soup
    if page:
        root = next((found for sel in _MAIN_SELECTORS if (found := soup.select_one(sel))), soup)
        for heading in root.find_all("h1"):
            heading.decompose()  # the headline is metadata (title), not column text
    for br in root.find_all("br"):
        br.replace_with("\n")
    for block in root.find_all(_BLOCK_TAGS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    return normalise(html.unescape(root.get_text()))


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and tag.get("content"):
            return tag["content"].strip()
    return ""


def iso_date(value: str) -> str:
    """The ISO day of a timestamp such as ``2019-05-14T10:00:00+00:00``; empty if there is none."""
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value or "")
    return match.group(1) if match else ""


def read_txt(text: str) -> list[Source]:
    return [Source(normalise(text))]


def read_html(text: str) -> list[Source]:
    soup = BeautifulSoup(text, "lxml")
    link = soup.find("link", rel="canonical")
    time_tag = soup.find("time", datetime=True)
    title = _meta(soup, "og:title") or (soup.title.get_text(strip=True) if soup.title else "")
    return [Source(
        html_to_text(text, page=True),
        url=(link.get("href", "").strip() if link else "") or _meta(soup, "og:url"),
        title=html.unescape(title),
        published=iso_date(_meta(soup, "article:published_time", "date", "dc.date")
                           or (time_tag["datetime"] if time_tag else "")),
    )]


def read_json(text: str) -> list[Source]:
    """One WordPress REST API post object, or a list of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputProblem("malformed-json", f"not valid JSON: {exc}") from None
    posts = data if isinstance(data, list) else [data]
    sources = []
    for i, post in enumerate(posts):
        content = post.get("content") if isinstance(post, dict) else None
        body = content.get("rendered") if isinstance(content, dict) else content
        if not isinstance(body, str):
            raise InputProblem("malformed-json", f"item {i} is not a WordPress post (no content.rendered)")
        title = post.get("title", "")
        title = title.get("rendered", "") if isinstance(title, dict) else str(title or "")
        sources.append(Source(
            html_to_text(body),
            key=str(post.get("slug") or post.get("id") or i) if isinstance(data, list) else None,
            url=str(post.get("link") or ""),
            title=html_to_text(title),
            published=iso_date(str(post.get("date") or "")),
        ))
    return sources


READERS = {"txt": read_txt, "html": read_html, "json": read_json}
