"""The one entity resolver (graphbuild.lookup): the graph in memory, LadybugDB and Neo4j give the same
answer for every spelling — key, name or alias, any case — and the same one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest

from graphbuild.errors import AmbiguousEntityError, PaperkgError, UnknownEntityError
from graphbuild.lookup import GraphLookup, StoreLookup, match_statement, resolve, resolve_one
from tests.queries.tiny_graph import tiny_graph

# (spelling, kind) → key; hand-derived from tiny_graph.yaml
EXPECTED: list[tuple[str, str | None, str]] = [
    ("PPO", "method", "method:ppo"),
    ("proximal policy OPTIMIZATION", "method", "method:ppo"),  # alias, any case
    ("method:ppo", "method", "method:ppo"),  # key
    ("METHOD:PPO", None, "method:ppo"),  # key, any case
    ("  transformers ", "entity", "method:transformer"),  # alias, spaces around
    ("ILSVRC", "benchmark", "benchmark:imagenet"),
    ("image recognition", "task", "task:image-classification"),
    ("MT", "entity", "task:machine-translation"),
    ("computer vision", "domain", "domain:computer-vision"),
    ("Deep residual learning", "paper", "paper:p2"),  # a title
    ("deep RESIDUAL learning", None, "paper:p2"),
    ("robosuite-x", None, "benchmark:robosuite-x"),
    # a paper's title (a name) beats a method's alias: keys, then names, then aliases
    ("Proximal policy optimization", None, "paper:p4"),
    ("Ambiguous Net", "method", "method:amb-b"),  # a name beats another method's alias
]
# (spelling, kind, error, text in the message)
ERRORS: list[tuple[str, str | None, type[PaperkgError], str]] = [
    ("Transfomer", "method", UnknownEntityError, "did you mean: Transformer"),
    ("PPO", "benchmark", UnknownEntityError, "matches no benchmark"),  # a method is not a benchmark
    ("Deep residual learning", "entity", UnknownEntityError, "matches no entity"),
    ("Shared Alias", "method", AmbiguousEntityError, "matches 2 nodes"),
    ("zzzzzz", None, UnknownEntityError, "check the spelling"),
]


def _graph() -> nx.MultiDiGraph:
    g = tiny_graph()
    g.add_node("method:amb-a", label="Method", name="Amb A", aliases=["Shared Alias", "Ambiguous Net"], paper_count=1)
    g.add_node("method:amb-b", label="Method", name="Ambiguous Net", aliases=["Shared Alias"], paper_count=1)
    for m in ("method:amb-a", "method:amb-b"):
        g.add_edge("paper:p1", m, key="USES", type="USES", role="used", evidence="x", rule="t", confidence=0.5, count=1)
    return g


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return _graph()


@pytest.fixture(scope="module")
def embedded(graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from graphbuild.store.embedded import EmbeddedStore, write_embedded

    store = EmbeddedStore(write_embedded(graph, tmp_path_factory.mktemp("lookup")), read_only=True)
    yield store
    store.close()


def _answer(lookup: Any, spelling: str, kind: str | None) -> str:
    try:
        return resolve_one(lookup, spelling, kind=kind, what="--param x")
    except PaperkgError as e:
        return f"{type(e).__name__}: {e}"


def _check(lookup: Any) -> None:
    for spelling, kind, key in EXPECTED:
        assert _answer(lookup, spelling, kind) == key, (spelling, kind)
    for spelling, kind, error, text in ERRORS:
        with pytest.raises(error) as info:
            resolve_one(lookup, spelling, kind=kind, what="--param x")
        message = str(info.value)
        assert text in message and "\n" not in message and message.startswith("--param x "), message
        if "did you mean" in message:
            assert 1 <= len(message.split("did you mean: ", 1)[1].split(", ")) <= 3


def test_graph_lookup(graph: nx.MultiDiGraph) -> None:
    _check(GraphLookup(graph))


def test_embedded_lookup_matches_in_cypher(graph: nx.MultiDiGraph, embedded: Any) -> None:
    _check(StoreLookup(embedded))
    # the same answers as the graph, error messages included
    for spelling, kind, *_ in [*EXPECTED, *ERRORS]:
        assert _answer(StoreLookup(embedded), spelling, kind) == _answer(GraphLookup(graph), spelling, kind)


def test_one_statement_per_spelling_and_no_row_filtering(embedded: Any) -> None:
    """The match happens in the database: one statement per spelling, whose rows are the answer."""
    calls: list[tuple[str, dict[str, Any]]] = []

    class Recording:
        def run(self, cypher: str, params: dict[str, Any] | None = None, **kw: Any) -> Any:
            calls.append((cypher, dict(params or {})))
            return embedded.run(cypher, params, **kw)

    lookup = StoreLookup(Recording())
    assert resolve(lookup, ["transformers", "ILSVRC"], kind="entity") == ("method:transformer", "benchmark:imagenet")
    assert [c for c, _ in calls] == [match_statement(("Method", "Benchmark", "Task", "Domain"))] * 2
    assert "any(a IN n.aliases WHERE toLower(a) = needle)" in calls[0][0]
    assert sorted(p["needle"] for _, p in calls) == ["ilsvrc", "transformers"]


@pytest.mark.neo4j
def test_neo4j_lookup_agrees(graph: nx.MultiDiGraph, neo4j_store: Any) -> None:
    neo4j_store.write_graph(graph)
    _check(StoreLookup(neo4j_store))
    for spelling, kind, *_ in [*EXPECTED, *ERRORS]:
        assert _answer(StoreLookup(neo4j_store), spelling, kind) == _answer(GraphLookup(graph), spelling, kind)


def test_focus_uses_the_same_resolver(graph: nx.MultiDiGraph) -> None:
    from graphbuild.subgraph import Selection, select

    sub = select(graph, Selection(focus=("DEEP Q-network",), hops=0))
    assert list(sub) == ["method:dqn"]
    with pytest.raises(UnknownEntityError, match="did you mean: Transformer"):
        select(graph, Selection(focus=("Transfomer",)))


def test_suggestions_among_many_titles_stay_cheap() -> None:
    """Tens of thousands of titles: difflib only sees those sharing a rarer word or of a similar length."""
    from graphbuild.lookup import _pool, length_window

    titles = [f"learning to rank item {i} with deep networks" for i in range(20_000)] + [
        "attention is all you need",
        "a survey of graph neural networks for molecules",
    ]
    pool = _pool("atention is all you need", titles)
    assert "attention is all you need" in pool and len(pool) <= 5_000
    pool = _pool("a survey of graph neural networks", titles)
    assert pool[0] == "a survey of graph neural networks for molecules"
    assert length_window(40) == (30, 54)
