"""Where the shipped data folders are: ``queries/`` and ``viz/``.

In a wheel they are the data packages ``graphbuild.queries`` / ``graphbuild.viz``;
in a source checkout they are the top-level folders beside ``graphbuild/``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


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
