"""Fixtures: the tiny hand-built graph (``tiny_graph.yaml``) and an embedded store loaded from it."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx
import pytest

from tests.queries.tiny_graph import tiny_graph


@pytest.fixture(scope="session")
def graph() -> nx.MultiDiGraph:
    return tiny_graph()


@pytest.fixture(scope="session")
def embedded(graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from graphbuild.store.embedded import EmbeddedStore, write_embedded

    path = write_embedded(graph, tmp_path_factory.mktemp("tiny"))
    store = EmbeddedStore(path, read_only=True)
    yield store
    store.close()
