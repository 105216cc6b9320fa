"""The Neo4j loader against the real test server: exact round trip, idempotence, increments, wipe."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from neo4j_graphs import graph_as_dicts, odd_graph, paper_subgraph, read_back

from bench.synthetic import make_graph
from graphbuild.errors import CypherError, GraphFileError, StoreError
from graphbuild.graph import update_paper_counts
from graphbuild.store.neo4j import FULLTEXT_INDEX, Neo4jStore, constraint_name, graph_rows

pytestmark = pytest.mark.neo4j


def test_load_round_trips_every_node_and_relationship_exactly(neo4j_store: Neo4jStore) -> None:
    g = odd_graph()
    report = neo4j_store.write_graph(g, batch_size=1)  # one row per transaction: batching edge case
    assert read_back(neo4j_store) == graph_as_dicts(g)
    assert report.nodes == {"Paper": 2, "Method": 2, "Benchmark": 1, "Task": 1, "Domain": 2}
    assert report.relationships == {
        "PROPOSES": 1, "USES": 1, "INTRODUCES": 0, "EVALUATES_ON": 1, "ADDRESSES": 1, "IN_DOMAIN": 1,
    }  # fmt: skip
    assert (report.nodes_created, report.relationships_created) == (8, 5)


def test_reload_is_idempotent(neo4j_store: Neo4jStore) -> None:
    g = make_graph(300, seed=3)
    first = neo4j_store.write_graph(g, batch_size=128)
    snapshot = read_back(neo4j_store)
    again = neo4j_store.write_graph(g, batch_size=1000)
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert again.nodes == first.nodes and again.relationships == first.relationships
    assert sum(first.nodes.values()) == g.number_of_nodes()
    assert sum(first.relationships.values()) == g.number_of_edges()
    assert read_back(neo4j_store) == snapshot == graph_as_dicts(g)


def test_incremental_load_adds_only_what_is_new(neo4j_store: Neo4jStore) -> None:
    full = make_graph(400, seed=5)
    part = paper_subgraph(full, 150)
    assert part.number_of_edges() < full.number_of_edges()
    neo4j_store.write_graph(part)
    assert read_back(neo4j_store) == graph_as_dicts(part)
    report = neo4j_store.write_graph(full)
    assert report.nodes_created == full.number_of_nodes() - part.number_of_nodes()
    assert report.relationships_created == full.number_of_edges() - part.number_of_edges()
    # entity paper_count is recounted in the database: equal to the bigger graph's
    assert read_back(neo4j_store) == graph_as_dicts(full)


def test_loading_a_smaller_graph_without_pruning_keeps_counts_consistent(neo4j_store: Neo4jStore) -> None:
    full = make_graph(200, seed=9)
    neo4j_store.write_graph(full)
    neo4j_store.write_graph(paper_subgraph(full, 50), prune=False)
    # nothing is removed by a merging load, and paper_count still counts every linked paper in the database
    assert read_back(neo4j_store) == graph_as_dicts(full)


def _rebuilt(g: nx.MultiDiGraph, build_id: str) -> nx.MultiDiGraph:
    """``g`` as a rebuild might change it: papers gone (with entities only they named), a link gone, a renamed
    entity, new values; a new build id."""
    h = g.copy()
    h.graph["build_id"] = build_id
    papers = [n for n, d in h.nodes(data=True) if d["label"] == "Paper"]
    h.remove_nodes_from(papers[:20])
    u, v, k = next((u, v, k) for u, v, k in h.edges(keys=True) if k == "USES")
    h.remove_edge(u, v, key=k)
    h.remove_nodes_from([n for n in list(h) if h.nodes[n]["label"] != "Paper" and h.in_degree(n) == 0])
    method = next(n for n, d in h.nodes(data=True) if d["label"] == "Method")
    h.nodes[method]["name"] = "Renamed"
    h.nodes[papers[30]]["year"] = 1999
    update_paper_counts(h)
    return h


def test_loading_a_rebuilt_graph_converges_to_a_fresh_load(neo4j_store: Neo4jStore) -> None:
    old = make_graph(300, seed=21)
    old.graph["build_id"] = "build-1"
    new = _rebuilt(old, "build-2")
    assert new.number_of_nodes() < old.number_of_nodes() and new.number_of_edges() < old.number_of_edges()
    neo4j_store.write_graph(new)
    fresh = read_back(neo4j_store)
    neo4j_store.wipe()
    neo4j_store.write_graph(old)
    ids: set[str] = set()
    report = neo4j_store.write_graph(new)
    assert read_back(neo4j_store, build_ids=ids) == fresh == graph_as_dicts(new)
    assert ids == {"build-2"}  # every element carries the build id of the graph loaded
    assert sum(report.nodes.values()) == new.number_of_nodes()
    assert sum(report.relationships.values()) == new.number_of_edges()


@pytest.mark.parametrize("writers", [1, 3])
def test_first_load_creates_and_a_partial_database_is_merged(neo4j_store: Neo4jStore, writers: int) -> None:
    # a label / type absent from the database is written with CREATE (side by side with several writers),
    # one already present with MERGE: loading a graph over a part of itself must still converge exactly
    g = make_graph(300, seed=4)
    part = paper_subgraph(g, 100)
    neo4j_store.writers = writers
    first = neo4j_store.write_graph(part, batch_size=64)
    assert (first.nodes_created, first.relationships_created) == (part.number_of_nodes(), part.number_of_edges())
    neo4j_store.run("MATCH ()-[r:USES]->() DELETE r", write=True)  # USES is empty again: CREATE it
    in_db = sum(neo4j_store.counts().relationships.values())
    report = neo4j_store.write_graph(g, batch_size=64)
    assert report.nodes_created == g.number_of_nodes() - part.number_of_nodes()
    assert report.relationships_created == g.number_of_edges() - in_db
    assert read_back(neo4j_store) == graph_as_dicts(g)


@pytest.mark.parametrize("writers", [1, 2, 3])
def test_writers_read_batches_a_bounded_window_ahead(neo4j_store: Neo4jStore, writers: int) -> None:
    # memory is bounded by the batches in flight, not by the table: the pool must not read every batch of
    # a relationship type before the first is written (it did, and held 1.4 GB on a 157k-paper load)
    read = 0

    def batches():
        nonlocal read
        for i in range(40):
            read += 1
            yield {"rows": list(range(i % 5 + 1))}, i % 5 + 1

    ahead = []
    with neo4j_store._session() as session:
        results = neo4j_store._write_batches(session, "UNWIND $rows AS r RETURN count(r) AS n", batches(), writers)
        for k, ((written, _), n) in enumerate(results, start=1):
            assert written == n
            ahead.append(read - k)  # batches read but not yet returned
    assert len(ahead) == 40
    assert max(ahead) <= writers


@pytest.mark.parametrize("writers", [1, 2])
def test_a_missing_endpoint_fails_the_load(neo4j_store: Neo4jStore, writers: int) -> None:
    g = make_graph(100, seed=6)
    n_nodes = g.number_of_nodes()
    victim = next(v for _, v, t in g.edges(data="type") if t == "USES")
    written = 0

    def delete_a_method_after_the_nodes(n: int) -> None:
        nonlocal written
        written += n
        if written == n_nodes:  # every node is in, no relationship yet
            neo4j_store.run("MATCH (m:Method {key: $key}) DELETE m", {"key": victim}, write=True)

    neo4j_store.writers = writers
    with pytest.raises(StoreError, match="an endpoint node is missing"):
        neo4j_store.write_graph(g, batch_size=50, progress=delete_a_method_after_the_nodes)


def test_a_second_edge_of_one_type_between_two_nodes_is_rejected() -> None:
    g = odd_graph()
    g.add_edge("paper:odd-1", "method:roberta", key="USES-again", type="USES", count=1)
    with pytest.raises(GraphFileError, match="appears twice"):
        graph_rows(g)


def test_schema_objects_exist_and_fulltext_finds_names(neo4j_store: Neo4jStore) -> None:
    neo4j_store.write_graph(odd_graph())
    # SHOW is administration: refused without write=True (tests/store/test_read_only_engines.py)
    names = {r[0] for r in neo4j_store.run("SHOW CONSTRAINTS YIELD name RETURN name", write=True).rows}
    assert {constraint_name(x) for x in ("Paper", "Method", "Benchmark", "Task", "Domain")} <= names
    res = neo4j_store.run(
        "CALL db.index.fulltext.queryNodes($index, $q) YIELD node RETURN node.key AS key",
        {"index": FULLTEXT_INDEX, "q": "roberta"},
    )
    assert ("method:roberta",) in res.rows
    with pytest.raises(CypherError, match="already exists"):
        neo4j_store.run("CREATE (:Method {key: 'method:roberta'})", write=True)


def test_wipe_removes_only_paperkg_labels(neo4j_store: Neo4jStore) -> None:
    neo4j_store.write_graph(odd_graph())
    neo4j_store.run("CREATE (:UserData {key: 'mine'})-[:NOTE]->(:UserData {key: 'also mine'})", write=True)
    try:
        assert neo4j_store.wipe() == 8
        counts = neo4j_store.counts()
        assert sum(counts.nodes.values()) == 0 and sum(counts.relationships.values()) == 0
        assert neo4j_store.run("MATCH (u:UserData)-[:NOTE]->() RETURN count(*)").rows == ((1,),)
    finally:
        neo4j_store.run("MATCH (u:UserData) DETACH DELETE u", write=True)


def test_run_returns_plain_values_and_keeps_parameters_as_values(neo4j_store: Neo4jStore) -> None:
    neo4j_store.write_graph(odd_graph())
    res = neo4j_store.run(
        "MATCH (p:Paper {key: $key})-[r:USES]->(m) RETURN p.year, p.authors, r.confidence, m, null AS nothing",
        {"key": "paper:odd-1"},
    )
    assert res.columns == ("p.year", "p.authors", "r.confidence", "m", "nothing")
    year, authors, confidence, method, nothing = res.rows[0]
    assert (year, authors, confidence, nothing) == (2024, ["Ann O'Neil", 'Bob "B" Brown'], 0.9, None)
    assert type(year) is int and type(authors) is list and type(confidence) is float
    assert method.pop("build_id")
    assert method == {"key": "method:roberta", "name": "RoBERTa", "aliases": ["roberta", 'x,y;z|"q"'],
                      "paper_count": 1}  # fmt: skip
    hostile = "x'}) DETACH DELETE n //"
    assert neo4j_store.run("MATCH (n {name: $v}) RETURN count(n)", {"v": hostile}).rows == ((0,),)
    assert sum(neo4j_store.counts().nodes.values()) == 8


def test_syntax_error_carries_the_servers_message(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(CypherError) as e:
        neo4j_store.run("MATCH (n RETURN n")
    assert "Invalid input" in str(e.value) and "SyntaxError" in str(e.value)
    assert "\n" not in str(e.value).split("[")[0].strip().splitlines()[0]


def test_graph_outside_the_schema_is_rejected_before_writing(neo4j_store: Neo4jStore) -> None:
    g = odd_graph()
    g.add_edge("method:roberta", "paper:odd-1", key="USES", type="USES")
    with pytest.raises(GraphFileError, match="expected Paper -> Method"):
        neo4j_store.write_graph(g)
    assert sum(neo4j_store.counts().nodes.values()) == 0
    g = odd_graph()
    g.add_node("person:x", label="Person", name="X")
    with pytest.raises(GraphFileError, match="Person"):
        neo4j_store.write_graph(g)


def test_constructor_is_stable_for_other_stores(neo4j_server: Any) -> None:
    # Neo4jStore(uri, user, password, database=None) is the contract other tests and open_store use
    with Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password, database=None) as store:
        assert store.run("RETURN 1 AS one").rows == ((1,),)
