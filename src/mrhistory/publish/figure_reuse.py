"""Figures reused instead of drawn: a figure whose inputs, code and drawing environment are all
unchanged has the bytes it had, so a warm rerun takes them from the cache and draws nothing.

A run describes its figures as calls not yet made (``functools.partial`` of a ``figures.*_figures``
function and the tables it reads). The key of a call hashes

- its arguments exactly: every cell of every table with its dtype, column names, index and order;
  floats by their bits, so 0.25 and 0.25 + 1e-12 differ; an argument of a kind it cannot hash
  exactly makes the call uncacheable (drawn every time, never guessed);
- the code: the source of the figure module and of every mrhistory module it imports, transitively,
  and the package's data files (the style among them);
- the environment: matplotlib, NumPy, pandas, networkx, Pillow, FreeType, zlib and Python versions,
  the platform, every rcParam as the toolkit's style leaves it, and the font files in use.

The bytes live in the cache folder (``MRHISTORY_CACHE``, default ``.cache/``) under ``figures/``:
drawn on this machine, by this environment, never taken from a results folder that may have come
from elsewhere (a committed ``outputs/`` is drawn by another machine, or edited). Each file is
stored under its sha256 and checked when read; a damaged or missing entry is drawn again. The
figures not reused are drawn side by side, one call per forked worker process, each as soon as it
is handed over (:class:`Figures`): :func:`mrhistory.pipeline.analyse` hands over each analysis's
figures when its tables are made, so they are drawn while the later analyses run.
"""
from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import os
import platform
import sys
import zlib
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Callable

import numpy as np
import pandas as pd

from ..figures import FORMATS, FigureSpec, figure_bytes, style
from ..outputs import atomic_write_bytes, json_bytes

KEY_FORMAT = 1
PACKAGE = Path(__file__).resolve().parents[1]
_ENV_SKIP = {"backend", "backend_fallback", "interactive"}  # how figures are shown, not how they are saved


@dataclasses.dataclass(frozen=True)
class DrawnFigure:
    """A figure as saved: its name, caption, alt text and the bytes of each format."""

    name: str
    caption: str
    alt: str
    files: dict[str, bytes]


# --- hashing inputs exactly ----------------------------------------------------------------------

def _feed(h, obj) -> None:
    """Feed ``obj`` into ``h`` so that different values give different bytes (type tags, lengths)."""
    def tag(t: bytes, payload: bytes = b"") -> None:
        h.update(t + len(payload).to_bytes(8, "little") + payload)

    if obj is None:
        tag(b"N")
    elif obj is pd.NA:
        tag(b"NA")
    elif obj is pd.NaT:
        tag(b"NaT")
    elif isinstance(obj, bool):
        tag(b"b", b"1" if obj else b"0")
    elif isinstance(obj, int):
        tag(b"i", str(obj).encode())
    elif isinstance(obj, float):
        tag(b"f", obj.hex().encode())
    elif isinstance(obj, str):
        tag(b"s", obj.encode("utf-8", "surrogatepass"))
    elif isinstance(obj, bytes):
        tag(b"y", obj)
    elif isinstance(obj, PurePath):
        tag(b"p", str(obj).encode("utf-8", "surrogatepass"))
    elif isinstance(obj, np.generic):
        tag(b"g", obj.dtype.str.encode() + b":" + np.asarray(obj).tobytes())
    elif isinstance(obj, pd.Timestamp):
        tag(b"t", f"{obj.isoformat()}|{obj.tz}".encode())
    elif isinstance(obj, pd.DataFrame):
        tag(b"F", str(obj.shape).encode())
        _feed(h, list(obj.columns))
        _feed_index(h, obj.index)
        for i in range(obj.shape[1]):
            _feed_values(h, obj.iloc[:, i])
    elif isinstance(obj, pd.Series):
        tag(b"R")
        _feed(h, obj.name)
        _feed_index(h, obj.index)
        _feed_values(h, obj)
    elif isinstance(obj, pd.Index):
        _feed_index(h, obj)
    elif isinstance(obj, np.ndarray):
        _feed_array(h, obj)
    elif isinstance(obj, (list, tuple)):
        tag(b"l" if isinstance(obj, list) else b"u", str(len(obj)).encode())
        for item in obj:
            _feed(h, item)
    elif isinstance(obj, dict):
        tag(b"d", str(len(obj)).encode())
        for key, value in obj.items():  # in order: code may draw in dict order
            _feed(h, key)
            _feed(h, value)
    elif isinstance(obj, (set, frozenset)):
        tag(b"S", b"".join(sorted(_digest(item) for item in obj)))
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        tag(b"D", f"{type(obj).__module__}.{type(obj).__qualname__}".encode())
        for f in dataclasses.fields(obj):
            _feed(h, f.name)
            _feed(h, getattr(obj, f.name))
    else:
        raise TypeError(f"cannot hash a {type(obj).__qualname__} exactly")


