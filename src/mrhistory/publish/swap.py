"""Putting a result set into OUT whole, so that OUT always holds one complete set: the old or the new.

The new set is written into a staging folder beside OUT (same file system), then the two folders
swap names in one step (``renameat2(RENAME_EXCHANGE)`` on Linux, ``renamex_np(RENAME_SWAP)`` on
macOS; elsewhere two renames, with OUT briefly absent but never mixed). The user's own files in
OUT — anything that is not part of OUT's set — are then moved from the previous folder into the
new one, and the previous set is deleted. A file belongs to a folder's set only if that folder's
``manifest.json`` lists it as a plain relative path inside the folder, reached without symbolic
links, with the bytes the manifest records; nothing else is ever deleted, and nothing outside OUT
and its staging folders is touched.

Runs on one OUT take turns under a lock file beside OUT (``filelock``: the operating system drops
the lock when its holder dies, so a killed run never blocks the next). Whoever holds the lock first
finishes what a killed or interrupted run left beside OUT (:func:`recover`). Ctrl-C after the swap
is held back until the set is complete; :class:`Interrupted` says which set OUT holds.

Test hook: with ``MRHISTORY_TEST_PAUSE`` set to one of :data:`PAUSE_STEPS`, the write stops there,
says ``mrhistory: test pause at <step>`` on stderr and waits (at most :data:`PAUSE_S` seconds) until
the file named by ``MRHISTORY_TEST_RESUME`` exists, so tests can kill or interrupt a real run at a
known point.
"""
from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import stat
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

from .folder import MANIFEST, OutputError, check_conflicts

#: Present only in a staging folder that has not been swapped in yet.
MARKER = ".mrhistory-staging"
#: How long a run waits for another run on the same OUT to finish writing.
LOCK_TIMEOUT_S = 300.0
PAUSE_STEPS = ("staging", "swap", "swapped", "cleanup")
PAUSE_S = 60.0
_PAUSE_POLL_S = 0.05
#: Staging folder names beside OUT: new (staging; or the previous OUT, right after the swap, if it
#: lacks the marker), prev (the previous OUT moved aside by the two-rename swap), old (the previous
#: set once the user's files are back in OUT: deleted).
_LEFTOVER = r"\.{name}\.mrhistory-(new|prev|old)-[A-Za-z0-9_]+"

