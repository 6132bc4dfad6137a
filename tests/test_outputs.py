"""Atomic, deterministic writing of results."""
from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from mrhistory import outputs


def test_atomic_write_leaves_no_temporary_files_and_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = outputs.atomic_write_bytes(tmp_path / "sub" / "a.csv", b"x\n")
    finally:
        os.umask(old)
    assert path.read_bytes() == b"x\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["a.csv"]


def test_existing_file_keeps_its_mode(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"old")
    path.chmod(0o640)
    outputs.atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o640


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    path.write_bytes(b"old")

    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr(outputs.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        outputs.atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_table_bytes_are_stable():
    df = pd.DataFrame({"a": ["x", "y"], "b": [0.1234567891, 2.0]})
    assert outputs.table_bytes(df) == b"a,b\nx,0.123457\ny,2\n"
