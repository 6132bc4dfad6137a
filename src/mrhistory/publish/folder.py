"""Which folders may take a run's results: never the corpus or anything overlapping it, never a
file system's root, never a read-only place; checked before any work is done, in the library,
so the command line and the notebooks are protected alike."""
from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath
from typing import Iterable

from ..schema import TABLES

MANIFEST = "manifest.json"
FIGURES_DIR = "figures"


class OutputError(ValueError):
    """OUT cannot take the results; the message is one line naming the folder and the reason."""


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK | os.X_OK)


def _read_only(path: Path) -> str:
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "is on a read-only file system"
    except (OSError, AttributeError):
        pass
    return "is read-only"


def out_folder(out_dir: str | Path, *, corpus_dir: str | Path | None = None) -> Path:
    """The real path of OUT if a run may write there; else :class:`OutputError`.

    Refused: OUT equal to the corpus folder, inside it (the next read would take the results for
    columns) or around it (the swap of OUT would move the corpus); a file system's root or a mount
    point (the new set is staged beside OUT and swapped in, which a root has no room for); a file;
    a read-only OUT, or a read-only parent (where the staging folder goes).
    """
    given = Path(out_dir)
    out = given.resolve()  # a symlinked OUT: write where it really is
    if out == out.parent or os.path.ismount(out):
        raise OutputError(f"output folder {given} is the root of a file system; choose a folder inside it, "
                          f"e.g. {out / 'outputs'}")
    if corpus_dir is not None:
        corpus = Path(corpus_dir).resolve()
        if out == corpus:
            raise OutputError(f"output folder {given} is the corpus folder; results go to a folder outside "
                              f"the corpus, e.g. {corpus.parent / 'outputs'}")
        if corpus in out.parents:
            raise OutputError(f"output folder {given} is inside the corpus folder {corpus_dir}; results go to a "
                              f"folder outside the corpus, e.g. {corpus.parent / 'outputs'}")
        if out in corpus.parents:
            raise OutputError(f"output folder {given} holds the corpus folder {corpus_dir}; results go to a "
                              f"folder of their own, e.g. {out / 'outputs'}")
    if out.exists() and not out.is_dir():
        raise OutputError(f"output folder {given} is a file, not a folder")
    if out.is_dir() and not _writable(out):
        raise OutputError(f"output folder {out} {_read_only(out)}; nothing was written")
    parent = _nearest_existing(out.parent)
    if not _writable(parent):
        raise OutputError(f"{parent} {_read_only(parent)}, so output folder {given} cannot be "
                          + ("updated (new results are staged beside it and swapped in)" if out.exists() else "made")
                          + "; nothing was written")
    check_conflicts(out, [MANIFEST, *(table.path for table in TABLES.values()), f"{FIGURES_DIR}/"])
    return out


def check_conflicts(out: Path, rels: Iterable[str]) -> None:
    """:class:`OutputError` if the results cannot go where they belong in OUT: a file or a link where
    they need a folder (never written through), or a folder where they need a file. A path ending
    in "/" names a folder."""
    for rel in rels:
        parts = PurePosixPath(rel).parts
        path = out
        for i, part in enumerate(parts):
            path = path / part
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                break
            except OSError as exc:
                raise OutputError(f"{path}: {exc.strerror}") from None
            last = i == len(parts) - 1 and not rel.endswith("/")
            if not last and stat.S_ISLNK(mode):
                raise OutputError(f"{path} is a symbolic link; results are written only inside {out}, never "
                                  "through a link: remove the link or choose another output folder")
            if not last and not stat.S_ISDIR(mode):
                raise OutputError(f"{path} is a file, but the results need a folder there; move it or choose "
                                  "another output folder")
            if last and stat.S_ISDIR(mode):
                raise OutputError(f"{path} is a folder, but the results need a file there; move it or choose "
                                  "another output folder")
