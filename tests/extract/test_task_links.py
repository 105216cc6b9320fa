"""Task links end to end: extract → graph → both stores → the task queries → an export (issue 13)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graphbuild.extract.pipeline import extract
from graphbuild.graph import build_graph
from graphbuild.model import Paper

PAPERS = [
    Paper("p1", "Residual learning for image classification",
          "We train a ResNet for image classification on ImageNet and report top-1 accuracy."),
    Paper("p2", "Transformers for image classification",
          "We apply a Vision Transformer (ViT) to image classification and evaluate it on ImageNet and CIFAR-10."),
    Paper("p3", "Neural machine translation with attention",
          "We study machine translation with an LSTM encoder-decoder and evaluate on WMT 2014."),
]


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return build_graph(extract(PAPERS))


def test_extraction_links_papers_to_their_tasks(graph: nx.MultiDiGraph) -> None:
    tasks = {v: graph.nodes[v]["name"] for u, v, k in graph.edges(keys=True) if k == "ADDRESSES"}
    assert set(tasks.values()) >= {"image classification", "machine translation"}
    assert {graph.nodes[v]["label"] for v in tasks} == {"Task"}
    edge = next(d for u, v, k, d in graph.edges(keys=True, data=True) if k == "ADDRESSES" and u == "paper:p1")
    assert edge["role"] == "addressed" and edge["field"] == "title"  # the first mention is the provenance
    assert graph.nodes["task:image-classification"]["paper_count"] == 2


def _check_queries(store) -> None:
    from graphbuild.queries import run_named_query

    methods = run_named_query(store, "methods-for-task", {"task": "Image Classification"})
    assert {r[1] for r in methods.rows} >= {"ResNet"}
    benchmarks = run_named_query(store, "benchmarks-for-task", {"task": "image classification"})
    assert (benchmarks.rows[0][1], benchmarks.rows[0][2]) == ("ImageNet", 2)


def test_task_queries_on_the_embedded_store(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    from graphbuild.store.embedded import EmbeddedStore, write_embedded

    with EmbeddedStore(write_embedded(graph, tmp_path), read_only=True) as store:
        assert store.counts().nodes["Task"] == sum(1 for _, d in graph.nodes(data=True) if d["label"] == "Task")
        _check_queries(store)


@pytest.mark.neo4j
def test_task_queries_on_neo4j(graph: nx.MultiDiGraph, neo4j_store) -> None:
    neo4j_store.write_graph(graph)
    assert neo4j_store.counts().relationships["ADDRESSES"] == sum(
        1 for _, _, k in graph.edges(keys=True) if k == "ADDRESSES")
    _check_queries(neo4j_store)


def test_tasks_survive_an_export(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    from graphbuild.export.dispatch import export_graph

    export_graph(graph, "graphml", tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert any(d.get("label") == "Task" for _, d in back.nodes(data=True))
    assert any(d.get("type") == "ADDRESSES" for _, _, d in back.edges(data=True))