def _digest(obj) -> bytes:
    h = hashlib.sha256()
    _feed(h, obj)
    return h.digest()


def _feed_index(h, index: pd.Index) -> None:
    if isinstance(index, pd.RangeIndex):
        h.update(b"range" + f"{index.start}:{index.stop}:{index.step}:{index.name}".encode())
        return
    h.update(b"index" + type(index).__name__.encode())
    _feed(h, list(index.names))
    _feed_values(h, pd.Series(index.to_flat_index(), dtype=object) if isinstance(index, pd.MultiIndex) else index)


def _feed_values(h, values) -> None:
    """The values of a column or index: dtype, then numbers by their bits or each object exactly."""
    dtype = values.dtype
    h.update(b"dtype" + str(dtype).encode() + b"|")
    if isinstance(dtype, pd.CategoricalDtype):
        _feed(h, list(dtype.categories))
        _feed_array(h, np.asarray(values.cat.codes if isinstance(values, pd.Series) else values.codes))
        return
    if isinstance(dtype, np.dtype) and dtype.kind in "biufcmM":
        _feed_array(h, values.to_numpy())
        return
    _feed_array(h, values.to_numpy(dtype=object))


def _feed_array(h, array: np.ndarray) -> None:
    h.update(b"array" + array.dtype.str.encode() + str(array.shape).encode())
    if array.dtype.kind != "O":
        h.update(np.ascontiguousarray(array).tobytes())
        return
    flat = array.ravel()
    if pd.api.types.infer_dtype(flat, skipna=False) == "string":  # the common case, fast
        encoded = [s.encode("utf-8", "surrogatepass") for s in flat]
        h.update(b"S" + np.array([len(e) for e in encoded], dtype=np.int64).tobytes() + b"".join(encoded))
        return
    h.update(b"O")
    for item in flat:
        _feed(h, item)


# --- the code and the environment ----------------------------------------------------------------

def _module_file(name: str) -> Path | None:
    parts = name.split(".")[1:]
    base = PACKAGE.joinpath(*parts)
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=None)
def _imports(name: str, path: Path) -> frozenset[str]:
    """The mrhistory modules ``name`` imports anywhere in its file (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                found.add(f"{module}.{alias.name}" if _module_file(f"{module}.{alias.name}") else module)
    return frozenset(m for m in found if m == "mrhistory" or m.startswith("mrhistory."))


@lru_cache(maxsize=None)
def code_files(module: str) -> tuple[Path, ...]:
    """Every file the drawing code of ``module`` runs or reads: its source, the mrhistory modules it
    imports (transitively, with their packages) and the package's data files."""
    found: dict[str, Path] = {}
    todo = [module]
    while todo:  # each module of the package is visited at most once
        name = todo.pop()
        if name in found or not name.startswith("mrhistory"):
            continue
        path = _module_file(name) if name != "mrhistory" else PACKAGE / "__init__.py"
        if path is None:
            continue
        found[name] = path
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
        if name != "mrhistory":  # the package's facade re-exports lazily; importing it runs none of them
            todo += sorted(_imports(name, path))
    data = sorted(p for p in (PACKAGE / "data").rglob("*") if p.is_file())
    return tuple(sorted(found.values())) + tuple(data)


@lru_cache(maxsize=None)
def _code_digest(module: str) -> bytes:
    h = hashlib.sha256()
    for path in code_files(module):
        _feed(h, (path.relative_to(PACKAGE).as_posix(), path.read_bytes()))
    return h.digest()


@lru_cache(maxsize=8)
def _fonts_digest(families: tuple[str, ...]) -> bytes:
    from matplotlib import font_manager

    h = hashlib.sha256()
    paths = sorted({font_manager.findfont(font_manager.FontProperties(family=list(families), weight=w, style=s))
                    for w in ("normal", "bold") for s in ("normal", "italic")})
    for path in paths:
        _feed(h, (path, Path(path).read_bytes()))
    known = sorted((f.fname, f.name, f.style, f.weight, f.stretch) for f in font_manager.fontManager.ttflist)
    _feed(h, [(*entry[:2], str(entry[2]), str(entry[3]), str(entry[4])) for entry in known])
    return h.digest()


