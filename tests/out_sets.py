"""Output folders for the reliability tests: two corpora whose results differ in every file, their
complete result sets, and an oracle saying whether a folder holds exactly one of them.

The oracle reads only the folder and a reference set; it does not use mrhistory's own checks.
"""
from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import mrhistory

from .conftest import CORPUS, SHIPPED_ID

#: A column written for these tests (not taken from any corpus): its tables and figures differ
#: from the shipped column's in every file.
CANAL = """Why did the Erie Canal matter so much to New York City?

Martha Klein


Dear Ms. Klein:

When the Erie Canal opened in October 1825, it joined the Hudson River at Albany to Lake Erie at Buffalo. Freight that had cost about $100 a ton to haul overland now moved for under $10, and within fifteen years New York had passed Boston, Baltimore and New Orleans as the busiest port in the United States. Governor DeWitt Clinton, whose critics had mocked the project as "Clinton's Ditch," lived to see it pay for itself.

Jon Guttman

Research Director

World History
"""
SRC = Path(mrhistory.__file__).resolve().parents[1]  # the code under test, also in subprocesses
PAUSE_WAIT_S = 90


def corpus_x(folder: Path) -> Path:
    """The shipped column, alone."""
    folder.mkdir(parents=True)
    shutil.copy(CORPUS / f"{SHIPPED_ID}.txt", folder)
    return folder


def corpus_y(folder: Path) -> Path:
    """One short column about the Erie Canal."""
    folder.mkdir(parents=True)
    (folder / "erie-canal.txt").write_text(CANAL, "utf-8")
    return folder


@dataclass
class Sets:
    corpus_x: Path  # read only
    corpus_y: Path
    x: Path  # a complete result set of corpus_x, never written to by a test
    y: Path


@pytest.fixture(scope="session")
def result_sets(tmp_path_factory) -> Sets:
    from mrhistory.pipeline import analyse

    root = tmp_path_factory.mktemp("sets")
    # x is the shipped column's test copy, which other tests analyse too: its figures come from the cache
    sets = Sets(CORPUS, corpus_y(root / "corpus-y"), root / "set-x", root / "set-y")
    for corpus, out in ((sets.corpus_x, sets.x), (sets.corpus_y, sets.y)):
        analyse(corpus, out, echo=None, progress=False)
    return sets


def copy_set(source: Path, out: Path) -> Path:
    return Path(shutil.copytree(source, out, symlinks=True))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_problems(out: Path, reference: Path) -> list[str]:
    """Why ``out`` does not hold exactly the result set in ``reference`` (empty: it does).

    The manifest must be the reference's, byte for byte, and every file it lists present with the
    bytes it records; no output file may be there that the manifest does not list.
    """
    problems = []
    try:
        text = (out / "manifest.json").read_bytes()
    except OSError as exc:
        return [f"no manifest: {exc}"]
    if text != (reference / "manifest.json").read_bytes():
        problems.append("manifest.json is not the reference set's")
    listed = json.loads(text).get("outputs", {})
    for rel, info in listed.items():
        path = out / rel
        if not path.is_file() or path.is_symlink():
            problems.append(f"{rel}: missing")
        elif sha256(path) != info["sha256"]:
            problems.append(f"{rel}: does not match its manifest hash")
    for folder in ("tables", "figures"):
        for path in sorted((out / folder).glob("*")):
            rel = path.relative_to(out).as_posix()
            if rel not in listed and not path.name.startswith("my"):  # tests name their own files my*
                problems.append(f"{rel}: an output file the manifest does not list")
    return problems


def which_set(out: Path, sets: Sets) -> str:
    """"x" or "y" if ``out`` holds that complete set; else the problems against both."""
    for name in ("x", "y"):
        if not set_problems(out, getattr(sets, name)):
            return name
    return f"neither: x: {set_problems(out, sets.x)}; y: {set_problems(out, sets.y)}"


def snapshot(folder: Path) -> dict[str, object]:
    """Every path under ``folder``: file bytes, link targets, folders."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = ("link", os.readlink(path))
        elif path.is_dir():
            found[rel] = "dir"
        else:
            found[rel] = path.read_bytes()
    return found


def beside(out: Path) -> list[str]:
    """What lies beside OUT that mrhistory made (its staging folders; its lock file is allowed)."""
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.") and not p.name.endswith(".lock"))


def cli_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "MPLBACKEND": "agg"}
    for hook in ("MRHISTORY_TEST_PAUSE", "MRHISTORY_TEST_RESUME"):
        env.pop(hook, None)
    return {**env, **extra}


def unprivileged(cmd: list[str]) -> list[str]:
    """``cmd`` run so that file modes bind it: as root, without the capabilities that override them."""
    if os.geteuid() != 0:
        return cmd
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be made")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, "--bounding-set", caps, "--inh-caps", caps, *cmd]


def mrhistory_cmd(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "mrhistory", *map(str, args)]


def run_cli(cmd: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=cli_env(**env), check=False)


class Paused:
    """``mrhistory analyse`` in a subprocess, stopped at one step of its write phase (the
    MRHISTORY_TEST_PAUSE hook) until it is killed, interrupted or its resume file appears."""

    def __init__(self, *args: str | Path, step: str, resume: Path | None = None):
        env = {"MRHISTORY_TEST_PAUSE": step}
        if resume is not None:
            env["MRHISTORY_TEST_RESUME"] = str(resume)
        self.step = step
        self.proc = subprocess.Popen(mrhistory_cmd("analyse", *args), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, env=cli_env(**env))
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.err: list[str] = []
        self._wait_for_pause()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _wait_for_pause(self) -> None:
        wanted = f"mrhistory: test pause at {self.step}"
        deadline = time.monotonic() + PAUSE_WAIT_S
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.err.append(line)
            if line == wanted:
                return
        self.proc.kill()
        self.proc.wait(timeout=30)
        pytest.fail(f"the run never paused at {self.step!r}; it said: {self._rest()}")

    def _rest(self) -> list[str]:
        self.reader.join(timeout=30)
        while True:
            try:
                line = self.lines.get_nowait()
            except queue.Empty:
                return self.err
            if line is not None:
                self.err.append(line)

    def kill(self) -> int:
        self.proc.send_signal(signal.SIGKILL)
        status = self.proc.wait(timeout=30)
        self._rest()
        return status

    def interrupt(self) -> tuple[int, list[str]]:
        self.proc.send_signal(signal.SIGINT)
        return self.finish()

    def finish(self) -> tuple[int, list[str]]:
        status = self.proc.wait(timeout=60)
        return status, self._rest()
