"""Bytes → text: decoding, normalisation, and the three file formats (txt, HTML page, WordPress JSON).

Every step is linear in the size of the file, whatever it holds: HTML is walked once without
recursion (any depth of nesting), JSON nested too deeply is a reported problem, and the
:mod:`~mrhistory.deadline` time limit is checked as the walk goes.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, CData, NavigableString, ParserRejectedMarkup, Tag

from . import deadline

#: Corpus files (and harvested responses) larger than this are skipped and reported (--max-bytes).
DEFAULT_MAX_BYTES = 5_000_000
FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".json": "json"}

# Odd spaces copied from web pages: no-break, thin, figure, narrow no-break, ideographic…
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Control characters left after line ends and odd spaces are unified; they are never text.
_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_TEXT_TYPES = (NavigableString, CData)  # what bs4's get_text() keeps: no comments, scripts, ruby annotations
_BLOCK_TAGS = frozenset(("p", "div", "section", "article", "blockquote", "li", "ul", "ol", "h1", "h2",
                         "h3", "h4", "h5", "h6", "table", "tr", "pre", "figure", "figcaption", "header", "footer"))
_DROP_TAGS = frozenset(("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
                        "form", "iframe", "svg", "button", "select", "input", "figure", "img", "video", "audio"))
_DROP_CLASS = re.compile(r"(^|[-_ ])(sidebar|share|sharing|sharedaddy|social|newsletter|comments?|related|"
                         r"relatedposts|menu|breadcrumbs?|advert|ads?|promo|subscribe|widget|cookie|popup|modal|"
                         r"byline|entry-meta|post-meta|wp-caption)([-_ ]|$)", re.I)
_MAIN_SELECTORS = (  # what _main() finds, in one walk
    ".entry-content", "article .post-content", "article", "main", "[role=main]", "#content", "body")


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
    problem: InputProblem | None = None  # an item of a JSON list that is not a post: reported, not read


def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode file bytes: a byte-order mark's encoding (UTF-8, UTF-16, UTF-32); UTF-16 recognised by its
    NUL bytes, with a warning; else UTF-8, else cp1252 with a warning. Binary is refused."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _no_nul(data[len(bom):].decode(codec)), []
            except UnicodeDecodeError as exc:
                raise InputProblem("undecodable", f"starts with a {codec.upper()} byte-order mark but is not "
                                                  f"{codec.upper()} ({exc.reason} at byte {exc.start + len(bom)})") from None
    if b"\x00" in data[:8192]:
        codec = _utf16_without_bom(data)
        try:
            if codec:
                return _no_nul(data.decode(codec)), [f"no byte-order mark; decoded as {codec.upper()}"]
        except (UnicodeDecodeError, InputProblem):
            pass
        raise InputProblem("binary", "contains NUL bytes; not a text file")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputProblem("undecodable", f"neither UTF-8 nor cp1252 ({utf8_error.reason} at byte {utf8_error.start})")
    return text, [f"not UTF-8 (byte {utf8_error.start}); decoded as cp1252"]


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text in a Latin script has a NUL in every other byte: the high or the low one."""
    sample = data[:8192]
    half = len(sample) // 2
    if half < 2:
        return None
    nul_even, nul_odd = sample[0::2].count(0), sample[1::2].count(0)
    if nul_odd >= 0.8 * half and nul_even <= 0.05 * half:
        return "utf-16-le"
    if nul_even >= 0.8 * half and nul_odd <= 0.05 * half:
        return "utf-16-be"
    return None


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise InputProblem("binary", "contains NUL characters; not a text file")
    return text


