"""Issue 17 item 12: hand-derived rows for shared-benchmarks, where the cross-store contract test (same text on
both stores) cannot see a wrong query: losing INTRODUCES on either side must change the answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graphbuild.graph import new_graph, save_graph, update_paper_counts
from graphbuild.queries import run_named_query
from graphbuild.store import open_store

#: paper → (its method, its role for the method, the benchmark, the relationship to it)
PAPERS = {
    "paper:p1": ("method:a", "USES", "benchmark:x", "INTRODUCES"),  # A's side reaches X only by INTRODUCES
    "paper:p2": ("method:b", "USES", "benchmark:x", "EVALUATES_ON"),
    "paper:p3": ("method:a", "PROPOSES", "benchmark:y", "EVALUATES_ON"),
    "paper:p4": ("method:b", "USES", "benchmark:y", "INTRODUCES"),  # B's side reaches Y only by INTRODUCES
    "paper:p5": ("method:b", "PROPOSES", "benchmark:y", "EVALUATES_ON"),
    "paper:p6": ("method:a", "USES", "benchmark:z", "EVALUATES_ON"),  # Z: A only, not shared
}
# worked out by hand from the table above: (benchmark, name, papers of A, papers of B), by total then key
EXPECTED = [("benchmark:y", "Y", 1, 2), ("benchmark:x", "X", 1, 1)]


def shared_graph() -> nx.MultiDiGraph:
    g = new_graph()
    for key, label, name in [("method:a", "Method", "Alpha"), ("method:b", "Method", "Beta"),
                             ("benchmark:x", "Benchmark", "X"), ("benchmark:y", "Benchmark", "Y"),
                             ("benchmark:z", "Benchmark", "Z")]:  # fmt: skip
        g.add_node(key, label=label, name=name, aliases=[], paper_count=0)
    for paper, (method, mrel, bench, brel) in PAPERS.items():
        g.add_node(paper, label="Paper", name=paper, title=paper, abstract="x", source="hand")
        for target, rel in ((method, mrel), (bench, brel)):
            g.add_edge(paper, target, key=rel, type=rel, role={"PROPOSES": "proposed", "INTRODUCES": "introduced"}
                       .get(rel, "used"), evidence="x", rule="hand", confidence=1.0, count=1)  # fmt: skip
    update_paper_counts(g)
    return g


def _rows(store: Any) -> list[tuple]:
    result = run_named_query(store, "shared-benchmarks", {"method_a": "Alpha", "method_b": "method:b"})
    return [tuple(r) for r in result.rows]


def test_shared_benchmarks_hand_derived_rows_embedded(tmp_path: Path) -> None:
    save_graph(shared_graph(), tmp_path)
    with open_store(f"embedded:{tmp_path}") as store:
        assert _rows(store) == EXPECTED


@pytest.mark.neo4j
def test_shared_benchmarks_hand_derived_rows_neo4j(neo4j_store: Any) -> None:
    neo4j_store.write_graph(shared_graph())
    assert _rows(neo4j_store) == EXPECTED