def _environment() -> tuple:
    import matplotlib
    import networkx
    import PIL
    from matplotlib import ft2font

    with style():
        rc = sorted((k, repr(v)) for k, v in matplotlib.rcParams.items() if k not in _ENV_SKIP)
        families = tuple(matplotlib.rcParams["font.family"])
    versions = (matplotlib.__version__, np.__version__, pd.__version__, networkx.__version__, PIL.__version__,
                ft2font.__freetype_version__, zlib.ZLIB_RUNTIME_VERSION, platform.python_version(), sys.platform,
                platform.machine(), os.environ.get("SOURCE_DATE_EPOCH", ""))
    return versions, rc, _fonts_digest(families), FORMATS


def figure_key(call: Callable[[], list[FigureSpec]]) -> str | None:
    """The reuse key of a figure call, or None if it cannot be reused (not a ``partial`` of a
    function in mrhistory, or an argument that cannot be hashed exactly)."""
    func, args, kwargs = getattr(call, "func", None), getattr(call, "args", None), getattr(call, "keywords", None)
    module, qualname = getattr(func, "__module__", "") or "", getattr(func, "__qualname__", "")
    if args is None or not module.startswith("mrhistory.") or "<" in qualname:
        return None
    h = hashlib.sha256()
    try:
        _feed(h, (KEY_FORMAT, module, qualname, _code_digest(module), _environment()))
        _feed(h, tuple(args))
        _feed(h, dict(sorted((kwargs or {}).items())))
    except (TypeError, OSError):
        return None
    return h.hexdigest()


# --- the cache -----------------------------------------------------------------------------------

class FigureCache:
    """Drawn figures on disk: ``figures/<key>.json`` lists them, each file a blob named by its sha256."""

    def __init__(self, root: str | Path):
        self.dir = Path(root) / "figures"

    def _entry(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def _blob(self, sha: str) -> Path:
        return self.dir / "blobs" / sha[:2] / sha

    def get(self, key: str) -> list[DrawnFigure] | None:
        try:
            entry = json.loads(self._entry(key).read_bytes())
            if entry["format"] != KEY_FORMAT or entry["key"] != key:
                return None
            figures = []
            for fig in entry["figures"]:
                files = {}
                for fmt in FORMATS:
                    sha = fig["files"][fmt]
                    data = self._blob(sha).read_bytes()
                    if hashlib.sha256(data).hexdigest() != sha:
                        return None
                    files[fmt] = data
                figures.append(DrawnFigure(fig["name"], fig["caption"], fig["alt"], files))
            return figures
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, figures: list[DrawnFigure]) -> None:
        listed = []
        for fig in figures:
            shas = {}
            for fmt, data in fig.files.items():
                sha = shas[fmt] = hashlib.sha256(data).hexdigest()
                blob = self._blob(sha)
                try:
                    if blob.read_bytes() == data:
                        continue  # already there, byte for byte: not written again
                except OSError:
                    pass
                atomic_write_bytes(blob, data)
            listed.append({"name": fig.name, "caption": fig.caption, "alt": fig.alt, "files": shas})
        atomic_write_bytes(self._entry(key), json_bytes({"format": KEY_FORMAT, "key": key, "figures": listed}))


def draw(call: Callable[[], list[FigureSpec]]) -> list[DrawnFigure]:
    return [DrawnFigure(spec.name, spec.caption, spec.alt, {fmt: figure_bytes(spec.figure, fmt) for fmt in FORMATS})
            for spec in call()]


