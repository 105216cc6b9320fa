"""A Cypher script that recreates the subgraph in any Neo4j (``cypher-shell -f graph.cypher``).

One statement per line, each ending in ``;``:

1. ``CREATE CONSTRAINT ... IF NOT EXISTS`` — a uniqueness constraint on ``key`` per label (what
   ``paperkg load`` creates too), so every ``MERGE`` below is an index lookup;
2. one ``MERGE (n:Label {key: '...'}) SET n += {...}`` per node;
3. one ``MATCH (a:Label {key: ...}), (b:Label {key: ...}) MERGE (a)-[r:TYPE]->(b) SET r += {...}`` per
   link, carrying its provenance (evidence, role, confidence ...).

Running it twice changes nothing (idempotent), and it merges into a database that already holds
paperkg data. The script takes no parameters, so every value is a literal: strings are single-quoted
with ``\\`` ``'`` ``"`` and control characters backslash-escaped (``\\n``, ``\\t``, ``\\uXXXX``), other
text — non-ASCII included — is written as UTF-8. Labels, relationship types and property names come
from the schema only; a value of any other name is not exported.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from graphbuild.errors import ExportError
from graphbuild.export.dispatch import Written
from graphbuild.schema import load_schema

log = logging.getLogger(__name__)

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
# control characters, and the Unicode line/paragraph separators some tools treat as line ends
_NEEDS_ESCAPE = re.compile(r"[\\'\"\x00-\x1f\x7f\u2028\u2029\ud800-\udfff]")


def _escape_char(m: re.Match[str]) -> str:
    c = m.group(0)
    return _ESCAPES.get(c) or f"\\u{ord(c):04x}"


def string_literal(s: str) -> str:
    """``s`` as a single-quoted Cypher string literal."""
    return "'" + _NEEDS_ESCAPE.sub(_escape_char, s) + "'"


def literal(v: Any) -> str:
    """A Cypher literal for a property value (string, int, float, bool, list of those)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ExportError(f"cannot write the non-finite number {v!r} as a Cypher literal")
        return repr(v)
    if isinstance(v, str):
        return string_literal(v)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(literal(x) for x in v) + "]"
    raise ExportError(f"cannot write a {type(v).__name__} value as a Cypher literal")


def _map(props: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in props.items()) + "}"


@cache
def _ident(name: str, what: str) -> str:
    # names come from the schema, but a hostile schema edit must not become Cypher injection
    if not _IDENT.match(name):
        raise ExportError(f"schema {what} {name!r} is not a plain identifier")
    return name


def _props(d: Mapping[str, Any], allowed: Mapping[str, str], skip: tuple[str, ...], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if k in skip or v is None:
            continue
        if k not in allowed:
            log.warning("%s: property %r is not in the schema; not exported", where, k)
            continue
        if isinstance(v, list) and not v:
            continue  # an empty list literal has no element type; absent means the same here
        out[_ident(k, "property")] = v
    return out


def statements(graph: nx.MultiDiGraph) -> list[str]:
    """The script's statements (without the trailing ``;``)."""
    schema = load_schema()
    labels = {lab: _ident(lab, "label") for lab in schema.nodes}
    lines: list[str] = []
    for lab in labels:
        lines.append(f"CREATE CONSTRAINT paperkg_{lab.lower()}_key IF NOT EXISTS FOR (n:{lab}) REQUIRE n.key IS UNIQUE")
    label_of: dict[str, str] = {}
    for n, d in graph.nodes(data=True):
        lab = d.get("label")
        if lab not in labels:
            raise ExportError(f"node {n!r} has label {lab!r}, which is not in the schema")
        label_of[n] = lab
        props = _props(d, schema.nodes[lab].properties, ("label", "key"), f"node {n}")
        stmt = f"MERGE (n:{lab} {{key: {string_literal(str(n))}}})"
        if props:
            stmt += f" SET n += {_map(props)}"
        lines.append(stmt)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if k not in schema.relationships:
            raise ExportError(f"link {u} -> {v} has type {k!r}, which is not in the schema")
        rel = _ident(k, "relationship type")
        props = _props(d, schema.relationship_properties, ("type",), f"link {u} -{k}-> {v}")
        stmt = (
            f"MATCH (a:{label_of[u]} {{key: {string_literal(str(u))}}}), "
            f"(b:{label_of[v]} {{key: {string_literal(str(v))}}}) MERGE (a)-[r:{rel}]->(b)"
        )
        if props:
            stmt += f" SET r += {_map(props)}"
        lines.append(stmt)
    return lines


def write(graph: nx.MultiDiGraph, out: Path) -> Written:
    header = (
        "// paperkg subgraph: run with `cypher-shell -f "
        + out.name.replace("\n", " ")
        + "` (idempotent: MERGE on key)\n"
    )
    with out.open("w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        for stmt in statements(graph):
            f.write(stmt)
            f.write(";\n")
    return Written((out,))
