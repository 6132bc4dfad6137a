"""Readable labels for columns in figures: the title from the metadata when there is one (else the
column id), shortened at a word boundary, never rotated."""
from __future__ import annotations

import pandas as pd


def shorten(text: str, chars: int) -> str:
    """``text`` cut to at most ``chars`` characters, on a word boundary when one is near, with "…"."""
    text = " ".join(str(text).split())
    if len(text) <= chars:
        return text
    cut = text[: chars - 1]
    if " " in cut[chars // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–(") + "…"


def column_labels(ids, columns: pd.DataFrame | None = None, *, chars: int = 44) -> dict[str, str]:
    """Column id → label for the ids given: its title (shortened) when ``columns`` has one, else the id.
    Two columns whose shortened labels would be the same keep them apart with their position ("· 2")."""
    titles: dict[str, str] = {}
    if columns is not None and "title" in columns:
        for cid, title in zip(columns["column_id"].astype(str), columns["title"]):
            if isinstance(title, str) and title.strip():
                titles[cid] = title
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for cid in map(str, ids):
        label = shorten(titles.get(cid, cid), chars)
        seen[label] = seen.get(label, 0) + 1
        out[cid] = label if seen[label] == 1 else f"{shorten(label, chars - 4)} · {seen[label]}"
    return out
