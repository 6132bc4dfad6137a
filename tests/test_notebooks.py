"""`make notebooks`: in-place re-execution that stores current outputs and nothing volatile."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tools.notebooks import main, normalise, notebook_paths


def _notebook(path, *sources):
    cells = [new_code_cell(src) for src in sources]
    for n, cell in enumerate(cells):
        cell.id = f"cell-{n}"
    nbformat.write(new_notebook(cells=cells), path)
    return path


def test_execute_stores_outputs_runs_in_the_notebook_folder_and_is_byte_stable(tmp_path):
    path = _notebook(tmp_path / "demo.ipynb",
                     "import os, pathlib\nprint(pathlib.Path.cwd() == pathlib.Path(os.environ['DEMO_DIR']))",
                     "6 * 7",
                     "7 * 6;  # nbval ignores the semicolon, so the stored notebook must too")
    import os

    os.environ["DEMO_DIR"] = str(tmp_path.resolve())
    try:
        assert main(["execute", str(path)]) == 0
        first = path.read_bytes()
        assert main(["execute", str(tmp_path)]) == 0
    finally:
        del os.environ["DEMO_DIR"]
    assert path.read_bytes() == first
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].outputs[0]["text"] == "True\n"
    assert nb.cells[1].outputs[0]["data"]["text/plain"] == "42"
    assert nb.cells[2].outputs[0]["data"]["text/plain"] == "42"
    assert [cell.execution_count for cell in nb.cells] == [1, 2, 3]
    assert "version" not in nb.metadata["language_info"]
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert all("execution" not in cell.metadata for cell in nb.cells)


def test_a_failing_cell_leaves_the_notebook_unchanged(tmp_path, capsys):
    path = _notebook(tmp_path / "broken.ipynb", "1 + 1", "raise ValueError('boom')")
    before = path.read_bytes()
    assert main(["execute", str(path)]) == 1
    assert path.read_bytes() == before
    assert "broken.ipynb: FAILED" in capsys.readouterr().err


def test_normalise_drops_volatile_metadata():
    nb = new_notebook(cells=[new_code_cell("1")])
    nb.metadata.update({"widgets": {"state": {}}, "language_info": {"name": "python", "version": "3.11.7"}})
    nb.cells[0].metadata.update({"execution": {"iopub.execute_input": "2026-01-01T00:00:00Z"}, "tags": ["parameters"]})
    normalise(nb)
    assert "widgets" not in nb.metadata
    assert nb.metadata["language_info"] == {"name": "python"}
    assert nb.cells[0].metadata == {"tags": ["parameters"]}


def test_notebook_paths(tmp_path):
    (tmp_path / "b.ipynb").write_text("{}")
    (tmp_path / "a.ipynb").write_text("{}")
    (tmp_path / "notes.txt").write_text("")
    assert [p.name for p in notebook_paths([tmp_path])] == ["a.ipynb", "b.ipynb"]
    with pytest.raises(FileNotFoundError):
        notebook_paths([tmp_path / "notes.txt"])


def test_widget_output_is_stored_as_nbval_sees_it_without_random_ids(tmp_path):
    path = _notebook(
        tmp_path / "widgets.ipynb",
        "import ipywidgets as widgets\n"
        "def kwic(entity):\n    print('KWIC for', entity)\n"
        "widgets.interactive(kwic, entity=widgets.Dropdown(options=['Japan', 'USSR'], value='Japan'))",
    )
    assert main(["execute", str(path)]) == 0
    first = path.read_bytes()
    assert main(["execute", str(path)]) == 0
    assert path.read_bytes() == first, "no random widget model ids in the stored notebook"
    outputs = nbformat.read(path, as_version=4).cells[0].outputs
    assert outputs[0]["text"] == "KWIC for Japan\n"
    assert all("application/vnd.jupyter.widget-view+json" not in o.get("data", {}) for o in outputs)


def test_execution_prints_no_kernel_warnings_and_marks_the_notebook_trusted(tmp_path):
    """`make notebooks` must not alarm anyone: no "running over TCP without encryption", no "Parent
    appears to have exited"; the kernel talks over IPC and is shut down with its notebook."""
    import subprocess
    import sys

    from nbformat.sign import NotebookNotary

    path = _notebook(tmp_path / "quiet.ipynb", "print('hello')")
    done = subprocess.run([sys.executable, "-m", "tools.notebooks", "execute", str(path)], capture_output=True,
                          text=True, cwd=Path(__file__).resolve().parents[1], timeout=300)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr and "IPKernelApp" not in done.stderr, done.stderr
    (line,) = done.stderr.splitlines()  # nothing but the one line per notebook
    assert line.startswith(f"{path}: executed in ")
    assert NotebookNotary().check_signature(nbformat.read(path, as_version=4))
