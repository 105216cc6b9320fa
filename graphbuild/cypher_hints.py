"""Hints for Cypher that one store spells differently from the other (``type(r)`` vs ``label(r)``).

The patterns are data (``graphbuild/data/cypher/dialect_hints.yaml``); :func:`hint` returns the hints
whose pattern a rejected statement matches, for the store that rejected it.
"""

from __future__ import annotations

import re
from functools import cache

from graphbuild.assets import data_dir, read_yaml


@cache
def _rules() -> dict[str, list[tuple[re.Pattern[str], str]]]:

    raw = read_yaml((data_dir() / "cypher" / "dialect_hints.yaml").read_text(encoding="utf-8"))
    return {
        store: [(re.compile(r["pattern"], re.IGNORECASE), str(r["hint"])) for r in rules]
        for store, rules in raw.items()
    }


def hint(statement: str, dialect: str | None) -> str | None:
    """The hints for ``statement`` on a store of ``dialect`` (``"ladybug"``; anything else is Neo4j)."""
    rules = _rules().get(dialect or "neo4j", [])
    found = [text for pattern, text in rules if pattern.search(statement)]
    return "; ".join(found) or None
