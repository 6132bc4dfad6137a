"""OUT holds one complete result set at every moment: a run is staged beside OUT and swapped in,
killed or interrupted runs leave the old set or the new one (never a mix), and concurrent runs
on one OUT take turns. The runs that are killed are real ``mrhistory analyse`` processes, stopped
at a named step of their write phase by the MRHISTORY_TEST_PAUSE hook."""
from __future__ import annotations

import errno
import os

import pytest

from mrhistory.cli import main

from .out_sets import Paused, beside, copy_set, result_sets, set_problems, which_set

__all__ = ["result_sets"]  # the fixture

MINE = {"mine.txt": "notes kept beside the results\n", "tables/my-table.csv": "a,b\n1,2\n",
        "drafts/chapter-1.md": "# Chapter 1\n", ".my-hidden": "hidden\n"}


def _with_my_files(out):
    for rel, text in MINE.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)
    (out / "my-link").symlink_to("mine.txt")
    return out


def _my_files_are_there(out) -> bool:
    return all((out / rel).is_file() and (out / rel).read_text() == text for rel, text in MINE.items()) \
        and os.readlink(out / "my-link") == "mine.txt"


def _recover(sets, out):
    """The next run on OUT: it must not wait for the killed one's lock, and it cleans up after it."""
    from mrhistory.pipeline import run
    from mrhistory.publish import write_outputs

    write_outputs(run(sets.corpus_y, echo=None, progress=False), out, lock_timeout=5)


def test_a_rerun_keeps_the_users_files_and_leaves_nothing_beside_out(result_sets, tmp_path):
    out = _with_my_files(copy_set(result_sets.x, tmp_path / "out"))
    assert main(["analyse", str(result_sets.corpus_y), "--out", str(out)]) == 0
    assert which_set(out, result_sets) == "y"
    assert _my_files_are_there(out)
    assert beside(out) == []


@pytest.mark.parametrize("step, expected", [("staging", "x"), ("swapped", "y"), ("cleanup", "y")])
def test_kill_9_in_the_write_phase_leaves_one_complete_set(step, expected, result_sets, tmp_path):
    out = _with_my_files(copy_set(result_sets.x, tmp_path / "out"))
    Paused(result_sets.corpus_y, "--out", out, step=step).kill()
    assert which_set(out, result_sets) == expected
    _recover(result_sets, out)
    assert which_set(out, result_sets) == "y"
    assert _my_files_are_there(out) and beside(out) == []


@pytest.mark.parametrize("step, state, expected", [
    ("staging", "unchanged: the previous results are intact", "x"),
    ("swapped", "holds the complete new results", "y"),
])
def test_ctrl_c_says_truthfully_what_out_holds(step, state, expected, result_sets, tmp_path):
    out = _with_my_files(copy_set(result_sets.x, tmp_path / "out"))
    status, err = Paused(result_sets.corpus_y, "--out", out, step=step).interrupt()
    assert status == 130, err
    assert err[-1] == f"mrhistory: interrupted; {out} {state}"
    assert "Traceback" not in "\n".join(err)
    assert which_set(out, result_sets) == expected
    assert _my_files_are_there(out) and beside(out) == []


def test_ctrl_c_before_anything_is_written_into_a_new_out(result_sets, tmp_path):
    out = tmp_path / "out"
    status, err = Paused(result_sets.corpus_y, "--out", out, step="staging").interrupt()
    assert (status, err[-1]) == (130, f"mrhistory: interrupted; nothing was written to {out}")
    assert not out.exists() and beside(out) == []


