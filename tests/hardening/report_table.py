"""Reading the ingest report table (``read | kept | duplicates merged | skipped``) out of command output."""

from __future__ import annotations


def ingest_counts(stderr: str) -> dict[str, int]:
    """The numbers of the "Input records" table, each under its own heading."""
    lines = stderr.splitlines()
    head = next(i for i, line in enumerate(lines) if "read" in line and "kept" in line and "skipped" in line)
    names = [c.strip() for c in lines[head].strip("┃│ ").split("┃")]
    values = [c.strip() for c in lines[head + 2].strip("│ ").split("│")]
    return {name: int(value) for name, value in zip(names, values, strict=True)}
