"""Where harvested columns go: safe file names, the harvest state, ``metadata.csv`` rows, and the
rule that a file the user edited is never overwritten.

The state lives in ``CORPUS/.mrhistory-collect.json`` and newer remote versions of edited files
in ``CORPUS/.collect/incoming/``: the corpus reader skips both because their names start with ".".
Nothing is written outside the corpus folder or through a link: a state entry naming another path
is refused (reported, that column left alone), and the collector's own files may not be links.
Control characters never reach a file the collector writes.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import __version__, deadline, qa
from ..outputs import atomic_write_bytes, write_json
from ..printable import escaped, one_line, without_controls
from ..read import corpus_entries, corpus_files, read_limited
from ..sources import DEFAULT_MAX_BYTES, FORMATS, READERS, InputProblem, decode

STATE_FILE = ".mrhistory-collect.json"
INCOMING_DIR = ".collect/incoming"
METADATA_FILE = "metadata.csv"
METADATA_HEADER = ["column_id", "url", "title", "published", "notes"]
METADATA_FIELDS = ("url", "title", "published")
MAX_STEM = 100
#: The collector's own paths in a corpus folder; none of them may be a link.
OWN_PATHS = (STATE_FILE, ".collect", INCOMING_DIR)
MAX_STATE_BYTES = 200_000_000
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10)),
             "readme", "license", "metadata", "entities", "topics"}


def _plain_name(name) -> bool:
    """A column file's name as the collector makes it: one path component, not hidden, printable."""
    return isinstance(name, str) and bool(name) and "/" not in name and not name.startswith(".") and name == escaped(name)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_stem(text: str, *, fallback: str = "column") -> str:
    """A file stem from a slug or title: lower-case ASCII letters, digits and single hyphens.

    No path separators, no leading dot, no reserved device names: safe on every platform.
    """
    text = unicodedata.normalize("NFKD", unquote(text or "")).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:MAX_STEM].strip("-")
    if not stem:
        stem = re.sub(r"[^a-z0-9]+", "-", fallback.lower()).strip("-") or "column"
    return f"{stem}-column" if stem in _RESERVED else stem


