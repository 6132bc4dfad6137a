"""Re-execute the project's notebooks in place (``make notebooks``), so their stored outputs are
what the code produces today and nbval (``make test``) compares against them.

Each notebook runs in a fresh kernel of *this* Python environment, with its own folder as the
working directory (as in JupyterLab and under nbval), and keeps what nbval will see. Volatile
data (timings, widget state and model ids, the Python patch version) is dropped so that
re-running an unchanged notebook changes no byte.

    python -m tools.notebooks execute notebooks
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from mrhistory.paths import project_root

KERNEL_NAME = "python3"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python 3 (ipykernel)", "language": "python"}
_VOLATILE_NOTEBOOK_KEYS = ("widgets", "papermill", "execution")
_VOLATILE_CELL_KEYS = ("execution", "ExecuteTime", "papermill", "collapsed", "scrolled")
_CURRENT_ENV = "mrhistory-current-env"
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def notebook_paths(targets: list[str | Path]) -> list[Path]:
    """The notebooks named by ``targets`` (files or folders), in name order; checkpoints skipped."""
    found: list[Path] = []
    for target in map(Path, targets):
        if target.is_dir():
            found += sorted(p for p in target.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif target.suffix == ".ipynb" and target.is_file():
            found.append(target)
        else:
            raise FileNotFoundError(f"{target}: not a notebook or a folder of notebooks")
    return found


def _kernel_manager(socket_dir: str | None = None):
    """A kernel manager for a kernel running this very interpreter, whatever kernelspecs exist; its
    sockets in ``socket_dir`` (IPC) when given."""
    import ipykernel.kernelspec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    class CurrentEnvSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            if kernel_name == _CURRENT_ENV:
                return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES,
                                              **ipykernel.kernelspec.get_kernel_dict())
            return super().get_kernel_spec(kernel_name)

    if socket_dir is None:
        return KernelManager(kernel_name=_CURRENT_ENV, kernel_spec_manager=CurrentEnvSpecs())
    manager = KernelManager(kernel_name=_CURRENT_ENV, kernel_spec_manager=CurrentEnvSpecs(), transport="ipc")
    manager.ip = str(Path(socket_dir) / "kernel")
    return manager


def _client_class():
    from nbclient import NotebookClient

    class NbvalLikeClient(NotebookClient):
        """Stores exactly what nbval will see when it re-runs the notebook.

        nbval keeps everything a cell prints, including what an ``ipywidgets.Output`` (and so
        ``interact``) captures, and ignores ``clear_output``; a plain nbclient run would hide
        those lines in the widget state and nbval would then report them as unexpected output.
        nbval also runs cells with ``store_history=False``, under which IPython does not
        honour a trailing ``;`` (it looks for it in the history): so do we.
        """

        async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history=False)

        def register_output_hook(self, msg_id, hook):
            pass

        def remove_output_hook(self, msg_id, hook):
            pass

        def clear_output(self, outs, msg, cell_index):
            pass

    return NbvalLikeClient


def normalise(nb) -> None:
    """Drop what changes from run to run without changing a result."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    language = dict(nb.metadata.get("language_info") or {"name": "python"})
    language.pop("version", None)
    nb.metadata["language_info"] = language
    for key in _VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in _VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        for output in cell.get("outputs", []):
            # A random model id pointing at widget state that is not stored: keep the text form.
            output.get("data", {}).pop(_WIDGET_VIEW, None)


def execute_notebook(path: str | Path, *, timeout: int = 900) -> None:
    """Run every cell of ``path`` top to bottom and store the outputs in the same file.

    The file is only rewritten if every cell succeeds.
    """
    import nbformat

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    # The kernel talks over Unix sockets in a private folder (IPC), not TCP on localhost: no port is
    # opened, and ipykernel has no cause to warn that the traffic is unencrypted. Windows has no IPC.
    with tempfile.TemporaryDirectory(prefix="mrhistory-kernel-") as sockets:
        client = _client_class()(
            nb, km=_kernel_manager(None if sys.platform == "win32" else sockets), timeout=timeout,
            record_timing=False, store_widget_state=True, resources={"metadata": {"path": str(path.parent.resolve())}},
        )
        # The kernel manager is ours, so nbclient would leave the kernel running: shut it down when
        # the notebook is done (or failed), not when this process exits ("Parent appears to have exited").
        client.execute(cleanup_kc=True)
    normalise(nb)
    nbformat.validate(nb)
    from mrhistory.outputs import atomic_write_bytes

    text = nbformat.writes(nb)
    atomic_write_bytes(path, (text if text.endswith("\n") else text + "\n").encode("utf-8"))
    trust(nb)


def trust(nb) -> None:
    """Record the notebook as trusted by this user (Jupyter's signature database), as JupyterLab does
    for a notebook you ran yourself: its stored outputs then show in full when it is opened."""
    from nbformat.sign import NotebookNotary

    try:
        NotebookNotary().sign(nb)
    except Exception as exc:  # a read-only home folder: the notebook is still written, just not trusted
        print(f"note: could not mark the notebook as trusted ({exc})", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mrhistory.notebooks",
        description="Re-execute notebooks in place so their stored outputs are current.",
        epilog="example:\n  python -m tools.notebooks execute notebooks\n"
               "  python -m tools.notebooks execute notebooks/01-corpus.ipynb",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("execute", help="run notebooks top to bottom and store their outputs")
    p.add_argument("targets", nargs="*", type=Path, help="notebooks or folders (default: notebooks/ of the project)")
    p.add_argument("--timeout", type=int, default=900, metavar="S", help="seconds allowed per cell (default 900)")
    args = parser.parse_args(argv)

    from nbclient.exceptions import CellExecutionError

    try:
        paths = notebook_paths(args.targets or [project_root() / "notebooks"])
    except FileNotFoundError as exc:
        print(f"mrhistory: error: {exc}", file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        start = time.perf_counter()
        try:
            execute_notebook(path, timeout=args.timeout)
        except CellExecutionError as exc:
            failed += 1
            print(f"{path}: FAILED, left unchanged:\n{exc}", file=sys.stderr)
            continue
        print(f"{path}: executed in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