class Figures:
    """Figure calls drawn as each one becomes ready, while the run goes on.

    :meth:`submit` takes a call: reused from ``cache`` when its key is there; else, with ``jobs``
    > 1 where processes fork, drawn at once in a process forked for it (it inherits the call,
    tables and all, instead of receiving them pickled), at most ``jobs`` at a time and the rest
    queued; else drawn here by :meth:`results`. So the figures of one analysis are drawn while the
    next analysis runs. :meth:`results` gives, for the calls in the order they came, their figures
    and whether they were reused, and stores the drawn ones (a cache that cannot be written only
    costs the next run a draw). :meth:`close` kills and reaps any process still drawing (Ctrl-C, an
    error); a worker's error reaches the caller of :meth:`results`.
    """

    def __init__(self, cache: FigureCache | None, *, jobs: int | None = None):
        from .. import processes

        self._cache = cache
        self._jobs = jobs if jobs is not None and jobs >= 1 else processes.usable_cores()
        self._side_by_side = self._jobs > 1 and processes.can_fork()
        self._calls: list[Callable[[], list[FigureSpec]]] = []
        self._keys: list[str | None] = []
        self._found: list[list[DrawnFigure] | None] = []
        self._drawn: dict[int, list[DrawnFigure]] = {}
        self._waiting: list[int] = []
        self._running: dict[int, tuple] = {}  # call index -> (process, receiving end of its pipe)

    @property
    def side_by_side(self) -> bool:
        """Whether calls are drawn in worker processes (else here, by :meth:`results`)."""
        return self._side_by_side

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def submit(self, call: Callable[[], list[FigureSpec]]) -> None:
        key = figure_key(call) if self._cache is not None else None
        self._calls.append(call)
        self._keys.append(key)
        self._found.append(self._cache.get(key) if key is not None else None)
        if self._found[-1] is None and self._side_by_side:
            self._waiting.append(len(self._calls) - 1)
            try:
                self._collect(block=False)
                self._start()
            except BaseException:
                self.close()
                raise

    def _start(self) -> None:
        from .. import processes

        ctx = processes.context()
        while self._waiting and len(self._running) < self._jobs:
            i = self._waiting.pop(0)
            receive, send = ctx.Pipe(duplex=False)
            process = ctx.Process(target=_draw_into, args=(self._calls[i], send, os.getpid()), daemon=True)
            with processes.interrupt_held(), processes.shared_heap():  # recorded before a Ctrl-C can stop the run
                process.start()
                self._running[i] = (process, receive)
            send.close()

    def _collect(self, *, block: bool) -> None:
        """Take the figures of every worker that has sent them (with ``block``, wait for one first)."""
        from multiprocessing.connection import wait

        if not self._running:
            return
        receivers = {receive: i for i, (_, receive) in self._running.items()}
        for receive in wait(list(receivers), timeout=None if block else 0):
            i = receivers[receive]
            process, _ = self._running.pop(i)
            try:
                ok, value = receive.recv()
            except EOFError:
                ok, value = False, RuntimeError(f"figures: the worker drawing call {i} died (exit code {process.exitcode})")
            finally:
                receive.close()
                process.join()
            if not ok:
                raise value
            self._drawn[i] = value

    def results(self) -> list[tuple[list[DrawnFigure], bool]]:
        try:
            while self._waiting or self._running:
                self._start()
                self._collect(block=True)
            out = []
            for i, call in enumerate(self._calls):
                if self._found[i] is not None:
                    out.append((self._found[i], True))
                    continue
                drawn = self._drawn[i] if i in self._drawn else draw(call)
                if self._keys[i] is not None:
                    try:
                        self._cache.put(self._keys[i], drawn)
                    except OSError:
                        pass
                out.append((drawn, False))
            return out
        finally:
            self.close()

    def close(self) -> None:
        from .. import processes

        running, self._running, self._waiting = list(self._running.values()), {}, []
        processes.kill(process for process, _ in running)
        for _, receive in running:
            receive.close()


def _draw_into(call: Callable[[], list[FigureSpec]], send, parent: int) -> None:
    """A figure worker: draw ``call`` and send back (True, its figures) or (False, the error)."""
    from .. import processes

    processes.worker_start(parent)
    try:
        message = (True, draw(call))
    except BaseException as exc:  # noqa: BLE001 - the parent raises it
        message = (False, exc)
    try:
        send.send(message)
    except Exception as exc:  # noqa: BLE001 - what does not pickle goes back as text
        failed = exc if message[0] else message[1]
        send.send((False, RuntimeError(f"{type(failed).__name__}: {failed}")))
    finally:
        send.close()


def draw_all(calls: list[Callable[[], list[FigureSpec]]], *, jobs: int | None = None) -> list[list[DrawnFigure]]:
    """:func:`draw` of each call, in order; in up to ``jobs`` forked processes (None: one per
    usable core) where the platform forks, else here, one by one. The bytes are the same either
    way (tests/test_publish_figure_reuse.py)."""
    return [drawn for drawn, _ in figures_for(calls, None, jobs=jobs)]


def figures_for(calls: list[Callable[[], list[FigureSpec]]], cache: FigureCache | None, *,
                jobs: int | None = None) -> list[tuple[list[DrawnFigure], bool]]:
    """For each call, its figures and whether they were reused (see :class:`Figures`)."""
    with Figures(cache, jobs=jobs) as figures:
        for call in calls:
            figures.submit(call)
        return figures.results()
