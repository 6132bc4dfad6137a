"""Text from untrusted places (file names, pages, servers) made safe to print or write: a newline or
a terminal escape in a file name must not forge a report line or recolour the user's terminal."""
from __future__ import annotations

import re

# C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides (which reorder
# what a terminal shows), and the lone surrogates that stand for undecodable bytes in file names.
_UNPRINTABLE = r"\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_ESCAPE = re.compile(rf"[\\{_UNPRINTABLE}]")
_ONE_LINE = re.compile(rf"[{_UNPRINTABLE}]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")  # bidi marks are kept: titles use them
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escaped(name: str) -> str:
    """``name`` with backslashes and unprintable characters written as escapes (``\\n``, ``\\x1b``,
    ``\\xe9`` for an undecodable byte): one printable line, and two names never look the same."""
    return _ESCAPE.sub(_escape, name)


def one_line(text: str) -> str:
    """``text`` with unprintable characters escaped, backslashes left alone: a message that stays on one line."""
    return _ONE_LINE.sub(_escape, text)


def without_controls(text: str) -> str:
    """``text`` without control characters: what the collector writes into its files."""
    return _CONTROLS.sub("", text)
