"""A time limit for parsing one file: an upper bound that turns an unforeseen slow input into a
reported problem (``parse-timeout``) instead of a run that never ends.

The parsers are linear; this is the guard behind that. ``with time_limit(30):`` sets the limit for
the code inside; the parsers call :func:`check` in their loops and pass :func:`remaining` as the
timeout of every chrome pattern (the ``regex`` module stops a match that runs past it).
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar

#: Seconds one corpus file (or one harvested response) may take to parse.
DEFAULT_SECONDS = 30.0

_deadline: ContextVar[tuple[float, float] | None] = ContextVar("mrhistory_parse_deadline", default=None)


class ParseTimeout(Exception):
    """Parsing ran past its time limit."""

    def __init__(self, seconds: float):
        super().__init__(f"parsing took longer than the limit of {seconds:g} s; not analysed")
        self.seconds = seconds


@contextmanager
def time_limit(seconds: float | None):
    """Code inside may run ``seconds`` (None: no limit); past that, :func:`check` raises :class:`ParseTimeout`."""
    token = _deadline.set(None if seconds is None else (time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left (None without a limit); raises :class:`ParseTimeout` when none are."""
    current = _deadline.get()
    if current is None:
        return None
    left = current[0] - time.monotonic()
    if left <= 0:
        raise ParseTimeout(current[1])
    return left


def check() -> None:
    remaining()


def expired() -> ParseTimeout:
    """The error for a limit that has run out (a pattern match stopped by its timeout)."""
    current = _deadline.get()
    return ParseTimeout(current[1] if current else 0.0)