def normalise(text: str) -> str:
    """Unify line endings and spaces, keep paragraphs (blank-line separated) and typography; drop control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROLS.sub("", _ZERO_WIDTH.sub("", _SPACES.sub(" ", text)))
    lines = [line.strip() for line in re.sub(r" {2,}", " ", text).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str, *, page: bool = False) -> str:
    """Readable text of an HTML page or fragment: paragraphs kept, page furniture and scripts dropped."""
    return _soup_text(_soup(markup), page=page)


def _soup(markup: str) -> BeautifulSoup:
    try:
        return BeautifulSoup(markup, "lxml")
    except (ParserRejectedMarkup, ValueError) as exc:
        raise InputProblem("malformed-html", f"not readable as HTML ({exc})") from None


def _dropped(tag: Tag) -> bool:
    """Page furniture: a dropped tag, or a class or id naming a sidebar, share buttons, comments …"""
    if tag.name in _DROP_TAGS:
        return True
    attrs = tag.attrs
    if not attrs:
        return False
    marks = " ".join([*attrs.get("class", []), attrs.get("id", "") or ""])
    return bool(marks and _DROP_CLASS.search(marks))


def _main(soup: BeautifulSoup) -> Tag:
    """The page's main text: the first element matching the first of :data:`_MAIN_SELECTORS` that any
    element matches, furniture left out. One walk: a CSS engine checks every ancestor of every
    candidate for ``article .post-content``, which is quadratic in a deeply nested page."""
    post_content = article = main = role_main = content = body = None
    articles = 0  # open <article> elements around the current one
    stack, owners = [iter(soup.contents)], [None]
    while stack:
        for node in stack[-1]:
            if not isinstance(node, Tag) or _dropped(node):
                continue
            name, attrs = node.name, node.attrs
            classes = attrs.get("class") or ()
            classes = classes.split() if isinstance(classes, str) else classes
            if "entry-content" in classes:
                return node  # the first selector, in document order: nothing can beat it
            if post_content is None and articles and "post-content" in classes:
                post_content = node
            if name == "article":
                article = article or node
                articles += 1
            elif name == "main":
                main = main or node
            elif name == "body":
                body = body or node
            if role_main is None and attrs.get("role") == "main":
                role_main = node
            if content is None and attrs.get("id") == "content":
                content = node
            stack.append(iter(node.contents))
            owners.append(node)
            break
        else:
            stack.pop()
            articles -= getattr(owners.pop(), "name", None) == "article"
            deadline.check()
    return next((tag for tag in (post_content, article, main, role_main, content, body) if tag is not None), soup)


def _soup_text(soup: BeautifulSoup, *, page: bool) -> str:
    """The text under the main element (``page``) or the whole soup, furniture left out: ``<br>`` is a
    line break, a block element a paragraph break. One walk over the tree, never recursing."""
    root = _main(soup) if page else soup
    types = root.interesting_string_types or _TEXT_TYPES  # as bs4's get_text(): a <rt> holds ruby text
    types = {types} if isinstance(types, type) else set(types)
    breaks = NavigableString in types  # a line or paragraph break is plain text, not ruby text
    parts: list[str] = []
    stack, owners = [iter(root.contents)], [None]
    while stack:
        for node in stack[-1]:
            if not isinstance(node, Tag):
                if type(node) in types:
                    parts.append(node)
                continue
            if _dropped(node) or (page and node.name == "h1"):  # the headline is metadata (title), not column text
                continue
            if node.name == "br":
                parts.extend("\n" * breaks)
                continue
            if node.name in _BLOCK_TAGS:
                parts.extend(["\n\n"] * breaks)
            stack.append(iter(node.contents))
            owners.append(node)
            break
        else:
            stack.pop()
            if getattr(owners.pop(), "name", None) in _BLOCK_TAGS:
                parts.extend(["\n\n"] * breaks)
            deadline.check()
    return normalise(html.unescape("".join(parts)))


def _page_metadata(soup: BeautifulSoup) -> tuple[str, str, str]:
    """(canonical url, title, published date) of a page, found in one pass over its link, meta,
    time and title tags (a search per field would walk a large page a dozen times)."""
    canonical = time_tag = title_tag = None
    by_property: dict[str, Tag] = {}
    by_name: dict[str, Tag] = {}
    for tag in soup.find_all(["link", "meta", "time", "title"]):
        attrs = tag.attrs
        if tag.name == "link":
            rel = attrs.get("rel") or []
            if canonical is None and ("canonical" in rel or " ".join(rel) == "canonical" or rel == "canonical"):
                canonical = tag
        elif tag.name == "meta":
            for key, found in (("property", by_property), ("name", by_name)):
                value = attrs.get(key)
                if isinstance(value, str):
                    found.setdefault(value, tag)
        elif tag.name == "time":
            if time_tag is None and attrs.get("datetime") is not None:
                time_tag = tag
        elif title_tag is None:
            title_tag = tag

    def meta(*names: str) -> str:
        for name in names:
            tag = by_property.get(name) or by_name.get(name)
            if tag is not None and _text(tag.get("content")).strip():
                return _text(tag.get("content")).strip()
        return ""

    title = meta("og:title") or (title_tag.get_text(strip=True) if title_tag is not None else "")
    url = (_text(canonical.get("href")).strip() if canonical is not None else "") or meta("og:url")
    published = iso_date(meta("article:published_time", "date", "dc.date")
                         or (_text(time_tag.get("datetime")) if time_tag is not None else ""))
    return url, html.unescape(title), published


def iso_date(value: str) -> str:
    """The ISO day of a timestamp such as ``2019-05-14T10:00:00+00:00``; empty if there is none."""
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value or "")
    return match.group(1) if match else ""


def read_txt(text: str) -> list[Source]:
    return [Source(normalise(text))]


def read_html(text: str) -> list[Source]:
    soup = _soup(text)
    url, title, published = _page_metadata(soup)
    return [Source(_soup_text(soup, page=True), url=url, title=title, published=published)]


def _text(value) -> str:
    """A field's value as text: strings and numbers; anything else (a list, an object) is no value."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def read_json(text: str) -> list[Source]:
    """One WordPress REST API post object, or a list of them; an item that is not a post is reported
    (``Source.problem``) and the others are read."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputProblem("malformed-json", "nested too deeply to be a WordPress post") from None
    except ValueError as exc:  # JSONDecodeError, or an integer too long to convert
        raise InputProblem("malformed-json", f"not valid JSON: {exc}") from None
    if isinstance(data, list) and not data:
        raise InputProblem("empty", "an empty JSON list: no posts")
    posts = data if isinstance(data, list) else [data]
    sources = []
    for i, post in enumerate(posts):
        deadline.check()
        content = post.get("content") if isinstance(post, dict) else None
        body = content.get("rendered") if isinstance(content, dict) else content
        if not isinstance(body, str):
            problem = InputProblem("malformed-json", f"item {i} is not a WordPress post (no content.rendered)")
            if not isinstance(data, list):
                raise problem
            sources.append(Source("", key=str(i), problem=problem))
            continue
        title = post.get("title", "")
        title = _text(title.get("rendered", "")) if isinstance(title, dict) else _text(title)
        sources.append(Source(
            html_to_text(body),
            key=(_text(post.get("slug")) or _text(post.get("id")) or str(i)) if isinstance(data, list) else None,
            url=_text(post.get("link")),
            title=html_to_text(title),
            published=iso_date(_text(post.get("date"))),
        ))
    return sources


READERS = {"txt": read_txt, "html": read_html, "json": read_json}
