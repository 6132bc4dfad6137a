"""Wall time and peak memory of a whole process tree, as a user would start the process."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

POLL_SECONDS = 0.05


@dataclass
class Measured:
    """One process run: wall seconds, peak memory of it and all its children, its exit status."""

    seconds: float
    peak_pss_mib: float
    peak_rss_mib: float
    returncode: int
    #: user + system CPU seconds of the process and every descendant it waited for
    cpu_seconds: float = 0.0
    stderr: str = ""
    timings: dict = field(default_factory=dict)
    main_peaks: dict = field(default_factory=dict)


def _tree_memory(root: psutil.Process) -> tuple[float, float]:
    """(PSS, RSS) summed over ``root`` and every descendant, in bytes. PSS counts a page shared
    by n processes (forked workers share the parent's) as 1/n, so the sum is what the tree uses."""
    pss = rss = 0.0
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0, 0.0
    for proc in procs:
        try:
            info = proc.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return pss, rss


def run(argv: list[str], *, env: dict | None = None, cwd: str | Path | None = None,
        timings_file: Path | None = None) -> Measured:
    """Start ``argv`` (stdout discarded, stderr kept), poll its process tree's memory every
    POLL_SECONDS until it exits, and return what it took."""
    env = {**os.environ, **(env or {})}
    if timings_file is not None:
        timings_file.unlink(missing_ok=True)
        env["MRHISTORY_TIMINGS"] = str(timings_file)
    before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(proc.pid)
    peak = [0.0, 0.0]
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            pss, rss = _tree_memory(root)
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            stop.wait(POLL_SECONDS)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    watcher.join()
    data = {}
    if timings_file is not None and timings_file.is_file():
        import json

        data = json.loads(timings_file.read_text("utf-8"))
    return Measured(seconds, peak[0] / 2**20, peak[1] / 2**20, proc.returncode, _children_cpu() - before,
                    err.decode("utf-8", "replace"), data.get("seconds", {}), data.get("main_process_peak_mib", {}))


def _children_cpu() -> float:
    """CPU seconds of every child process this one has waited for (their waited-for children included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def load() -> str:
    """The 1, 5 and 15 minute load averages, and the number of usable cores."""
    one, five, fifteen = os.getloadavg()
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {cores} cores"
