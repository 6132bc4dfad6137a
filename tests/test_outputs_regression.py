"""The committed outputs/ are what the code produces today; the checks that say so can fail.

Also: the same analysis writes the same bytes twice, and figures saved in two separate
Python processes are byte-identical, with fonts embedded and no timestamps.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mrhistory.check import (
    compare_figure, compare_manifests, compare_outputs, compare_tables, output_files,
)

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "outputs"


@pytest.fixture(scope="module")
def fresh_outputs(tmp_path_factory):
    """The shipped corpus analysed now, into a temporary folder (annotation cache in tmp)."""
    from mrhistory.pipeline import analyse

    out = tmp_path_factory.mktemp("fresh") / "outputs"
    analyse(ROOT / "corpus", out, echo=lambda line: None, progress=False)
    return out


@pytest.fixture
def copied(fresh_outputs, tmp_path):
    """A private copy of a fresh outputs folder, for tests that damage it."""
    return Path(shutil.copytree(fresh_outputs, tmp_path / "copy"))


def test_committed_outputs_match_a_fresh_run(fresh_outputs, tmp_path):
    assert (COMMITTED / "manifest.json").is_file(), (
        "outputs/ is stale: outputs/manifest.json is missing; run `make notebooks` and commit outputs/ and notebooks/")
    differences = compare_outputs(COMMITTED, fresh_outputs, diff_dir=tmp_path / "diffs")
    assert not differences, (
        f"outputs/ is stale: {len(differences)} difference(s) from what the code makes of corpus/ now; if corpus/ or "
        "the code changed on purpose, run `make notebooks` and commit outputs/ and notebooks/:\n" + "\n".join(differences))


def test_every_figure_in_the_manifest_is_written_in_every_format(fresh_outputs):
    manifest = json.loads((fresh_outputs / "manifest.json").read_text("utf-8"))
    assert manifest["figures"], "the analysis writes at least the corpus-lengths figure"
    for name, info in manifest["figures"].items():
        assert info["caption"] and info["alt"], name
        assert info["files"] == [f"figures/{name}.{fmt}" for fmt in ("png", "svg", "pdf")]
        for rel in info["files"]:
            assert (fresh_outputs / rel).stat().st_size > 0
        provenance = info["provenance"]
        assert provenance["corpus_sha256"] == manifest["corpus"]["sha256"]
        assert {"mrhistory", "spacy_version", "model", "model_version"} <= provenance["versions"].keys()


def test_identical_folders_have_no_differences(fresh_outputs, copied, tmp_path):
    assert compare_outputs(fresh_outputs, copied, diff_dir=tmp_path) == []


# --- the checks can fail: tables -------------------------------------------------------------

def _write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_a_changed_number_names_table_row_key_and_cell(tmp_path):
    old = _write(tmp_path / "old.csv", """
        canonical,label,mentions
        Soviet Union,GPE,9
        United States,GPE,8
        Japan,GPE,6
    """)
    new = _write(tmp_path / "new.csv", """
        canonical,label,mentions
        Soviet Union,GPE,9
        United States,GPE,8
        Japan,GPE,7
    """)
    assert compare_tables(old, new, name="tables/entity_counts.csv") == [
        "tables/entity_counts.csv: row 3 (canonical='Japan'): mentions 6 → 7"]


def test_added_removed_and_reordered_rows_are_named(tmp_path):
    old = _write(tmp_path / "old.csv", "canonical,mentions\nA,1\nB,2\nC,3\n")
    new = _write(tmp_path / "new.csv", "canonical,mentions\nA,1\nC,3\nD,4\n")
    assert compare_tables(old, new, name="t.csv") == [
        "t.csv: row 2 (canonical='B'): removed",
        "t.csv: row 3 of the new table (canonical='D'): added",
    ]
    swapped = _write(tmp_path / "swapped.csv", "canonical,mentions\nB,2\nA,1\nC,3\n")
    assert compare_tables(old, swapped, name="t.csv") == [
        "t.csv: rows reordered from row 1: expected canonical='A', found canonical='B'"]


def test_tables_without_a_unique_key_are_compared_row_by_row(tmp_path):
    old = _write(tmp_path / "old.csv", "year,part\n1944,answer\n1944,question\n")
    new = _write(tmp_path / "new.csv", "year,part\n1944,answer\n1945,question\n1946,answer\n")
    assert compare_tables(old, new, name="dates.csv") == [
        "dates.csv: 2 row(s) expected, 3 found",
        "dates.csv: row 2: year 1944 → 1945",
        "dates.csv: row 3 added: year=1946, part='answer'",
    ]


def test_columns_and_formatting_changes_are_reported(tmp_path):
    old = _write(tmp_path / "old.csv", "a,b\n1,x\n")
    assert compare_tables(old, _write(tmp_path / "cols.csv", "a,c\n1,x\n"), name="t.csv") == [
        "t.csv: column(s) removed: b", "t.csv: column(s) added: c"]
    assert compare_tables(old, _write(tmp_path / "quoted.csv", 'a,b\n1,"x"\n'), name="t.csv") == [
        "t.csv: the bytes differ but every cell is equal (quoting, line ends or number format changed)"]
    # Exact text: 6 and 6.0 are different results.
    assert compare_tables(_write(tmp_path / "i.csv", "k,n\nx,6\n"), _write(tmp_path / "f.csv", "k,n\nx,6.0\n")) == [
        "f.csv: row 1 (k='x'): n 6 → 6.0"]


def test_a_changed_number_in_the_shipped_columns_table_fails_the_comparison(fresh_outputs, copied, tmp_path):
    table = copied / "tables" / "columns.csv"
    text = table.read_text("utf-8")
    header = text.splitlines()[0].split(",")
    assert "question_words" in header
    import pandas as pd

    df = pd.read_csv(table, dtype=str, keep_default_na=False)
    before = df.loc[0, "question_words"]
    df.loc[0, "question_words"] = str(int(before) + 1)
    df.to_csv(table, index=False, lineterminator="\n")
    differences = compare_outputs(fresh_outputs, copied, diff_dir=tmp_path / "diffs")
    column_id = df.loc[0, "column_id"]
    assert differences == [
        f"tables/columns.csv: row 1 (column_id={column_id!r}): question_words {before} → {int(before) + 1}"]


# --- the checks can fail: figures, files, manifest --------------------------------------------

def _paint(png: Path, box=(0.3, 0.3, 0.6, 0.7)) -> None:
    """Paint a filled rectangle over a region of ``png`` (fractions of width and height)."""
    from PIL import Image, ImageDraw

    with Image.open(png) as image:
        image = image.convert("RGBA")
    w, h = image.size
    ImageDraw.Draw(image).rectangle((box[0] * w, box[1] * h, box[2] * w, box[3] * h), fill=(204, 121, 167, 255))
    image.save(png)


def _small_chart(folder: Path, name: str = "chart"):
    from mrhistory.figures import save_figure, new_figure, style

    fig, ax = new_figure(width=3.5, height=2.4)
    with style():
        ax.bar(["1941", "1942", "1943"], [3, 5, 2], label="mentions")
        ax.plot([0, 1, 2], [2, 4, 3], marker="o", label="columns")
        ax.set_title("A small chart, ÄÖ — 1944")
        ax.legend()
    return save_figure(fig, folder, name, caption="test")


def test_painting_over_a_figure_names_it_and_writes_a_diff_image(fresh_outputs, copied, tmp_path):
    manifest = json.loads((copied / "manifest.json").read_text("utf-8"))
    pngs = [rel for info in manifest["figures"].values() for rel in info["files"] if rel.endswith(".png")]
    assert pngs
    _paint(copied / pngs[0])
    differences = compare_outputs(fresh_outputs, copied, diff_dir=tmp_path / "diffs")
    assert len(differences) == 1, differences
    assert differences[0].startswith(f"{pngs[0]}: differs from the expected image (RMS ")
    diff = Path(re.search(r"diff image: (.+)$", differences[0]).group(1))
    assert diff.parent == tmp_path / "diffs" and diff.is_file()


def test_a_small_painted_region_on_a_synthetic_figure_is_caught(tmp_path):
    saved = _small_chart(tmp_path / "a")
    png = saved.files[0]
    painted = tmp_path / "b" / png.name
    painted.parent.mkdir()
    shutil.copyfile(png, painted)
    _paint(painted, box=(0.45, 0.45, 0.52, 0.55))  # well under 1 % of the picture
    (line,) = compare_figure(png, painted, diff_dir=tmp_path / "diffs", name="figures/chart.png")
    assert line.startswith("figures/chart.png: differs from the expected image")
    assert (tmp_path / "diffs" / "figures__chart-failed-diff.png").is_file()
    assert compare_figure(png, png, diff_dir=tmp_path / "unused") == []
    assert not (tmp_path / "unused").exists()


def test_a_figure_of_another_size_is_reported(tmp_path):
    from PIL import Image

    png = _small_chart(tmp_path / "a").files[0]
    cropped = tmp_path / "cropped.png"
    with Image.open(png) as image:
        image.crop((0, 0, image.width - 10, image.height)).save(cropped)
    (line,) = compare_figure(png, cropped, diff_dir=tmp_path / "diffs", name="figures/chart.png")
    assert line.startswith("figures/chart.png: Image sizes do not match")


def test_missing_and_extra_files_are_named(fresh_outputs, copied, tmp_path):
    (copied / "figures" / "corpus-lengths.svg").unlink()
    (copied / "tables" / "surprise.csv").write_text("a\n1\n")
    (copied / ".hidden").write_text("ignored")
    assert compare_outputs(fresh_outputs, copied, diff_dir=tmp_path) == [
        "figures/corpus-lengths.svg: missing (expected, not produced)",
        "tables/surprise.csv: extra file (produced, not expected)",
        f"figures/corpus-lengths.svg: listed in the actual manifest.json but not in {copied}",
    ]


def test_a_file_listed_in_the_manifest_but_absent_from_both_folders_is_named(fresh_outputs, copied, tmp_path):
    expected = Path(shutil.copytree(fresh_outputs, tmp_path / "expected"))
    for folder in (expected, copied):
        (folder / "tables" / "columns.csv").unlink()
    assert compare_outputs(expected, copied, diff_dir=tmp_path / "diffs") == [
        f"tables/columns.csv: listed in the expected manifest.json but not in {expected}",
        f"tables/columns.csv: listed in the actual manifest.json but not in {copied}",
    ]


def test_manifest_provenance_changes_are_named(fresh_outputs):
    manifest = json.loads((fresh_outputs / "manifest.json").read_text("utf-8"))
    changed = json.loads(json.dumps(manifest))
    changed["versions"]["spacy_version"] = "0.0.1"
    changed["figures"]["corpus-lengths"]["caption"] = "Another caption"
    changed["outputs"]["tables/columns.csv"]["sha256"] = "0" * 64  # hashes: the files are compared instead
    old_version = manifest["versions"]["spacy_version"]
    assert compare_manifests(manifest, changed) == [
        f"manifest.json: figures.corpus-lengths.caption {manifest['figures']['corpus-lengths']['caption']!r} → 'Another caption'",
        "manifest.json: versions.spacy_version " f"{old_version!r} → '0.0.1'",
    ]
    patch = json.loads(json.dumps(manifest))
    patch["versions"]["python"] = manifest["versions"]["python"].rsplit(".", 1)[0] + ".999"
    assert compare_manifests(manifest, patch) == []


def test_check_command_exit_status(fresh_outputs, copied, tmp_path, capsys):
    from mrhistory.cli import main

    assert main(["check", str(fresh_outputs), str(copied), "--diff-dir", str(tmp_path)]) == 0
    (copied / "corpus_report.csv").write_text("file,problem,detail\nx.txt,empty,the file is empty\n")
    assert main(["check", str(fresh_outputs), str(copied), "--diff-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "corpus_report.csv: row 1 of the new table (file='x.txt'): added" in out
    assert "1 difference(s)" in out


# --- determinism -----------------------------------------------------------------------------

def test_a_second_cached_run_writes_identical_bytes(fresh_outputs, tmp_path):
    from mrhistory.pipeline import analyse

    again = tmp_path / "again"
    analyse(ROOT / "corpus", again, echo=lambda line: None, progress=False)
    files = output_files(fresh_outputs)
    assert files == output_files(again)
    for rel in files:
        assert (fresh_outputs / rel).read_bytes() == (again / rel).read_bytes(), rel


_CHART_SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_outputs_regression import _small_chart
_small_chart(Path(sys.argv[1]))
"""


