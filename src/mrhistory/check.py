"""Compare an expected outputs folder (the committed ``outputs/``) with a freshly produced one.

Tables must match exactly, cell by cell; figures are compared as PNG images within a small RMS
tolerance (fonts and anti-aliasing may differ slightly between machines), writing a diff image
where they do not; the manifest must record the same corpus, parameters, versions and captions.
Every function returns a list of one-line differences: empty means "the same".
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

#: Largest RMS pixel difference (0–255 scale) still counted as "the same figure".
DEFAULT_TOL = 2.0
#: Differences listed per table or manifest before the rest are summarised.
MAX_LINES = 20
MANIFEST = "manifest.json"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
_SHOW_CHARS = 60


def _show(value: str) -> str:
    """A cell value as it reads best in a message: numbers bare, text quoted and shortened."""
    if _NUMBER.fullmatch(value):
        return value
    if len(value) > _SHOW_CHARS:
        value = value[: _SHOW_CHARS - 1] + "…"
    return repr(value)


def _capped(lines: list[str], prefix: str) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[:MAX_LINES], f"{prefix}: … and {len(lines) - MAX_LINES} more difference(s)"]


def _read_table(path: Path) -> pd.DataFrame:
    # Every cell as its exact text: "6" and "6.0" are different results.
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)


def _key_column(expected: pd.DataFrame, actual: pd.DataFrame) -> str | None:
    """The first column, if it names each row uniquely in both tables (column_id, canonical …)."""
    if expected.columns.empty or actual.columns.empty or expected.columns[0] != actual.columns[0]:
        return None
    key = expected.columns[0]
    if expected[key].is_unique and actual[key].is_unique:
        return key
    return None


def compare_tables(expected: str | Path, actual: str | Path, *, name: str | None = None) -> list[str]:
    """Cell-by-cell differences between two CSV tables, naming rows by their key column.

    Rows are numbered from 1 (the first row under the header) as in the expected table.
    """
    expected, actual = Path(expected), Path(actual)
    name = name or actual.name
    if expected.read_bytes() == actual.read_bytes():
        return []
    try:
        old, new = _read_table(expected), _read_table(actual)
    except (ValueError, pd.errors.ParserError) as exc:
        return [f"{name}: cannot be read as CSV: {exc}"]
    lines: list[str] = []
    removed = [c for c in old.columns if c not in new.columns]
    added = [c for c in new.columns if c not in old.columns]
    if removed:
        lines.append(f"{name}: column(s) removed: {', '.join(removed)}")
    if added:
        lines.append(f"{name}: column(s) added: {', '.join(added)}")
    common = [c for c in old.columns if c in new.columns]
    if not removed and not added and list(old.columns) != list(new.columns):
        lines.append(f"{name}: columns reordered: {', '.join(old.columns)} → {', '.join(new.columns)}")
    key = _key_column(old, new)
    if key is not None:
        lines += _compare_keyed(old, new, key, common, name)
    else:
        lines += _compare_positional(old, new, common, name)
    if not lines:
        lines.append(f"{name}: the bytes differ but every cell is equal (quoting, line ends or number format changed)")
    return _capped(lines, name)


def _cell_changes(old_row, new_row, columns, where: str) -> list[str]:
    return [f"{where}: {c} {_show(old_row[c])} → {_show(new_row[c])}" for c in columns if old_row[c] != new_row[c]]


def _compare_keyed(old: pd.DataFrame, new: pd.DataFrame, key: str, common: list[str], name: str) -> list[str]:
    lines = []
    new_at = {k: i for i, k in enumerate(new[key])}
    old_keys = set(old[key])
    for i, row in enumerate(old.to_dict("records"), start=1):
        where = f"{name}: row {i} ({key}={row[key]!r})"
        if row[key] not in new_at:
            lines.append(f"{where}: removed")
            continue
        lines += _cell_changes(row, new.iloc[new_at[row[key]]], common, where)
    for j, k in enumerate(new[key], start=1):
        if k not in old_keys:
            lines.append(f"{name}: row {j} of the new table ({key}={k!r}): added")
    if not lines and list(old[key]) != list(new[key]):
        first = next(i for i, (a, b) in enumerate(zip(old[key], new[key]), start=1) if a != b)
        lines.append(f"{name}: rows reordered from row {first}: expected {key}={old[key].iloc[first - 1]!r}, "
                     f"found {key}={new[key].iloc[first - 1]!r}")
    return lines


def _compare_positional(old: pd.DataFrame, new: pd.DataFrame, common: list[str], name: str) -> list[str]:
    lines = []
    if len(old) != len(new):
        lines.append(f"{name}: {len(old)} row(s) expected, {len(new)} found")
    for i in range(min(len(old), len(new))):
        lines += _cell_changes(old.iloc[i], new.iloc[i], common, f"{name}: row {i + 1}")
    for i in range(len(new), len(old)):
        lines.append(f"{name}: row {i + 1} removed: " + ", ".join(f"{c}={_show(old.iloc[i][c])}" for c in old.columns[:3]))
    for i in range(len(old), len(new)):
        lines.append(f"{name}: row {i + 1} added: " + ", ".join(f"{c}={_show(new.iloc[i][c])}" for c in new.columns[:3]))
    return lines


def compare_figure(expected: str | Path, actual: str | Path, *, diff_dir: str | Path, name: str | None = None,
                   tol: float = DEFAULT_TOL) -> list[str]:
    """Compare two PNGs with matplotlib's ``compare_images``; on failure a diff image is left in ``diff_dir``.

    ``diff_dir`` receives ``<name>.png`` (actual), ``<name>-expected.png`` and
    ``<name>-failed-diff.png``, where ``<name>`` is the figure's path with "/" replaced by "__".
    """
    from matplotlib.testing.compare import ImageComparisonFailure, compare_images

    expected, actual = Path(expected), Path(actual)
    name = name or actual.name
    if expected.read_bytes() == actual.read_bytes():
        return []
    diff_dir = Path(diff_dir)
    diff_dir.mkdir(parents=True, exist_ok=True)
    stem = Path(name).with_suffix("").as_posix().replace("/", "__")
    got, want = diff_dir / f"{stem}.png", diff_dir / f"{stem}-expected.png"
    shutil.copyfile(actual, got)
    shutil.copyfile(expected, want)
    try:
        result = compare_images(str(want), str(got), tol, in_decorator=True)
    except ImageComparisonFailure as exc:  # different pixel sizes
        return [f"{name}: {' '.join(str(exc).split())}; expected and actual images in {diff_dir}"]
    except (OSError, ValueError, SyntaxError) as exc:
        return [f"{name}: cannot be read as a PNG image: {exc}"]
    if result is None:
        got.unlink()
        want.unlink()
        return []
    return [f"{name}: differs from the expected image (RMS {result['rms']:.2f} > tolerance {tol}); "
            f"diff image: {result['diff']}"]


def _flatten(value, prefix: str = "") -> dict[str, object]:
    if isinstance(value, dict):
        flat = {}
        for k in sorted(value):
            flat.update(_flatten(value[k], f"{prefix}.{k}" if prefix else str(k)))
        return flat or {prefix: {}}
    if isinstance(value, list):
        flat = {}
        for i, item in enumerate(value):
            flat.update(_flatten(item, f"{prefix}[{i}]"))
        return flat or {prefix: []}
    return {prefix: value}


def _comparable_manifest(manifest: dict) -> dict:
    """What must match between runs: all but output hashes (the files themselves are compared,
    figures within a tolerance) and the Python patch level."""
    manifest = json.loads(json.dumps(manifest))
    if isinstance(manifest.get("outputs"), dict):
        manifest["outputs"] = sorted(manifest["outputs"])

    def minor(versions):
        if isinstance(versions, dict) and isinstance(versions.get("python"), str):
            versions["python"] = ".".join(versions["python"].split(".")[:2])

    minor(manifest.get("versions"))
    for figure in (manifest.get("figures") or {}).values():
        if isinstance(figure, dict):
            minor((figure.get("provenance") or {}).get("versions"))
    return manifest


def compare_manifests(expected: dict, actual: dict, *, name: str = MANIFEST) -> list[str]:
    """Differences in provenance: corpus hashes, versions, parameters, figures and their captions."""
    old, new = _flatten(_comparable_manifest(expected)), _flatten(_comparable_manifest(actual))
    lines = []
    for path in sorted(old.keys() | new.keys()):
        if path not in new:
            lines.append(f"{name}: {path} removed (was {old[path]!r})")
        elif path not in old:
            lines.append(f"{name}: {path} added ({new[path]!r})")
        elif old[path] != new[path]:
            lines.append(f"{name}: {path} {old[path]!r} → {new[path]!r}")
    return _capped(lines, name)


def output_files(folder: str | Path) -> list[str]:
    """Every file under ``folder`` as a relative POSIX path; hidden files and folders skipped."""
    folder = Path(folder)
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def compare_outputs(expected: str | Path, actual: str | Path, *, diff_dir: str | Path | None = None,
                    tol: float = DEFAULT_TOL) -> list[str]:
    """Every difference between two outputs folders, one line each; empty if they agree.

    Files present in only one folder are named; CSV tables are compared cell by cell, PNG
    figures within ``tol`` (diff images go to ``diff_dir``, default a new temporary folder),
    ``manifest.json`` by its provenance; SVG and PDF only for presence (their PNG twin is
    compared; rasterising vectors needs Inkscape and Ghostscript); any other file byte for byte.
    """
    expected, actual = Path(expected), Path(actual)
    for folder in (expected, actual):
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: outputs folder not found")
    if diff_dir is None:
        diff_dir = tempfile.mkdtemp(prefix="mrhistory-diff-")
    old, new = output_files(expected), output_files(actual)
    in_old, in_new = set(old), set(new)
    lines = [f"{rel}: missing (expected, not produced)" for rel in old if rel not in in_new]
    lines += [f"{rel}: extra file (produced, not expected)" for rel in new if rel not in in_old]
    lines += _unlisted(expected, old, "expected") + _unlisted(actual, new, "actual")
    for rel in (r for r in old if r in in_new):
        a, b = expected / rel, actual / rel
        suffix = Path(rel).suffix.lower()
        if rel == MANIFEST:
            lines += _compare_manifest_files(a, b)
        elif suffix == ".csv":
            lines += compare_tables(a, b, name=rel)
        elif suffix == ".png":
            lines += compare_figure(a, b, diff_dir=diff_dir, name=rel, tol=tol)
        elif suffix in (".svg", ".pdf"):
            if b.stat().st_size == 0:
                lines.append(f"{rel}: empty file")
        elif a.read_bytes() != b.read_bytes():
            lines.append(f"{rel}: contents differ")
    return lines


def _unlisted(folder: Path, present: list[str], which: str) -> list[str]:
    """Files a folder's manifest lists that the folder does not hold (a stale or partial commit)."""
    try:
        listed = json.loads((folder / MANIFEST).read_text("utf-8")).get("outputs") or {}
    except (OSError, ValueError, AttributeError):
        return []
    return [f"{rel}: listed in the {which} {MANIFEST} but not in {folder}" for rel in sorted(set(listed) - set(present))]


def _compare_manifest_files(expected: Path, actual: Path) -> list[str]:
    try:
        old = json.loads(expected.read_text("utf-8"))
        new = json.loads(actual.read_text("utf-8"))
    except ValueError as exc:
        return [f"{MANIFEST}: not valid JSON: {exc}"]
    return compare_manifests(old, new)
