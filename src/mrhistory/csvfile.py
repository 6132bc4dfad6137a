"""CSV files a historian edits by hand: ``#`` lines are comments, every row keeps its line number."""
from __future__ import annotations

import csv
import io

#: The key under which :func:`commented_rows` flags a row with more fields than the header.
EXTRA_FIELDS = "\x00extra"


def commented_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """(line number in the file, row) for every data row; keys lower-cased, values stripped.

    Blank lines and lines starting with ``#`` are skipped; a row with more fields than the header
    carries :data:`EXTRA_FIELDS`, so the caller can say which line is malformed.
    """
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        return []
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in numbered)))
    rows = []
    for row in reader:
        line = numbered[min(reader.line_num, len(numbered)) - 1][0]
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        if row.get(None):
            clean[EXTRA_FIELDS] = "yes"
        rows.append((line, clean))
    return rows
