"""The part of a large build that ``view.html`` shows: the most-linked entities and their best-linked papers.

A graph of hundreds of thousands of nodes is not drawn whole (the page would weigh hundreds of MB). Until
the viewer's overview takes a build's streams, a build draws the ``n_entities`` entities with most
papers and the ``n_papers`` papers that link most of them, read from the tables in batches.
"""

from __future__ import annotations

import heapq
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx

from graphbuild.schema import load_schema
from graphbuild.tables import iter_nodes, iter_rows, node_path, relationship_columns, relationship_path


def top_entities_graph(tables: str | Path, n_entities: int, n_papers: int) -> nx.MultiDiGraph:
    from graphbuild.graph import new_graph

    schema = load_schema()
    entities: list[tuple[int, str]] = []
    for label in list(schema.nodes)[1:]:
        for key, count in iter_rows(node_path(tables, label), columns=["key", "paper_count"]):
            entities.append((-(count or 0), key))
    top = {key for _, key in heapq.nsmallest(n_entities, entities)}
    per_paper: Counter[str] = Counter()
    for rel in schema.relationships:
        for src, dst in iter_rows(relationship_path(tables, rel), columns=["from", "to"]):
            if dst in top:
                per_paper[src] += 1
    papers = {p for p, _ in per_paper.most_common(n_papers)}
    g = new_graph()
    keep = top | papers
    for key, attrs in iter_nodes(tables):
        if key in keep:
            g.add_node(key, **attrs)
    names = list(relationship_columns(schema))[2:]
    for rel in schema.relationships:
        for row in iter_rows(relationship_path(tables, rel)):
            if row[0] in papers and row[1] in top:
                attrs: dict[str, Any] = {"type": rel}
                attrs.update((n, v) for n, v in zip(names, row[2:], strict=True) if v is not None)
                g.add_edge(row[0], row[1], key=rel, **attrs)
    return g