def test_figures_saved_in_two_processes_are_byte_identical(tmp_path):
    script = _CHART_SCRIPT.format(tests=str(Path(__file__).parent))
    for n, seed in ((1, "1"), (2, "2")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "MPLBACKEND": "agg"}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / str(n))], check=True, env=env, cwd=tmp_path)
    for fmt in ("png", "svg", "pdf"):
        first, second = (tmp_path / str(n) / f"chart.{fmt}" for n in (1, 2))
        assert first.read_bytes() == second.read_bytes(), fmt


def test_figure_files_carry_no_timestamps_or_software_names(tmp_path):
    saved = {p.suffix: p.read_bytes() for p in _small_chart(tmp_path).files}
    assert b"tEXt" not in saved[".png"] and b"Software" not in saved[".png"]
    assert b"<dc:date>" not in saved[".svg"] and b"Matplotlib v" not in saved[".svg"]
    for key in (b"/CreationDate", b"/ModDate", b"/Producer", b"/Creator"):
        assert key not in saved[".pdf"], key


def test_png_is_300_dpi_at_the_requested_print_width(tmp_path):
    from PIL import Image

    fig_width_in = 3.5
    with Image.open(_small_chart(tmp_path).files[0]) as image:
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        # bbox "tight" trims or pads a little around the drawing, never much.
        assert image.width == pytest.approx(fig_width_in * 300, rel=0.08)


def test_pdf_fonts_are_embedded_truetype(tmp_path):
    pdf = _small_chart(tmp_path).files[2].read_bytes()
    descriptors = pdf.count(b"/Type /FontDescriptor")
    assert descriptors >= 1
    assert pdf.count(b"/FontFile2") == descriptors, "every font in the PDF embeds its TrueType program"
    assert b"/Subtype /Type3" not in pdf, "Type 3 fonts are refused by some journals"


def test_the_notebook_way_writes_the_same_figure_files_as_analyse(fresh_outputs, tmp_path):
    """01-corpus draws from load_corpus and saves with save_figure: same bytes as the CLI."""
    from mrhistory import load_corpus
    from mrhistory.figures import corpus as corpus_figures
    from mrhistory.figures import save_figure

    fig = corpus_figures.corpus_lengths_figure(load_corpus(ROOT / "corpus"))
    saved = save_figure(fig, tmp_path, corpus_figures.NAME, caption=corpus_figures.CAPTION, alt=corpus_figures.ALT)
    for path in saved.files:
        assert path.read_bytes() == (fresh_outputs / "figures" / path.name).read_bytes(), path.name