def test_concurrent_runs_take_turns_and_out_holds_the_last_complete_set(result_sets, tmp_path):
    from mrhistory.pipeline import run
    from mrhistory.publish import OutputError, write_outputs

    out = copy_set(result_sets.x, tmp_path / "out")
    resume = tmp_path / "resume"
    first = Paused(result_sets.corpus_y, "--out", out, step="staging", resume=resume)  # holds the lock
    second = run(result_sets.corpus_x, echo=None, progress=False)
    with pytest.raises(OutputError, match=f"another mrhistory run is writing to {out}"):
        write_outputs(second, out, lock_timeout=0.2)
    assert which_set(out, result_sets) == "x"

    said = []

    def echo(line):  # let the first run go on once the second says it waits
        said.append(line)
        if "waiting for another mrhistory run" in line:
            resume.touch()

    write_outputs(second, out, echo=echo, lock_timeout=60)
    status, err = first.finish()
    assert status == 0, err
    assert any("waiting for another mrhistory run" in line for line in said)
    assert which_set(out, result_sets) == "x"  # the second run's set, whole, written after the first's
    assert beside(out) == []


def test_a_failed_write_leaves_out_as_it_was_and_removes_the_staging_folder(result_sets, tmp_path, monkeypatch):
    from mrhistory.pipeline import run
    from mrhistory.publish import OutputError, write_outputs

    out = _with_my_files(copy_set(result_sets.x, tmp_path / "out"))
    done = run(result_sets.corpus_y, echo=None, progress=False)

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputError, match="No space left on device"):
        write_outputs(done, out)
    assert which_set(out, result_sets) == "x" and _my_files_are_there(out) and beside(out) == []


def test_out_that_is_a_file_or_has_a_symlinked_results_folder_is_refused(result_sets, tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("not a folder\n")
    assert main(["analyse", str(result_sets.corpus_y), "--out", str(target)]) == 2
    assert capsys.readouterr().err.strip() == f"mrhistory: error: output folder {target} is a file, not a folder"

    out = copy_set(result_sets.x, tmp_path / "out")
    elsewhere = tmp_path / "elsewhere"
    (out / "figures").rename(elsewhere)
    (out / "figures").symlink_to(elsewhere, target_is_directory=True)
    before = sorted(p.name for p in elsewhere.iterdir())
    assert main(["analyse", str(result_sets.corpus_y), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"mrhistory: error: {out / 'figures'} is a symbolic link") and "\n" not in err
    assert sorted(p.name for p in elsewhere.iterdir()) == before
    assert set_problems(elsewhere.parent / "out", result_sets.x) == []  # the set, read through the link, untouched


def test_without_an_atomic_exchange_two_renames_still_never_mix_sets(result_sets, tmp_path, monkeypatch):
    """Where the file system cannot exchange two names in one step (EINVAL), OUT is moved aside and
    the new set renamed in; a run killed between the two renames finds the old set put back."""
    from mrhistory.pipeline import run
    from mrhistory.publish import swap, write_outputs

    monkeypatch.setattr(swap, "_exchange_call", lambda a, b: errno.EINVAL)
    out = _with_my_files(copy_set(result_sets.x, tmp_path / "out"))
    write_outputs(run(result_sets.corpus_y, echo=None, progress=False), out)
    assert which_set(out, result_sets) == "y" and _my_files_are_there(out) and beside(out) == []

    # the state a kill between the two renames leaves: OUT absent, the previous OUT aside, the new set staged
    out.rename(tmp_path / ".out.mrhistory-prev-dead0001")
    staged = copy_set(result_sets.x, tmp_path / ".out.mrhistory-new-dead0002")
    (staged / swap.MARKER).touch()
    said = []
    swap.recover(out, said.append)
    assert which_set(out, result_sets) == "y" and _my_files_are_there(out) and beside(out) == []
    assert said == [f"outputs: put back the previous results in {out}, which an interrupted run had moved aside"]


def test_an_out_whose_parent_folders_do_not_exist_yet_is_made(result_sets, tmp_path):
    out = tmp_path / "results" / "2024" / "out"
    assert main(["analyse", str(result_sets.corpus_y), "--out", str(out)]) == 0
    assert which_set(out, result_sets) == "y" and beside(out) == []
