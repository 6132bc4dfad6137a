"""Is OUT already exactly what ``analyse`` would write? Then a rerun has nothing to do.

After a run, :func:`record` keeps a stamp in the cache folder (``runs/<hash of OUT's path>.json``):
a digest of every input of the run and the sha256 of the manifest it wrote. A later run is
:func:`up_to_date` when its inputs give the same digest and OUT still holds that manifest and
every output the manifest lists, each with its recorded size and sha256.

The digest covers everything the outputs are made from: every non-hidden file of the corpus
folder (columns, ``metadata.csv``, ``entities.csv``, ``topics.toml``) and the folder's name; the
parameters; the annotation fingerprint (the model's files, spaCy, thinc and numpy, the toolkit's
components); every file of the mrhistory package (code and data); the name and version of every
installed distribution; Python and the platform; matplotlib's user configuration and font list.
Computing it reads files only: no spaCy, pandas or matplotlib import.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
from pathlib import Path

STAMP_FORMAT = 1
_ENV = ("MPLBACKEND", "MATPLOTLIBRC", "MPLCONFIGDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "SOURCE_DATE_EPOCH")


def _files(folder: Path, *, skip_hidden: bool) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).parts
        if "__pycache__" in rel or (skip_hidden and any(part.startswith(".") for part in rel)):
            continue
        if path.is_file():
            found.append(path)
    return found


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _distributions() -> list[str]:
    """Every ``*.dist-info`` / ``*.egg-info`` on the import path: names and versions installed."""
    found = set()
    for entry in sys.path:
        try:
            found.update(name for name in os.listdir(entry or ".") if name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(found)


def _matplotlib_files() -> list[Path]:
    """The user's matplotlib configuration and font cache, wherever matplotlib would look."""
    home = Path.home()
    config = Path(os.environ.get("MPLCONFIGDIR") or Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "matplotlib")
    cache = Path(os.environ.get("MPLCONFIGDIR") or Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "matplotlib")
    candidates = [Path("matplotlibrc"), config / "matplotlibrc", *sorted(cache.glob("fontlist-*.json")),
                  *sorted((config / "stylelib").glob("*"))]
    if os.environ.get("MATPLOTLIBRC"):
        rc = Path(os.environ["MATPLOTLIBRC"])
        candidates.append(rc / "matplotlibrc" if rc.is_dir() else rc)
    return [p for p in candidates if p.is_file()]


def inputs_digest(corpus_dir: str | Path, *, model: str | None, max_bytes: int) -> str | None:
    """sha256 of every input of ``analyse(corpus_dir, model=model, max_bytes=max_bytes)``
    (see the module docstring); None if the corpus folder cannot be read."""
    from .annotation import fingerprint
    from .model import resolve_model_name

    corpus_dir = Path(corpus_dir)
    h = hashlib.sha256()

    def add(*parts) -> None:
        h.update(("\t".join(map(str, parts)) + "\n").encode("utf-8", "surrogateescape"))

    try:
        if not corpus_dir.is_dir():
            return None
        add("format", STAMP_FORMAT)
        add("parameters", model or "", resolve_model_name(model), max_bytes)
        add("annotation", fingerprint(model))
        add("python", sys.version, platform.platform())
        for name in _distributions():
            add("distribution", name)
        package = Path(__file__).resolve().parent
        for path in _files(package, skip_hidden=False):
            add("code", path.relative_to(package).as_posix(), _file_hash(path))
        for name in _ENV:
            add("environment", name, os.environ.get(name, ""))
        for path in _matplotlib_files():
            add("matplotlib", path, _file_hash(path))
        add("corpus", corpus_dir.name)
        for path in _files(corpus_dir, skip_hidden=True):
            add("corpus file", path.relative_to(corpus_dir).as_posix(), _file_hash(path))
    except OSError:
        return None
    return h.hexdigest()


def stamp_path(cache_root: str | Path, out_dir: str | Path) -> Path:
    where = str(Path(out_dir).resolve())
    return Path(cache_root) / "runs" / f"{hashlib.sha256(where.encode('utf-8', 'surrogateescape')).hexdigest()[:24]}.json"


def up_to_date(cache_root: str | Path, out_dir: str | Path, digest: str | None) -> dict | None:
    """The manifest in ``out_dir`` if a run with inputs ``digest`` wrote it and every output it
    lists is still there with its recorded size and sha256; else None (the run must go ahead)."""
    if digest is None:
        return None
    out_dir = Path(out_dir)
    try:
        stamp = json.loads(stamp_path(cache_root, out_dir).read_text("utf-8"))
        blob = (out_dir / "manifest.json").read_bytes()
        if (stamp.get("format") != STAMP_FORMAT or stamp.get("inputs") != digest
                or stamp.get("manifest") != hashlib.sha256(blob).hexdigest()):
            return None
        manifest = json.loads(blob)
        for rel, info in manifest["outputs"].items():
            path = out_dir / rel
            if Path(rel).is_absolute() or ".." in Path(rel).parts or not path.is_file():
                return None
            if path.stat().st_size != info["bytes"] or _file_hash(path) != info["sha256"]:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return manifest


def record(cache_root: str | Path, out_dir: str | Path, digest: str | None) -> None:
    """Remember that inputs ``digest`` made the manifest now in ``out_dir``; silently nothing if
    the cache cannot be written (the next run then simply runs)."""
    if digest is None:
        return
    from .outputs import atomic_write_bytes

    try:
        blob = (Path(out_dir) / "manifest.json").read_bytes()
        stamp = {"format": STAMP_FORMAT, "inputs": digest, "manifest": hashlib.sha256(blob).hexdigest()}
        atomic_write_bytes(stamp_path(cache_root, out_dir), json.dumps(stamp).encode())
    except OSError:
        pass
