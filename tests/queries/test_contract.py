"""The contract: every named query gives identical rows on the embedded store and on Neo4j.

Both stores are loaded from the same graph — the hand-built tiny graph and a
small synthetic one (Zipf popularity, duplicate-role links, papers without
links) — and every query runs with its example parameters and with the
hand-checked cases' parameters. Every query has a total ORDER BY, so rows are
compared in order; a query without one would be compared as a sorted multiset.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest

from graphbuild.errors import UnknownEntityError
from graphbuild.queries import NamedQuery, bind_params, list_queries, run_named_query

pytestmark = pytest.mark.neo4j

GRAPHS = ("tiny", "synthetic")


def _graph(name: str) -> nx.MultiDiGraph:
    if name == "tiny":
        from tests.queries.tiny_graph import tiny_graph

        return tiny_graph()
    from bench.synthetic import make_graph

    return make_graph(200, seed=7)


@pytest.fixture(scope="module", params=GRAPHS)
def stores(request: pytest.FixtureRequest, neo4j_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
    tuple[str, nx.MultiDiGraph, Any, Any]
]:
    from graphbuild.store.embedded import EmbeddedStore, write_embedded
    from graphbuild.store.neo4j import Neo4jStore

    g = _graph(request.param)
    neo = Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    neo.wipe()
    neo.write_graph(g)
    emb = EmbeddedStore(write_embedded(g, tmp_path_factory.mktemp(request.param)), read_only=True)
    try:
        yield request.param, g, emb, neo
    finally:
        emb.close()
        neo.wipe()
        neo.close()


def _param_sets(graph_name: str, g: nx.MultiDiGraph, q: NamedQuery) -> list[dict[str, Any]]:
    if graph_name == "tiny":
        from tests.queries.test_named_queries import CASES

        return [q.example, *(params for name, params, _ in CASES if name == q.name)]
    from bench.query_latency import bench_params

    loose = {"min_papers": 1, "since": 2016}  # a second set that finds rows in a small graph too
    return [bench_params(g, q), {**bench_params(g, q), **{p.name: loose[p.name] for p in q.params if p.name in loose}}]


def _normalized(q: NamedQuery, rows: tuple[tuple[Any, ...], ...]) -> list[tuple[Any, ...]]:
    out = [tuple(r) for r in rows]
    return out if q.ordered else sorted(out, key=repr)


def _run(store: Any, query: NamedQuery, bound: dict[str, Any]) -> Any:
    """The rows, or the error: a name the graph lacks (an example written for the demo graph) must fail
    the same way on both stores — node parameters are resolved in each store's own Cypher."""
    try:
        return run_named_query(store, query, bound)
    except UnknownEntityError as e:
        return f"{type(e).__name__}: {e}"


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_same_rows_on_both_stores(stores, query: NamedQuery) -> None:
    graph_name, g, emb, neo = stores
    for params in _param_sets(graph_name, g, query):
        bound = bind_params(query, params)
        a = _run(emb, query, bound)
        b = _run(neo, query, bound)
        if isinstance(a, str) or isinstance(b, str):
            assert a == b, (query.name, bound)
            continue
        assert a.columns == b.columns, (query.name, bound)
        assert _normalized(query, a.rows) == _normalized(query, b.rows), (query.name, bound)
        # the same Python types too (Ladybug's sum() is a Decimal, Neo4j's an int)
        assert [[type(v) for v in r] for r in a.rows] == [[type(v) for v in r] for r in b.rows]


def test_queries_return_rows(stores) -> None:
    """Guard against a vacuous contract: every query returns rows for one of its parameter sets."""
    graph_name, g, emb, _ = stores
    empty = [
        q.name
        for q in list_queries()
        if not any(getattr(_run(emb, q, params), "rows", ()) for params in _param_sets(graph_name, g, q))
    ]
    assert empty == []