def url_key(url: str) -> str:
    """A column's identity from its URL: scheme, ``www.``, default port, fragment and final slash ignored."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"//{host}{port}{path}{query}"


def slug_from_url(url: str) -> str:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    last = segments[-1] if segments else ""
    return re.sub(r"\.(s?html?|php|aspx?)$", "", last, flags=re.I)


def content_fingerprint(data: bytes, ext: str) -> tuple[str, dict[str, str]]:
    """What the reader would see in ``data`` (text, url, title, date) as one hash, plus that metadata.

    Comparing fingerprints rather than raw bytes ignores page furniture that changes on every visit.
    Raises :class:`InputProblem` if the reader could not use the file.
    """
    try:
        with deadline.time_limit(deadline.DEFAULT_SECONDS):
            text, _ = decode(data)
            found = [s for s in READERS[FORMATS[ext]](text) if s.problem is None]
    except deadline.ParseTimeout as exc:
        raise InputProblem("parse-timeout", str(exc)) from None
    if not found:
        raise InputProblem("empty", "nothing readable in the response")
    parts = [[s.text, s.url, s.title, s.published] for s in found]
    digest = sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8"))
    first = found[0]
    return digest, {"url": first.url, "title": qa.clean_title(first.title), "published": first.published}


@dataclass
class Saved:
    """What happened to one harvested item in the corpus."""

    outcome: str  # new | unchanged | updated | edited | skipped
    file: str = ""
    incoming: str = ""
    detail: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


class CorpusStore:
    """A corpus folder as the collector sees it: files, the harvest state and ``metadata.csv``."""

    def __init__(self, corpus_dir: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES):
        self.dir = Path(corpus_dir)
        self.max_bytes = max_bytes
        self.problems: list[str] = []
        for own in OWN_PATHS:
            if (self.dir / own).is_symlink():
                raise ValueError(f"{escaped(str(self.dir / own))} is a link; the collector keeps its state and "
                                 f"incoming versions only in real files and folders of the corpus folder. Put the "
                                 f"file or folder it points to in its place, or remove the link")
        self.state_path = self.dir / STATE_FILE
        self.state = self._load_state()
        self.refused = self._check_entries()  # key -> why its state entry is not used

    # -- state ---------------------------------------------------------------------------------
    def _load_state(self) -> dict:
        if not os.path.lexists(self.state_path):
            return {"toolkit": f"mrhistory {__version__}", "items": {}}
        try:
            size, data = read_limited(self.state_path, MAX_STATE_BYTES)
            if data is None:
                raise ValueError(f"{size} bytes")
            state = json.loads(data.decode("utf-8"))
            if not isinstance(state, dict) or not isinstance(state.get("items"), dict):
                raise ValueError("no 'items' table")
        except RecursionError:
            raise ValueError(f"{self.state_path}: the harvest state cannot be read (nested too deeply)") from None
        except (OSError, ValueError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise ValueError(f"{self.state_path}: the harvest state cannot be read ({exc}); without it edited "
                             f"files cannot be told apart from harvested ones. Restore it, or move it aside to "
                             f"treat every existing file as yours") from None
        return state

    def _check_entries(self) -> dict[str, str]:
        """Entries whose paths the collector would never have written: refused, reported, left alone."""
        refused = {}
        for key, entry in self.state["items"].items():
            if not isinstance(entry, dict):
                refused[key] = f"its entry in the harvest state ({STATE_FILE}) is not a table; the column is not touched"
            else:
                file = entry.get("file")
                incoming = entry.get("incoming", f"{INCOMING_DIR}/{file}")
                if _plain_name(file) and incoming == f"{INCOMING_DIR}/{file}":
                    continue
                shown = one_line(repr(file if not _plain_name(file) else incoming))
                refused[key] = (f"the harvest state ({STATE_FILE}) names {shown} for this column: outside the "
                                f"corpus folder, or not a file name the collector makes; the column is not "
                                f"touched (correct or remove its entry)")
            self.problems.append(f"{STATE_FILE}: item {one_line(key)}: {refused[key]}")
        return refused

    def _entries(self):
        """(key, entry) of every state entry in use."""
        return ((k, e) for k, e in self.state["items"].items() if k not in self.refused)

    def _save_state(self) -> None:
        self.state["toolkit"] = f"mrhistory {__version__}"
        write_json(self.state, self.state_path)

    def entry(self, key: str) -> dict | None:
        return None if key in self.refused else self.state["items"].get(key)

    def added_by_hand(self, key: str) -> str | None:
        """The corpus file of a column the user added themselves, found through its url in metadata.csv."""
        if not hasattr(self, "_by_hand"):
            self._by_hand: dict[str, str] = {}
            try:
                header, rows, _, _ = _read_metadata(self.dir / METADATA_FILE)
            except (InputProblem, csv.Error, ValueError, OSError):  # reported when it is to be updated
                rows, header = [], []
            if "url" in header:
                ours = {Path(e["file"]).stem for _, e in self._entries()}
                files = {p.stem: p.relative_to(self.dir).as_posix() for p in corpus_files(self.dir)}
                i, j = header.index("column_id"), header.index("url")
                for row in rows:
                    if len(row) > max(i, j) and row[j].strip() and row[i].strip() in files and row[i].strip() not in ours:
                        self._by_hand.setdefault(url_key(row[j]), files[row[i].strip()])
        return self._by_hand.get(key)

    # -- naming --------------------------------------------------------------------------------
    def _free_name(self, stem: str, ext: str, data: bytes) -> tuple[str, bool]:
        """A file name whose stem (the reader's column_id) no harvested item and no corpus file uses.

        Returns ``(name, adopt)``: ``adopt`` when a file of that name already holds exactly ``data``
        (a harvest interrupted between writing the file and recording it).
        """
        taken = {Path(e["file"]).stem.lower() for _, e in self._entries()}
        on_disk: dict[str, list[Path]] = {}
        for entry in corpus_entries(self.dir):  # links, pipes and the like hold their names too
            on_disk.setdefault(entry.found.stem.lower(), []).append(entry.found)
        for n in range(1, 10_000):
            candidate = stem if n == 1 else f"{stem}-{n}"
            if candidate in taken:
                continue
            found = on_disk.get(candidate, [])
            if not found:
                return candidate + ext, False
            exact = self.dir / (candidate + ext)
            if found == [exact] and not exact.is_symlink() and self._file_bytes(exact) == data:
                return candidate + ext, True
        raise ValueError(f"no free file name for {stem!r}")

    def confined(self, rel: str) -> Path:
        """``rel`` in the corpus folder: never an absolute path, ``..`` or a way through a link."""
        parts = Path(rel).parts
        if not parts or Path(rel).is_absolute() or ".." in parts:
            raise ValueError(f"refusing to write outside the corpus: {one_line(repr(rel))}")
        path = self.dir
        for part in parts:
            path = path / part
            if path.is_symlink():
                raise ValueError(f"refusing to write through a link: {escaped(str(path))}")
        return path

    def _file_bytes(self, path: Path) -> bytes | None:
        """A corpus file's bytes; None for what the collector cannot have written (a link, a pipe, a larger file)."""
        try:
            return read_limited(path, self.max_bytes)[1]
        except OSError:
            return None

    # -- saving --------------------------------------------------------------------------------
    def save(self, key: str, data: bytes, *, ext: str, slug: str, source: str, url: str, fetched_from: str,
             extra: dict | None = None, restore_deleted: bool = False) -> Saved:
        """Put one harvested column into the corpus without ever overwriting a user's edit."""
        if key in self.refused:
            raise ValueError(self.refused[key])
        content, meta = content_fingerprint(data, ext)
        meta = {**meta, "url": meta["url"] or url}  # a page's canonical link, else where it was found
        new_sha = sha256(data)
        entry = self.entry(key)
        if entry is None:
            name, adopted = self._free_name(safe_stem(slug, fallback=key), ext, data)
            if not adopted:
                atomic_write_bytes(self.confined(name), data)
            return self._record(key, name, data, content, meta, source, fetched_from, extra, "new", "")
        name = entry["file"]
        path = self.confined(name)
        if not path.exists():
            if not restore_deleted:
                return Saved("skipped", name, detail="deleted by hand; not downloaded again (--restore-deleted to fetch it)")
            atomic_write_bytes(path, data)
            return self._record(key, name, data, content, meta, source, fetched_from, extra, "new", "restored")
        current_bytes = self._file_bytes(path)
        current = sha256(current_bytes) if current_bytes is not None else ""
        if current == new_sha:  # identical: nothing to write (also: the user took the incoming version)
            outcome = "unchanged" if content == entry.get("content_sha256") and current == entry.get("sha256") else "updated"
            return self._record(key, name, data, content, meta, source, fetched_from, extra, outcome, "")
        if current == entry.get("sha256"):  # untouched since harvested: ours to refresh
            if content == entry.get("content_sha256"):
                return self._record(key, name, None, content, meta, source, fetched_from, extra, "unchanged", "")
            atomic_write_bytes(path, data)
            return self._record(key, name, data, content, meta, source, fetched_from, extra, "updated", "")
        # The user edited the file: it is theirs. Keep any newer remote version beside it.
        if content == entry.get("content_sha256"):
            return Saved("edited", name, entry.get("incoming", ""), "edited by hand; kept (no newer remote version)", meta)
        incoming = f"{INCOMING_DIR}/{name}"
        target = self.confined(incoming)
        if self._file_bytes(target) != data:
            atomic_write_bytes(target, data)
        if entry.get("incoming_sha256") != new_sha:
            entry.update(incoming=incoming, incoming_sha256=new_sha, incoming_content_sha256=content)
            self._save_state()
        return Saved("edited", name, incoming, f"edited by hand; kept; newer remote version saved as {incoming}", meta)

    def _record(self, key, name, data, content, meta, source, fetched_from, extra, outcome, detail) -> Saved:
        entry = self.state["items"].get(key, {})
        before = json.dumps(entry, sort_keys=True)
        written = self.update_metadata(Path(name).stem, meta, entry.get("metadata", {}))
        entry.update({
            "file": name, "source": without_controls(source), "url": without_controls(meta["url"]),
            "fetched_from": without_controls(fetched_from), "content_sha256": content, "metadata": written,
            **(extra or {}),
        })
        if data is not None or "sha256" not in entry:
            entry["sha256"] = sha256(data if data is not None else self._file_bytes(self.confined(name)) or b"")
        if outcome != "unchanged" or "harvested" not in entry:
            entry["harvested"] = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        for stale in ("incoming", "incoming_sha256", "incoming_content_sha256"):
            entry.pop(stale, None)
        self.state["items"][key] = entry
        if json.dumps(entry, sort_keys=True) != before:
            self._save_state()
        return Saved(outcome, name, "", detail, meta)

    # -- metadata.csv --------------------------------------------------------------------------
    def update_metadata(self, column_id: str, values: dict[str, str], last_written: dict[str, str]) -> dict[str, str]:
        """Add or refresh ``column_id``'s row; a value is changed only where it is still what the
        collector wrote last time (or empty in a row the collector made). Returns what it now owns."""
        path = self.dir / METADATA_FILE
        if path.is_symlink():
            self.problems.append(f"{METADATA_FILE} not updated: it is a link to {escaped(os.readlink(path))}; the "
                                 f"collector writes only real files in the corpus folder")
            return dict(last_written)
        values = {k: without_controls(v) for k, v in values.items()}
        column_id = without_controls(column_id)
        try:
            header, rows, newline, bom = _read_metadata(path)
        except (InputProblem, csv.Error, ValueError, OSError) as exc:
            self.problems.append(f"{METADATA_FILE} not updated: {one_line(str(exc))}")
            return dict(last_written)
        for name in ("column_id", *METADATA_FIELDS):
            if name not in header:
                header.append(name)
        col = {name: header.index(name) for name in header}
        row = next((r for r in rows if len(r) > col["column_id"] and r[col["column_id"]].strip() == column_id), None)
        changed = row is None
        if row is None:
            row = [""] * len(header)
            row[col["column_id"]] = column_id
            rows.append(row)
        row.extend([""] * (len(header) - len(row)))
        owned = {}
        for name in METADATA_FIELDS:
            value, current, previous = values.get(name, ""), row[col[name]], last_written.get(name)
            if current != value and (current == previous or (previous is None and current.strip() == "")):
                row[col[name]] = value
                changed = True
            if row[col[name]] == value:
                owned[name] = value
            elif previous is not None:
                owned[name] = previous
        if changed:
            out = io.StringIO()
            writer = csv.writer(out, lineterminator=newline)
            writer.writerow(header)
            writer.writerows(rows)
            atomic_write_bytes(path, (bom + out.getvalue()).encode("utf-8"))
        return owned


def _read_metadata(path: Path) -> tuple[list[str], list[list[str]], str, str]:
    """Header, rows (as lists, exactly as found), line ending and BOM of ``metadata.csv``."""
    if not os.path.lexists(path):
        return list(METADATA_HEADER), [], "\n", ""
    size, data = read_limited(path, MAX_STATE_BYTES)
    if data is None:
        raise ValueError(f"{size} bytes is larger than a metadata.csv the collector will rewrite")
    if not data:
        return list(METADATA_HEADER), [], "\n", ""
    text, _ = decode(data)
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    records = [r for r in csv.reader(io.StringIO(text, newline=""))]
    if not records or "column_id" not in [h.strip() for h in records[0]]:
        raise ValueError("its first line has no 'column_id' column")
    header = [h.strip() for h in records[0]]
    return header, [r for r in records[1:]], newline, bom
