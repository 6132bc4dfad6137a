"""Writing results: atomic files, deterministic CSV, and the manifest with provenance."""
from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path

import pandas as pd


def _new_file_mode(path: Path) -> int:
    """The mode ``path`` keeps if it exists, else what ``open()`` would give (0o666 less the umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename: never half-written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _new_file_mode(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)  # mkstemp makes files private; outputs are as shareable as any file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def table_bytes(df: pd.DataFrame) -> bytes:
    """The CSV bytes of a table: UTF-8, ``\\n`` line ends, no index, floats to 6 significant digits."""
    return df.to_csv(index=False, lineterminator="\n", float_format="%.6g").encode("utf-8")


def write_table(df: pd.DataFrame, path: str | Path) -> Path:
    return atomic_write_bytes(path, table_bytes(df))


def json_bytes(data) -> bytes:
    """JSON as the toolkit writes it: sorted keys, two-space indent, UTF-8, a final newline."""
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_json(data, path: str | Path) -> Path:
    return atomic_write_bytes(path, json_bytes(data))


def sha256_file(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def corpus_digest(files: pd.DataFrame) -> str:
    """One hash naming the whole corpus: the sorted (file, sha256) pairs."""
    lines = sorted(f"{f}\t{s}" for f, s in zip(files["file"], files["sha256"]))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
