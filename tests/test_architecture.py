"""The layers of the package: a module imports only its own layer or lower ones, and no import cycle.

Every ``import`` and ``from … import`` in ``src/mrhistory`` is read, including those inside
functions (the ones that hid the old ``analyse → topics → figures.topics → topics`` cycle).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT_PACKAGE = "mrhistory"

#: Lowest first. A module's layer is that of the longest prefix listed here.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shared helpers", ("mrhistory.paths", "mrhistory.packaged", "mrhistory.names", "mrhistory.csvfile",
                        "mrhistory.schema", "mrhistory.outputs", "mrhistory.printable", "mrhistory.processes")),
    ("readers", ("mrhistory.deadline", "mrhistory.sources", "mrhistory.qa", "mrhistory.read", "mrhistory.harvest")),
    ("the NLP pass", ("mrhistory.model", "mrhistory.gazetteer", "mrhistory.entity_rules", "mrhistory.annotation")),
    ("analyses", ("mrhistory.entities", "mrhistory.dates", "mrhistory.date_patterns", "mrhistory.date_anchoring",
                  "mrhistory.date_bounds", "mrhistory.topics",
                  "mrhistory.topic_model", "mrhistory.concordance")),
    ("figures", ("mrhistory.figures",)),
    ("pipeline", ("mrhistory.pipeline", "mrhistory.freshness", "mrhistory.publish", "mrhistory.check")),
    ("command line", ("mrhistory.cli", "mrhistory.__main__")),
)


def modules(src: Path, package: str) -> dict[str, Path]:
    """Dotted module name → file, for every module of ``package`` under ``src``."""
    found = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's own modules that ``name`` imports, anywhere in its file."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # "from . import qa" imports the module mrhistory.qa, "from . import X" a name of the package
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def layer_of(name: str) -> int | None:
    best, length = None, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > length:
                best, length = i, len(prefix)
    return best


def graph(src: Path, package: str) -> dict[str, set[str]]:
    """Module → the modules it makes Python import (their parent packages included, except its own)."""
    found = modules(src, package)
    edges = {}
    for name, path in found.items():
        if name == package:
            continue  # the package's facade: lazy re-exports of the public API
        deps = set()
        for target in imports(name, path, set(found)):
            deps.add(target)
            parent = target.rpartition(".")[0]
            while parent and parent != package:
                if not name.startswith(parent + "."):  # one's own package is already being imported
                    deps.add(parent)
                parent = parent.rpartition(".")[0]
        edges[name] = deps - {package}  # the root package only lends ``__version__``
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def upward(edges: dict[str, set[str]]) -> list[str]:
    problems = []
    for name, deps in sorted(edges.items()):
        own = layer_of(name)
        for dep in sorted(deps):
            theirs = layer_of(dep)
            if own is not None and theirs is not None and theirs > own:
                problems.append(f"{name} ({LAYERS[own][0]}) imports {dep} ({LAYERS[theirs][0]})")
    return problems


@pytest.fixture(scope="module")
def edges() -> dict[str, set[str]]:
    return graph(SRC, ROOT_PACKAGE)


def test_every_module_has_a_layer(edges):
    assert [name for name in edges if layer_of(name) is None] == []


def test_no_module_imports_a_higher_layer(edges):
    assert upward(edges) == []


def test_there_is_no_import_cycle(edges):
    assert cycles(edges) == []


def test_the_checker_finds_cycles_and_upward_imports(tmp_path):
    pkg = tmp_path / "mrhistory"
    (pkg / "figures").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "figures" / "__init__.py").write_text("")
    (pkg / "figures" / "topics.py").write_text("from ..topics import FACETS\n")
    (pkg / "topics.py").write_text("def stage():\n    from .figures import topics\n    from . import pipeline\n")
    (pkg / "pipeline.py").write_text("from .topics import stage\n")
    found = graph(tmp_path, "mrhistory")
    assert cycles(found) == [["mrhistory.figures.topics", "mrhistory.pipeline", "mrhistory.topics"]]
    assert "mrhistory.topics (analyses) imports mrhistory.figures.topics (figures)" in upward(found)
    assert "mrhistory.topics (analyses) imports mrhistory.pipeline (pipeline)" in upward(found)
