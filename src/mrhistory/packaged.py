"""The reference tables, lexicons and patterns shipped in ``mrhistory/data/``, read in one way."""
from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path


def data_path(name: str) -> Path:
    return Path(str(resources.files("mrhistory").joinpath(f"data/{name}")))


def data_text(name: str) -> str:
    return resources.files("mrhistory").joinpath(f"data/{name}").read_text("utf-8")


def data_toml(name: str) -> dict:
    return tomllib.loads(data_text(name))
