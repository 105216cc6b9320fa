"""Graphs for the Neo4j store tests, and reading a whole paperkg graph back from Neo4j."""

from __future__ import annotations

from typing import Any

import networkx as nx

from graphbuild.graph import new_graph, update_paper_counts
from graphbuild.model import LABELS
from graphbuild.schema import load_schema
from graphbuild.store.neo4j import BUILD_PROPERTY

ODD_TEXT = 'He said "hi" & it\'s <b>x</b> \\ back\\slash {braces} $x$ ; | 東京 🚀 \nsecond line\ttab'


def odd_graph() -> nx.MultiDiGraph:
    """Two papers, hostile strings, empty lists, missing optional values: every value kind."""
    g = new_graph()
    g.add_node(
        "paper:odd-1",
        label="Paper",
        name=ODD_TEXT,
        title=ODD_TEXT,
        abstract="We use RoBERTa; it's 'fine'.\n" + ODD_TEXT,
        year=2024,
        url="https://example.org/?a=1&b=2",
        categories=["cs.LG", "cs.CL"],
        authors=["Ann O'Neil", 'Bob "B" Brown'],
        source="papers.jsonl:1",
    )
    g.add_node("paper:odd-2", label="Paper", name="Plain", title="Plain", abstract="", categories=[], authors=[])
    g.add_node("method:roberta", label="Method", name="RoBERTa", aliases=["roberta", 'x,y;z|"q"'], paper_count=0)
    g.add_node("method:plain", label="Method", name="Plain Method", aliases=[], paper_count=0)
    g.add_node("benchmark:glue", label="Benchmark", name="GLUE", aliases=[], paper_count=0)
    g.add_node("task:ner", label="Task", name="Named Entity Recognition", aliases=["NER"], paper_count=0)
    g.add_node("domain:natural-language-processing", label="Domain", name="NLP", aliases=[], paper_count=0,
               parent="domain:ai")  # fmt: skip
    g.add_node("domain:ai", label="Domain", name="AI", aliases=[], paper_count=0)
    g.add_edge("paper:odd-1", "task:ner", key="ADDRESSES", type="ADDRESSES", role="addressed", surface="NER", count=1)
    g.add_edge(
        "paper:odd-1",
        "method:roberta",
        key="USES",
        type="USES",
        role="used",
        evidence="We use RoBERTa; it's 'fine'.",
        field="abstract",
        start=7,
        end=14,
        surface="RoBERTa",
        rule="use-verb",
        confidence=0.9,
        count=2,
    )
    g.add_edge("paper:odd-2", "method:plain", key="PROPOSES", type="PROPOSES", role="proposed", count=1)
    g.add_edge("paper:odd-1", "benchmark:glue", key="EVALUATES_ON", type="EVALUATES_ON", role="used", count=1)
    g.add_edge(
        "paper:odd-1",
        "domain:natural-language-processing",
        key="IN_DOMAIN",
        type="IN_DOMAIN",
        evidence="RoBERTa; GLUE",
        rule="domain-taxonomy",
        confidence=0.75,
        count=2,
    )
    update_paper_counts(g)
    return g


def paper_subgraph(g: nx.MultiDiGraph, n_papers: int) -> nx.MultiDiGraph:
    """The graph of the first ``n_papers`` papers of ``g`` (as if built from fewer inputs)."""
    papers = [n for n, d in g.nodes(data=True) if d["label"] == "Paper"][:n_papers]
    keep = set(papers) | {v for p in papers for v in g.successors(p)}
    sub = g.subgraph(keep).copy()
    update_paper_counts(sub)
    return sub


def read_back(
    store: Any, *, build_ids: set[str] | None = None
) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]:
    """Every paperkg node and relationship in the database, in the graph's conventions (without the loader's
    build id; ``build_ids``, when given, collects the build ids seen)."""
    nodes: dict[str, dict[str, Any]] = {}
    labels = " OR ".join(f"n:{label}" for label in LABELS.values())
    seen = build_ids if build_ids is not None else set()
    for label, props in store.run(f"MATCH (n) WHERE {labels} RETURN labels(n)[0], properties(n)").rows:
        props = dict(props)
        key = props.pop("key")
        seen.add(props.pop(BUILD_PROPERTY, None))
        nodes[key] = {"label": label, **props}
    rels: dict[tuple[str, str, str], dict[str, Any]] = {}
    res = store.run(
        "MATCH (a)-[r]->(b) WHERE type(r) IN $types RETURN a.key, b.key, type(r), properties(r)",
        {"types": sorted(load_schema().relationships)},
    )
    for a, b, t, props in res.rows:
        assert (a, b, t) not in rels, f"duplicate relationship {a} -[{t}]-> {b}"
        props = dict(props)
        seen.add(props.pop(BUILD_PROPERTY, None))
        rels[(a, b, t)] = {"type": t, **props}
    return nodes, rels


def graph_as_dicts(
    g: nx.MultiDiGraph,
) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]:
    return dict(g.nodes(data=True)), {(u, v, k): d for u, v, k, d in g.edges(keys=True, data=True)}


def diff(a: Any, b: Any, limit: int = 5) -> str:
    """The first differing entries of two ``read_back`` results (readable assertion messages)."""
    lines = []
    for part, (x, y) in zip(("node", "relationship"), zip(a, b, strict=True), strict=True):
        for k in sorted(set(x) | set(y), key=str):
            if x.get(k) != y.get(k):
                lines.append(f"{part} {k}: {x.get(k)!r} != {y.get(k)!r}")
    return "\n".join(lines[:limit]) + (f"\n... {len(lines) - limit} more" if len(lines) > limit else "")
