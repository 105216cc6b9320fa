"""The tiny hand-built graph of ``tiny_graph.yaml`` as a networkx graph (paperkg conventions)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import yaml

from graphbuild.graph import new_graph, update_paper_counts
from graphbuild.schema import load_schema

HERE = Path(__file__).parent


def tiny_graph() -> nx.MultiDiGraph:
    raw = yaml.safe_load((HERE / "tiny_graph.yaml").read_text("utf-8"))
    schema = load_schema()
    g = new_graph()
    for key, attrs in raw["entities"].items():
        g.add_node(key, label=schema.label_of_key(key), paper_count=0, **attrs)
    for key, paper in raw["papers"].items():
        attrs = {
            "label": "Paper",
            "name": paper["title"],
            "title": paper["title"],
            "abstract": " ".join(next(iter(link.values())) for link in paper["links"]),
            "categories": ["cs.LG"],
            "authors": ["A. Author"],
            "source": f"tiny_graph.yaml:{key}",
        }
        if "year" in paper:
            attrs["year"] = paper["year"]
        g.add_node(key, **attrs)
        for link in paper["links"]:
            ((head, evidence),) = link.items()
            rel, target = head.split()
            role = schema.relationships[rel].role
            props = {"type": rel, "evidence": evidence, "rule": "hand", "confidence": 0.75, "count": 1}
            if role:
                props |= {
                    "role": role,
                    "field": "abstract",
                    "start": 0,
                    "end": len(evidence),
                    "surface": g.nodes[target]["name"],
                }
            g.add_edge(key, target, key=rel, **props)
    update_paper_counts(g)
    return g
