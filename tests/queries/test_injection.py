"""A parameter value that is Cypher stays data, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest

from graphbuild.errors import UnknownEntityError
from graphbuild.queries import run_named_query

EVIL = '"}) DETACH DELETE n //'
EVIL_SINGLE = "'}) DETACH DELETE n //"


def _hostile_graph() -> nx.MultiDiGraph:
    from tests.queries.tiny_graph import tiny_graph

    g = tiny_graph()
    g.add_node("method:evil", label="Method", name=EVIL, aliases=[EVIL_SINGLE], paper_count=1)
    g.add_edge("paper:p1", "method:evil", key="USES", type="USES", role="used", evidence=EVIL,
               rule="hand", confidence=0.5, count=1)  # fmt: skip
    return g


def _check_store(store: Any) -> None:
    before = store.counts()
    # returned literally by a raw statement
    assert store.run("RETURN $v AS v", {"v": EVIL}).rows == ((EVIL,),)
    # as a lookup value: finds the node whose name is that text, deletes nothing
    rows = run_named_query(store, "neighbours", {"entity": EVIL}).rows
    assert [(r[0], r[1], r[5]) for r in rows] == [("method:evil", "paper:p1", EVIL)]
    found = run_named_query(store, "search", {"text": "detach delete"}).rows
    assert [(r[0], r[1], r[4]) for r in found] == [("method:evil", EVIL, [EVIL_SINGLE])]
    # the lookup of a node parameter (graphbuild.lookup) takes the text as data too: the name and the
    # alias resolve to the hostile node itself
    assert run_named_query(store, "path", {"source": EVIL, "target": EVIL_SINGLE}).rows == ()
    for name, params in [
        ("search", {"text": EVIL_SINGLE}),
        ("strongest-entities", {"type": EVIL, "min_papers": 1}),
    ]:
        run_named_query(store, name, params)
    # no benchmark or paper has that name: an error naming the parameter (its suggestions are looked up
    # with the hostile text as data as well)
    for name, params in [("papers-on-benchmark", {"benchmark": EVIL}), ("similar-papers", {"paper": EVIL})]:
        with pytest.raises(UnknownEntityError, match=f"--param {next(iter(params))}"):
            run_named_query(store, name, params)
    after = store.counts()
    assert dict(after.nodes) == dict(before.nodes) and dict(after.relationships) == dict(before.relationships)
    assert after.nodes["Method"] == 6


@pytest.fixture
def embedded_hostile(tmp_path) -> Iterator[Any]:
    from graphbuild.store.embedded import EmbeddedStore, write_embedded

    # opened read-write on purpose: the store itself must not be what stops the delete
    store = EmbeddedStore(write_embedded(_hostile_graph(), tmp_path))
    yield store
    store.close()


def test_injection_is_data_on_embedded(embedded_hostile) -> None:
    _check_store(embedded_hostile)


@pytest.mark.neo4j
def test_injection_is_data_on_neo4j(neo4j_store) -> None:
    neo4j_store.write_graph(_hostile_graph())
    _check_store(neo4j_store)
