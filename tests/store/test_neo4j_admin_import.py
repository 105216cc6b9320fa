"""`paperkg export --format neo4j-admin` files: the documented header format, and a real
`neo4j-admin database import full` (from the Maven Central jars) whose result equals the online loader's."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from neo4j_graphs import diff, graph_as_dicts, odd_graph, read_back

from bench.synthetic import make_graph
from graphbuild.export.neo4j_admin import ARRAY_DELIMITER, write_neo4j_admin
from graphbuild.graph import update_paper_counts
from graphbuild.schema import load_schema
from graphbuild.store.neo4j import Neo4jStore

# neo4j-admin header grammar: name[:type] | [name]:ID(group) | :START_ID(group) | :END_ID(group)
_HEADER = re.compile(
    r"^(?:[A-Za-z_][A-Za-z0-9_]*(?::(?:int|long|float|double|boolean|byte|short|char|string)(?:\[\])?)?"
    r"|[A-Za-z_]*:ID\([A-Za-z]+\)|:START_ID\([A-Za-z]+\)|:END_ID\([A-Za-z]+\))$"
)


def _parse_rows(text: str) -> list[list[str | None]]:
    """RFC 4180 with one extra distinction the importer makes: unquoted empty = None (no property)."""
    rows: list[list[str | None]] = []
    i, row, n = 0, [], len(text)
    while i < n:
        if text[i] == '"':
            j, buf = i + 1, []
            while True:
                k = text.index('"', j)
                buf.append(text[j:k])
                if k + 1 < n and text[k + 1] == '"':
                    buf.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            row.append("".join(buf))
        else:
            k = i
            while k < n and text[k] not in ",\n":
                k += 1
            row.append(text[i:k] if k > i else None)
            i = k
        if i < n and text[i] == ",":
            i += 1
        elif i >= n or text[i] == "\n":
            rows.append(row)
            row = []
            i += 1
    return rows


def _typed(value: str | None, column: str) -> Any:
    if value is None:
        return None
    kind = column.split(":", 1)[1] if ":" in column and "(" not in column else "string"
    if kind == "long":
        return int(value)
    if kind == "double":
        return float(value)
    if kind == "string[]":
        return value.split(ARRAY_DELIMITER) if value else []
    return value


def _without_empty_lists(
    data: tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]],
) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]:
    nodes, edges = data
    return (
        {k: {p: v for p, v in d.items() if v != []} for k, d in nodes.items()},
        {k: {p: v for p, v in d.items() if v != []} for k, d in edges.items()},
    )


def test_files_follow_the_documented_header_format_and_round_trip(tmp_path: Path) -> None:
    g = odd_graph()
    info = write_neo4j_admin(g, tmp_path)
    schema = load_schema()
    assert info["nodes"] == {"Paper": 2, "Method": 2, "Benchmark": 1, "Task": 1, "Domain": 2}
    assert info["relationships"] == {"PROPOSES": 1, "USES": 1, "EVALUATES_ON": 1, "ADDRESSES": 1, "IN_DOMAIN": 1}
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for name in [*info["nodes"], *info["relationships"]]:
        header = (tmp_path / f"{name}-header.csv").read_text("utf-8").rstrip("\n").split(",")
        assert all(_HEADER.match(c) for c in header), header
        for row in _parse_rows((tmp_path / f"{name}.csv").read_text("utf-8")):
            assert len(row) == len(header)
            values = {c.split(":")[0]: _typed(v, c) for c, v in zip(header, row, strict=True)}
            if name in schema.nodes:
                assert header[0] == f"key:ID({name})"
                key = values.pop("key")
                nodes[key] = {"label": name, **{k: v for k, v in values.items() if v is not None}}
            else:
                spec = schema.relationships[name]
                assert header[:2] == [f":START_ID({spec.source})", f":END_ID({spec.target})"]
                props = {
                    c.split(":")[0]: _typed(v, c) for c, v in zip(header[2:], row[2:], strict=True) if v is not None
                }
                edges[(row[0], row[1], name)] = {"type": name, **props}  # type: ignore[index]
    assert (nodes, edges) == graph_as_dicts(g)
    # the printed command names every file written, once
    args = shlex.split(info["command"])
    assert args[:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    listed = [p for a in args if a.startswith(("--nodes=", "--relationships=")) for p in a.split("=", 2)[2].split(",")]
    assert sorted(listed) == sorted(str(Path(f).resolve()) for f in info["files"] if f.endswith(".csv"))
    assert "--array-delimiter=U+001F" in args and "--multiline-fields=true" in args
    assert info["docker_command"].count("/import/") == len(listed)


@pytest.mark.neo4j
@pytest.mark.slow
def test_real_neo4j_admin_import_equals_the_online_load(neo4j_store: Neo4jStore, tmp_path: Path) -> None:
    from neo4j_testserver import Neo4jTestServer, ServerSetupError, neo4j_admin

    g = nx.compose(odd_graph(), make_graph(300, seed=21))  # hostile values plus a realistic graph
    update_paper_counts(g)  # both graphs have domain:natural-language-processing
    info = write_neo4j_admin(g, tmp_path / "csv")
    home = tmp_path / "home"
    try:
        output = neo4j_admin(home, shlex.split(info["command"])[1:])
    except ServerSetupError as e:
        pytest.fail(str(e))
    assert f"{g.number_of_nodes()} nodes" in output and f"{g.number_of_edges()} relationships" in output

    neo4j_store.write_graph(g)  # the online loader, on the session's server
    online = read_back(neo4j_store)
    server = Neo4jTestServer(home, jit="c1").start()
    try:
        with Neo4jStore(server.uri, server.user, server.password) as imported:
            assert imported.counts() == neo4j_store.counts()
            # the one documented difference: CSV cannot carry an empty list, so [] arrives as no property
            got, want = read_back(imported), _without_empty_lists(online)
            assert got == want, diff(got, want)
            assert online == graph_as_dicts(g), diff(online, graph_as_dicts(g))
    finally:
        server.stop()
