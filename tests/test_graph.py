"""Graph model: building from extraction records, save/load round trips."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from graphbuild.errors import GraphFileError
from graphbuild.graph import (
    build_graph,
    graphs_equal,
    load_graph,
    read_graphml,
    resolve_graph_path,
    save_graph,
    write_graphml,
)
from graphbuild.model import DomainScore, Mention, Paper, PaperExtraction

HOSTILE = 'Quotes " \' back\\slash\nnewline <script>alert(1)</script> {braces} $x$ naïve 東京'


def _mention(key: str, name: str, role: str, start: int, typ: str = "method", surface: str | None = None) -> Mention:
    return Mention(type=typ, name=name, key=key, surface=surface or name, role=role, field="abstract",  # type: ignore[arg-type]
                   start=start, end=start + len(surface or name), sentence=f"Sentence at {start}.", rule="vocab",
                   confidence=0.9)  # fmt: skip


def _extractions() -> list[PaperExtraction]:
    p1 = Paper(id="arxiv:2301.00001", title=HOSTILE, abstract="We propose SAM. SAM beats SGD.", year=2023,
               categories=("cs.LG",), source="x.jsonl:1")  # fmt: skip
    p2 = Paper(id="t:abc", title="Second", abstract="We use SAM on CIFAR-10.", source="x.jsonl:2")
    return [
        PaperExtraction(
            p1,
            (
                _mention("method:sam", "SAM", "used", 20),
                _mention("method:sam", "SAM", "proposed", 10, surface="Sharpness-Aware Minimization"),
                _mention("method:sgd", "SGD", "used", 26),
            ),
            (DomainScore("Optimization", "domain:optimization", 0.8, ("sharpness", "SGD")),),
        ),
        PaperExtraction(
            p2,
            (
                _mention("method:sam", "SAM", "used", 7),
                _mention("benchmark:cifar-10", "CIFAR-10", "used", 14, "benchmark", "CIFAR10"),
            ),
            (),
        ),
    ]


def test_build_graph_nodes_edges_and_provenance() -> None:
    g = build_graph(_extractions())
    assert g.graph["schema_version"] == 2
    assert g.nodes["paper:arxiv:2301.00001"]["label"] == "Paper"
    assert g.nodes["paper:t:abc"].get("year") is None and "year" not in g.nodes["paper:t:abc"]
    # the strongest role wins; its first mention is the provenance; count is all mentions
    e = g.edges["paper:arxiv:2301.00001", "method:sam", "PROPOSES"]
    assert (e["role"], e["start"], e["count"], e["surface"]) == ("proposed", 10, 2, "Sharpness-Aware Minimization")
    assert not g.has_edge("paper:arxiv:2301.00001", "method:sam", "USES")
    assert g.has_edge("paper:t:abc", "method:sam", "USES")
    assert g.nodes["method:sam"]["paper_count"] == 2
    assert g.nodes["method:sam"]["aliases"] == ["Sharpness-Aware Minimization"]
    assert g.nodes["benchmark:cifar-10"]["aliases"] == ["CIFAR10"]
    d = g.edges["paper:arxiv:2301.00001", "domain:optimization", "IN_DOMAIN"]
    assert d["confidence"] == 0.8 and d["evidence"] == "sharpness; SGD"
    assert g.nodes["domain:optimization"]["paper_count"] == 1


def test_json_round_trip_exact(tmp_path: Path) -> None:
    g = build_graph(_extractions())
    path = save_graph(g, tmp_path / "out")
    assert path == tmp_path / "out" / "graph.json"
    assert json.loads(path.read_text("utf-8"))["schema_version"] == 2
    h = load_graph(tmp_path / "out")  # a build directory is accepted too
    assert graphs_equal(g, h)
    assert h.nodes["paper:arxiv:2301.00001"]["title"] == HOSTILE


def test_graphml_round_trip_exact(tmp_path: Path) -> None:
    g = build_graph(_extractions())
    write_graphml(g, tmp_path / "g.graphml")
    h = read_graphml(tmp_path / "g.graphml")
    assert graphs_equal(g, h)
    assert isinstance(h.nodes["paper:arxiv:2301.00001"]["categories"], list)
    assert isinstance(h.nodes["paper:arxiv:2301.00001"]["year"], int)


def test_graphs_equal_detects_differences() -> None:
    g = build_graph(_extractions())
    h = g.copy()
    h.edges["paper:t:abc", "method:sam", "USES"]["count"] = 99
    assert not graphs_equal(g, h)
    k = nx.MultiDiGraph(g)
    k.nodes["method:sam"]["name"] = "Other"
    assert not graphs_equal(g, k)


def test_graph_file_errors(tmp_path: Path) -> None:
    with pytest.raises(GraphFileError, match="run `paperkg build"):
        resolve_graph_path(tmp_path)
    bad = tmp_path / "graph.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(GraphFileError, match=r"not a paperkg graph\.json"):
        load_graph(bad)
    bad.write_text('{"schema_version": 99, "nodes": [], "links": []}', encoding="utf-8")
    with pytest.raises(GraphFileError, match="schema_version 99, expected 2"):
        load_graph(bad)


def test_aliases_keep_one_spelling_per_case() -> None:
    p = Paper(id="t:1", title="T", abstract="Transformers and transformer and TRANSFORMERS.")
    ms = (
        _mention("method:transformer", "Transformer", "used", 0, surface="Transformers"),
        _mention("method:transformer", "Transformer", "used", 17, surface="transformer"),
        _mention("method:transformer", "Transformer", "used", 33, surface="TRANSFORMERS"),
    )
    g = build_graph([PaperExtraction(p, ms)])
    assert g.nodes["method:transformer"]["aliases"] == ["Transformers"]
    assert g.edges["paper:t:1", "method:transformer", "USES"]["count"] == 3
