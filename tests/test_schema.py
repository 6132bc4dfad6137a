"""The schema registry: one definition of every output table, and the README generated from it."""
from __future__ import annotations

import pandas as pd
import pytest

from mrhistory.schema import PARTS, TABLES, frame, validate
from tools.readme_tables import README, with_tables


def test_the_readme_table_of_tables_is_generated_from_the_schema():
    text = README.read_text("utf-8")
    assert with_tables(text) == text, "run `python -m tools.readme_tables`"


def test_frame_gives_every_column_its_dtype_even_without_rows():
    for name, table in TABLES.items():
        empty = frame(name)
        assert list(empty.columns) == table.names and dict(empty.dtypes.astype(str)) == table.dtypes
        validate(name, empty)


def test_validate_names_the_table_and_the_wrong_column():
    df = frame("dates")
    with pytest.raises(ValueError, match=r"table dates: columns \[.*\] are not"):
        validate("dates", df.drop(columns="edtf"))
    with pytest.raises(ValueError, match="table dates: inferred is object, not bool"):
        validate("dates", df.astype({"inferred": "object"}))


def test_every_table_has_a_file_and_described_columns():
    paths = [t.path for t in TABLES.values()]
    assert len(set(paths)) == len(paths) and all(p.endswith(".csv") for p in paths)
    assert all(c.description for t in TABLES.values() for c in t.columns)
    assert PARTS == ("question", "answer")
    assert pd.api.types.is_string_dtype(frame("columns")["column_id"])
