"""Worker processes, as the annotate pass and the figure drawing use them: forked where the platform
forks (Linux), dying with their parent (kill -9 included), leaving Ctrl-C to the parent, and
killed and reaped when the parent stops early, so that no worker outlives a run.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager


def can_fork() -> bool:
    """Whether workers are forked here (Linux): they then inherit what the parent has loaded."""
    return sys.platform.startswith("linux")


def context():
    """The multiprocessing context of the workers: fork where :func:`can_fork`, spawn elsewhere."""
    import multiprocessing as mp

    return mp.get_context("fork" if can_fork() else "spawn")


def die_with_parent(parent: int) -> None:
    """Make the kernel kill this process when its parent dies (Linux); elsewhere, a watchdog thread."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) != 0:  # PR_SET_PDEATHSIG
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):
        def watch():
            while os.getppid() == parent:
                threading.Event().wait(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def worker_start(parent: int) -> None:
    """What every worker does first: die with ``parent``, ignore Ctrl-C (the parent's to handle: it
    stops us) and use one BLAS thread (the workers themselves fill the cores)."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:
        pass


def children() -> frozenset:
    """The live child processes started by multiprocessing: pass it to :func:`stop` as ``started_before``."""
    import multiprocessing as mp

    return frozenset(mp.active_children())


@contextmanager
def interrupt_held():
    """Ctrl-C waits until the block ends: forks made in it are all recorded before it can stop the
    run (one that lands in a fork hook is swallowed by Python, and a fork not yet recorded would
    be left behind)."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if hasattr(signal, "pthread_sigmask") else None
    try:
        yield
    finally:
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)


@contextmanager
def shared_heap():
    """Processes forked in the block share the parent's objects for good: the garbage collector
    leaves them alone (``gc.freeze``), so a worker does not copy every page of the parent's heap
    by walking it (copy-on-write)."""
    import gc

    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def stop(executor, started_before: frozenset = frozenset()) -> None:
    """Kill and reap the worker processes now (Ctrl-C, an error, or the consumer gave up): the
    executor's, and any child started since ``started_before`` that it had not yet recorded (a
    Ctrl-C can fall between a fork and its bookkeeping; such a child would block the exit)."""
    import multiprocessing as mp

    processes = list(getattr(executor, "_processes", {}).values())
    processes += [p for p in mp.active_children() if p not in started_before and p not in processes]
    kill(processes)
    executor.shutdown(wait=False, cancel_futures=True)


def kill(processes) -> None:
    """Kill the worker processes that are still running and reap them all (wait up to 5 s each)."""
    processes = list(processes)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(5)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