Echo = Callable[[str], None]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C while results were being written; :attr:`state` is "unchanged" or "new"."""

    def __init__(self, out: Path, state: str, *, had_results: bool):
        super().__init__(interrupted_state(out, state, had_results=had_results))
        self.out, self.state, self.had_results = out, state, had_results


def interrupted_state(out: str | Path, state: str = "unchanged", *, had_results: bool | None = None) -> str:
    """What OUT holds after an interruption, as a user reads it."""
    out = Path(out)
    if state == "new":
        return f"{out} holds the complete new results"
    if had_results is None:
        had_results = (out / MANIFEST).is_file()
    return f"{out} unchanged: the previous results are intact" if had_results else f"nothing was written to {out}"


# --- which files are a folder's result set -------------------------------------------------------

def _relative(rel: object) -> PurePosixPath | None:
    """``rel`` as a plain relative path inside a folder, or None (absolute, "..", empty parts, NUL)."""
    if not isinstance(rel, str) or not rel or "\x00" in rel or "\\" in rel:
        return None
    parts = rel.split("/")
    if rel.startswith("/") or any(part in ("", ".", "..") for part in parts):
        return None
    return PurePosixPath(rel)


def _plain_file(folder: Path, rel: PurePosixPath) -> bool:
    """A regular file reached from ``folder`` through real folders only (no symbolic link on the way)."""
    path = folder
    try:
        for part in rel.parts[:-1]:
            path = path / part
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                return False
        return stat.S_ISREG(os.lstat(path / rel.parts[-1]).st_mode)
    except OSError:
        return False


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_files(folder: Path) -> dict[str, str]:
    """The files of ``folder``'s result set, relative path → sha256 (its manifest included).

    Only files the manifest lists, as plain relative paths inside the folder, that hold exactly the
    bytes it records: an absolute path, "..", a path through a link, or a file edited since is not
    part of the set, so it is never deleted.
    """
    if not _plain_file(folder, PurePosixPath(MANIFEST)):
        return {}
    try:
        text = (folder / MANIFEST).read_bytes()
        outputs = json.loads(text).get("outputs")
    except (OSError, ValueError, AttributeError):
        return {}
    found = {MANIFEST: hashlib.sha256(text).hexdigest()}
    for rel, info in (outputs.items() if isinstance(outputs, dict) else ()):
        path = _relative(rel)
        if path is None or not isinstance(info, dict) or not _plain_file(folder, path):
            continue
        try:
            if _sha256(folder / path) == info.get("sha256"):
                found[path.as_posix()] = info["sha256"]
        except OSError:
            continue
    return found


# --- the lock ------------------------------------------------------------------------------------

def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.mrhistory.lock"


@contextmanager
def out_lock(out: Path, *, timeout: float = LOCK_TIMEOUT_S, echo: Echo = lambda line: None) -> Iterator[None]:
    """Hold OUT's lock: one run writes OUT at a time. A run that finds it held says so and waits up to
    ``timeout`` seconds, then gives up with a one-line :class:`OutputError`."""
    from filelock import FileLock, Timeout

    path = lock_path(out)
    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        echo(f"outputs: waiting for another mrhistory run to finish writing to {out} (lock {path})")
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise OutputError(f"another mrhistory run is writing to {out} and has held its lock {path} for over "
                              f"{timeout:g} s; try again when it has finished") from None
    try:
        yield
    finally:
        lock.release()


# --- interruptions and the test hook -------------------------------------------------------------

class _Deferred:
    caught = False


@contextmanager
def _interrupts_deferred() -> Iterator[_Deferred]:
    """Hold Ctrl-C back until the block is done (the swap and what completes it), then raise it."""
    state = _Deferred()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def hold(signum, frame):
        state.caught = True

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield state
    finally:
        signal.signal(signal.SIGINT, previous)
    if state.caught:
        if previous is signal.default_int_handler:
            raise KeyboardInterrupt
        if callable(previous):
            previous(signal.SIGINT, None)


def _pause(step: str, deferred: _Deferred | None = None) -> None:
    """The test hook (see the module docstring); does nothing unless MRHISTORY_TEST_PAUSE names ``step``."""
    if os.environ.get("MRHISTORY_TEST_PAUSE") != step:
        return
    print(f"mrhistory: test pause at {step}", file=sys.stderr, flush=True)
    resume = os.environ.get("MRHISTORY_TEST_RESUME")
    for _ in range(int(PAUSE_S / _PAUSE_POLL_S)):
        if (resume and os.path.exists(resume)) or (deferred is not None and deferred.caught):
            return
        time.sleep(_PAUSE_POLL_S)


# --- the swap ------------------------------------------------------------------------------------

def _exchange_call(a: Path, b: Path) -> int | None:
    """Swap the names of ``a`` and ``b`` in one system call; the errno, or None where there is no such call."""
    if not (sys.platform.startswith("linux") or sys.platform == "darwin"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2
        fn = libc.renameat2
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rename_swap = 2
        fn = libc.renamex_np
        fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        rc = fn(os.fsencode(a), os.fsencode(b), rename_swap)
    else:
        return None
    return 0 if rc == 0 else ctypes.get_errno()


def _swap(staging: Path, out: Path) -> None:
    """Afterwards ``out`` is the staged set and ``staging`` the previous OUT."""
    error = _exchange_call(staging, out)
    if error == 0:
        return
    if error not in (None, errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        raise OSError(error, os.strerror(error), str(out))
    aside = out.parent / f".{out.name}.mrhistory-prev-{secrets.token_hex(4)}"
    os.rename(out, aside)  # from here until the next rename OUT is absent; recover() puts it back
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(aside, out)
        raise
    os.rename(aside, staging)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every platform syncs folders; the files themselves are synced
    finally:
        os.close(fd)


def _keep_mode(path: Path, like: Path) -> None:
    """Give ``path`` the mode of ``like`` if that exists as the same kind of thing (a user's chmod
    survives a rerun); otherwise ``path`` keeps the mode the umask gave it."""
    try:
        st = os.lstat(like)
    except OSError:
        return
    if stat.S_IFMT(st.st_mode) == stat.S_IFMT(os.lstat(path).st_mode):
        os.chmod(path, stat.S_IMODE(st.st_mode))


def _new_folder(parent: Path, prefix: str) -> Path:
    """A new, empty folder ``parent/<prefix><random>`` with the umask's mode, as any folder the user makes."""
    for _ in range(100):
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            os.mkdir(path)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a staging folder", str(parent / prefix))


def _stage(staging: Path, out: Path, files: dict[str, bytes], shas: dict[str, str], old: dict[str, str]) -> tuple[int, int]:
    """Write the set into ``staging``; files OUT already holds byte for byte are hard links, not copies.
    Returns (files written, files kept)."""
    written = kept = 0
    folders = {staging}
    rels = [rel for rel in files if rel != MANIFEST] + [MANIFEST]  # the manifest last
    for i, rel in enumerate(rels):
        dest = staging / rel
        for parent in reversed(PurePosixPath(rel).parents[:-1]):
            if not (staging / parent).is_dir():
                os.mkdir(staging / parent)
                _keep_mode(staging / parent, out / parent)
                folders.add(staging / parent)
        if old.get(rel) == shas[rel] and rel != MANIFEST and _link(out / rel, dest, shas[rel]):
            kept += 1
        else:
            with open(dest, "xb") as handle:
                handle.write(files[rel])
                handle.flush()
                os.fsync(handle.fileno())
            _keep_mode(dest, out / rel)
            written += 1
        if i == len(rels) // 2:
            _pause("staging")
    for folder in folders:
        _fsync_dir(folder)
    return written, kept


