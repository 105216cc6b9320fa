"""The Cypher export loads into a real Neo4j (the session's test server) and recreates the subgraph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hostile_graph import HOSTILE, HOSTILE_NAME

from graphbuild.export import export_graph

pytestmark = pytest.mark.neo4j


def _statements(path: Path) -> list[str]:
    # the exporter writes one statement per line (newlines inside strings are escaped)
    lines = path.read_text("utf-8").splitlines()
    return [ln.removesuffix(";") for ln in lines if ln and not ln.startswith("//")]


def _counts(session: Any, keys: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    nodes = session.run(
        "MATCH (n) WHERE n.key IN $keys UNWIND labels(n) AS label RETURN label, count(*) AS n", keys=keys
    )
    rels = session.run(
        "MATCH (a)-[r]->(b) WHERE a.key IN $keys AND b.key IN $keys RETURN type(r) AS type, count(*) AS n",
        keys=keys,
    )
    return {r["label"]: r["n"] for r in nodes}, {r["type"]: r["n"] for r in rels}


def test_cypher_script_recreates_the_subgraph(
    neo4j_server: Any, hostile_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    from neo4j import GraphDatabase

    export_graph(hostile_graph, "cypher", tmp_path / "g.cypher")
    statements = _statements(tmp_path / "g.cypher")
    keys = list(hostile_graph.nodes)
    want_nodes: dict[str, int] = {}
    for _, d in hostile_graph.nodes(data=True):
        want_nodes[d["label"]] = want_nodes.get(d["label"], 0) + 1
    want_rels: dict[str, int] = {}
    for _, _, k in hostile_graph.edges(keys=True):
        want_rels[k] = want_rels.get(k, 0) + 1

    with GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)) as driver:
        with driver.session() as s:
            s.run("MATCH (n) WHERE n.key IN $keys DETACH DELETE n", keys=keys).consume()
        try:
            for _ in range(2):  # the script is idempotent: a second run changes nothing
                with driver.session() as s:
                    for stmt in statements:
                        s.run(stmt).consume()
                    assert _counts(s, keys) == (want_nodes, want_rels)
            with driver.session() as s:
                paper = s.run("MATCH (p:Paper {key: $k}) RETURN p", k="paper:2401.00001").single()["p"]
                assert paper["title"] == HOSTILE and paper["year"] == 2024
                assert paper["authors"] == ["Ada Lovelace", 'O\'Brien, J. "Jr"']
                method = s.run("MATCH (m:Method {key: 'method:xport-hostile'}) RETURN m").single()["m"]
                assert method["name"] == HOSTILE_NAME and method["aliases"] == ["H-Net", 'x,y;z|"q"']
                rel = s.run("MATCH (:Paper {key: 'paper:2401.00001'})-[r:PROPOSES]->(:Method) RETURN r").single()["r"]
                assert (rel["evidence"], rel["role"], rel["confidence"], rel["count"]) == (
                    HOSTILE,
                    "proposed",
                    0.95,
                    2,
                )
                assert (rel["start"], rel["end"], rel["field"]) == (3, 9, "abstract")
        finally:
            with driver.session() as s:
                s.run("MATCH (n) WHERE n.key IN $keys DETACH DELETE n", keys=keys).consume()
