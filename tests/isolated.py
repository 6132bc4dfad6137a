"""Run a snippet in a fresh Python with a time limit, so that an input which hangs the code fails
its test instead of hanging the suite. The limit is far above what a linear-time parse needs
(milliseconds) and far below what the quadratic or exponential code took (minutes)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import mrhistory

ROOT = Path(__file__).resolve().parents[1]
SRC = Path(mrhistory.__file__).resolve().parents[1]  # the code under test, wherever this run imports it from
HANG = 20.0  # seconds; a hang is a failure at this point, not a slow test


def run_isolated(code: str, *, timeout: float = HANG):
    """The JSON value that ``code`` prints on its last line; fails the test if it runs past ``timeout``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(ROOT)])}
    try:
        done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {timeout:.0f} s: the input hangs the code")
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