def _link(source: Path, dest: Path, sha: str) -> bool:
    try:
        os.link(source, dest, follow_symlinks=False)
    except OSError:
        return False
    if _sha256(dest) == sha:
        return True
    dest.unlink()
    return False


def move_back(previous: Path, out: Path) -> int:
    """Move into ``out`` every entry of ``previous`` (a former OUT) that is not part of its result set
    and that ``out`` lacks: the user's own files, folders and links. Returns how many were moved."""
    keep = set(set_files(previous)) | {MARKER}
    set_folders = {p.as_posix() for rel in keep for p in PurePosixPath(rel).parents if p.as_posix() != "."}
    moved = 0
    pending = [PurePosixPath()]
    while pending:  # one visit per folder of ``previous``
        here = pending.pop()
        with os.scandir(previous / here) as entries:
            names = sorted(entry.name for entry in entries)
        for name in names:
            rel = here / name
            key = rel.as_posix()
            source = previous / rel
            if key in keep:
                continue
            if key in set_folders and stat.S_ISDIR(os.lstat(source).st_mode):
                pending.append(rel)  # a results folder: the user's files inside it go back one by one
                continue
            target = out / rel
            if os.path.lexists(target):
                continue  # the new set has this path: the new results win
            for parent in reversed(rel.parents[:-1]):
                if not os.path.lexists(out / parent):
                    os.mkdir(out / parent)
                    _keep_mode(out / parent, previous / parent)
            os.rename(source, target)
            moved += 1
    return moved


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _leftovers(out: Path) -> list[tuple[str, Path]]:
    pattern = re.compile(_LEFTOVER.format(name=re.escape(out.name)))
    found = []
    try:
        entries = sorted(out.parent.iterdir())
    except OSError:
        return []
    for path in entries:
        match = pattern.fullmatch(path.name)
        if match and path.is_dir() and not path.is_symlink():
            found.append((match.group(1), path))
    return found


def recover(out: Path, echo: Echo = lambda line: None) -> None:
    """Finish what a killed run left beside OUT (call with OUT's lock held): put a previous OUT that
    was moved aside back, give the user's files back to OUT, delete unfinished staging folders."""
    leftovers = _leftovers(out)
    if not os.path.lexists(out):  # only the two-rename swap leaves OUT absent: the previous OUT is "prev"
        whole = [(kind, path) for kind, path in leftovers if not (kind == "new" and (path / MARKER).is_file())]
        for kind, path in sorted(whole, key=lambda item: ("prev", "new", "old").index(item[0]))[:1]:
            os.rename(path, out)
            echo(f"outputs: put back the previous results in {out}, which an interrupted run had moved aside")
            leftovers.remove((kind, path))
    if (out / MARKER).is_file():
        (out / MARKER).unlink()
    for kind, path in leftovers:
        if kind == "new" and (path / MARKER).is_file():
            _remove(path)  # never swapped in: only new results, the user's files are all still in OUT
            continue
        moved = move_back(path, out) if out.is_dir() else 0
        if moved:
            echo(f"outputs: put back {moved} file(s) of yours in {out} that an interrupted run had left in {path}")
        _remove(path)


def publish(out: Path, files: dict[str, bytes], *, echo: Echo = lambda line: None) -> tuple[int, int] | None:
    """Make ``files`` (relative path → bytes, ``manifest.json`` among them) OUT's result set, whole.

    Call with OUT's lock held. Returns (files written, files kept as they were), or None when OUT
    already held exactly this set and nothing was written. Raises :class:`OutputError` (one line) on
    a failed write, OUT unchanged; :class:`Interrupted` on Ctrl-C, saying which set OUT holds.
    """
    shas = {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}
    existed = out.is_dir()
    old = set_files(out) if existed else {}
    if existed and old == shas:  # the same manifest, byte for byte, and every file it lists as listed
        return None
    check_conflicts(out, files)
    swapped = False
    staging: Path | None = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = _new_folder(out.parent, f".{out.name}.mrhistory-new-")
        (staging / MARKER).touch()
        counts = _stage(staging, out, files, shas, old)
        _keep_mode(staging, out)
        _pause("swap")
        with _interrupts_deferred() as deferred:
            if existed:
                _swap(staging, out)
            else:
                os.rename(staging, out)
            swapped = True
            (out / MARKER).unlink()
            _fsync_dir(out.parent)
            _pause("swapped", deferred)
            if existed:
                move_back(staging, out)
                trash = out.parent / f".{out.name}.mrhistory-old-{secrets.token_hex(4)}"
                os.rename(staging, trash)
                _pause("cleanup", deferred)
                _remove(trash)
        return counts
    except KeyboardInterrupt:
        if not swapped and staging is not None:
            _remove(staging)
        raise Interrupted(out, "new" if swapped else "unchanged", had_results=bool(old)) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if not swapped:
            if staging is not None:
                _remove(staging)
            raise OutputError(f"cannot write the results to {out}: {reason}; {out} is unchanged") from None
        raise OutputError(f"the new results are complete in {out}, but tidying up failed: {reason}; the next run "
                          "finishes it") from None
