"""Write-clause detection for read-only Cypher."""

from __future__ import annotations

import pytest

from graphbuild.store.write_guard import find_write_clause

WRITES = [
    ("CREATE (n:Method {key: 'x'})", "CREATE"),
    ("MATCH (n) DETACH DELETE n", "DETACH"),
    ("MATCH (n) delete n", "DELETE"),
    ("MERGE (n:Method {key: $k})", "MERGE"),
    ("MATCH (n) SET n.name = 'x'", "SET"),
    ("MATCH (n) REMOVE n.name", "REMOVE"),
    ("DROP TABLE Paper", "DROP"),
    ("LOAD CSV FROM 'file:///x' AS row RETURN row", "LOAD"),
    ("COPY Paper FROM 'x.csv'", "COPY"),
    ("MATCH (n) FOREACH (x IN [1] | SET n.a = x)", "FOREACH"),
    ("MATCH (n) RETURN n // comment\nCREATE (m)", "CREATE"),
]
READS = [
    "MATCH (p:Paper) WHERE p.title CONTAINS 'CREATE' RETURN p.key",
    'MATCH (p:Paper) WHERE p.title = "x DETACH DELETE n" RETURN p',
    "MATCH (n) RETURN n.created, n.`set`, n.offset // DELETE everything",
    "MATCH (n) /* SET n.x = 1 */ RETURN count(n) AS merged_count",
    "MATCH (p:Paper) RETURN p.key ORDER BY p.key SKIP 1 LIMIT 2",
    "CALL show_tables() RETURN name",
]


@pytest.mark.parametrize(("cypher", "clause"), WRITES)
def test_detects_writes(cypher: str, clause: str) -> None:
    assert find_write_clause(cypher) == clause


@pytest.mark.parametrize("cypher", READS)
def test_reads_pass(cypher: str) -> None:
    assert find_write_clause(cypher) is None
