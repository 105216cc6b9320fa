"""Where the shipped data folders are: ``queries/`` and ``viz/``.

In a wheel they are the data packages ``graphbuild.queries`` / ``graphbuild.viz``;
in a source checkout they are the top-level folders beside ``graphbuild/``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import IO, Any


def _folder(name: str) -> Path:
    repo = Path(__file__).resolve().parent.parent / name
    if repo.is_dir():
        return repo
    return Path(str(resources.files(f"graphbuild.{name}")))


def queries_dir() -> Path:
    return _folder("queries")


def viz_dir() -> Path:
    return _folder("viz")


def data_dir() -> Path:
    """``graphbuild/data``: schema, vocabularies, taxonomy, patterns."""
    return Path(__file__).resolve().parent / "data"


def read_yaml(text_or_stream: str | IO[str]) -> Any:
    """``yaml.safe_load`` with libyaml's C loader when PyYAML has it: the shipped data files load ~9x faster
    (0.10 → 0.011 s for all of them, on every command); same objects either way."""
    import yaml

    return yaml.load(text_or_stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
