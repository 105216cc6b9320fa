"""Counts and top entities of a graph (``paperkg stats`` and the build summary)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphbuild.schema import load_schema

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class GraphStats:
    nodes: dict[str, int]  # per label
    relationships: dict[str, int]  # per type
    top: dict[str, list[tuple[str, int]]]  # label → [(name, paper_count)]

    def as_dict(self) -> dict[str, object]:
        return {"nodes": self.nodes, "relationships": self.relationships,
                "top": {k: [{"name": n, "papers": c} for n, c in v] for k, v in self.top.items()}}  # fmt: skip


def graph_stats(g: nx.MultiDiGraph, top_n: int = 10) -> GraphStats:
    labels = Counter(d.get("label", "?") for _, d in g.nodes(data=True))
    rels = Counter(k for _, _, k in g.edges(keys=True))
    schema = load_schema()
    order = tuple(schema.nodes)  # Paper, then the entity labels, in schema order
    top: dict[str, list[tuple[str, int]]] = {}
    for label in order[1:]:
        ents = [(d["name"], int(d.get("paper_count", 0))) for _, d in g.nodes(data=True) if d.get("label") == label]
        ents.sort(key=lambda e: (-e[1], e[0].casefold()))
        top[label] = ents[:top_n]
    return GraphStats(
        nodes={k: labels.get(k, 0) for k in order},
        relationships={k: rels.get(k, 0) for k in schema.relationships},
        top=top,
    )
