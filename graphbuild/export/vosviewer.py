"""VOSviewer Online JSON (open it at app.vosviewer.com or in VOSviewer ≥ 1.6.16).

The structure follows the documented file type (app.vosviewer.com/docs/file-types/json-file-type/):

``{"network": {"items": [...], "links": [...], "clusters": [...]}}`` where

* an **item** is one node: ``id`` (integer, 1..n), ``label`` (the node's name, plain text),
  ``cluster`` (its type: 1 Paper, 2 Method, 3 Benchmark, 4 Task, 5 Domain — named in ``clusters``),
  ``weights`` (``Links``: distinct neighbours in the subgraph; ``Papers``: supporting papers in the
  whole graph, entities only), ``scores`` (``Year`` of a paper; ``Avg. year`` of the papers linked
  to an entity in the subgraph), ``description`` (HTML: type, key, and for papers the year and
  abstract — every value HTML-escaped, since VOSviewer renders it as HTML) and ``url`` for papers;
* a **link** is one connected node pair (VOSviewer networks are undirected): ``source_id``,
  ``target_id`` and ``strength`` = the summed mention ``count`` of the links between the pair.

Link provenance (evidence sentences, roles, confidences) has no place in this format; use GraphML,
GEXF, JSON, CSV or Cypher for that.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from graphbuild.export.dispatch import Written
from graphbuild.model import LABELS

#: node label → cluster number (documented above; VOSviewer clusters are 1..1000)
CLUSTERS: dict[str, int] = {label: i for i, label in enumerate(LABELS.values(), start=1)}
_ABSTRACT_CHARS = 600


def _description(n: str, d: dict[str, Any]) -> str:
    rows = [("Type", str(d.get("label", ""))), ("Key", n)]
    if d.get("label") == "Paper":
        if d.get("year") is not None:
            rows.append(("Year", str(d["year"])))
        abstract = str(d.get("abstract", ""))
        if len(abstract) > _ABSTRACT_CHARS:
            abstract = abstract[:_ABSTRACT_CHARS] + "…"
        if abstract:
            rows.append(("Abstract", abstract))
    elif d.get("aliases"):
        rows.append(("Aliases", ", ".join(map(str, d["aliases"]))))
    cells = "".join(f"<tr><td>{html.escape(k)}:</td><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


def network(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The VOSviewer JSON document for ``graph``."""
    ids = {n: i for i, n in enumerate(graph.nodes, start=1)}
    strength: dict[tuple[int, int], float] = defaultdict(float)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for u, v, d in graph.edges(data=True):
        if u == v:
            continue
        a, b = sorted((ids[u], ids[v]))
        strength[(a, b)] += float(d.get("count", 1) or 1)
        neighbours[u].add(v)
        neighbours[v].add(u)
    items = []
    for n, d in graph.nodes(data=True):
        label = d.get("label", "")
        item: dict[str, Any] = {
            "id": ids[n],
            "label": str(d.get("name", n)),
            "cluster": CLUSTERS.get(label, len(CLUSTERS) + 1),
            "weights": {"Links": len(neighbours[n])},
            "description": _description(n, d),
        }
        if label == "Paper":
            if isinstance(d.get("year"), int):
                item["scores"] = {"Year": d["year"]}
            if d.get("url"):
                item["url"] = str(d["url"])
        else:
            item["weights"]["Papers"] = int(d.get("paper_count", 0) or 0)
            years = [graph.nodes[p].get("year") for p in neighbours[n]]
            years = [y for y in years if isinstance(y, int)]
            if years:
                item["scores"] = {"Avg. year": round(sum(years) / len(years), 2)}
        items.append(item)
    links = [
        {"source_id": a, "target_id": b, "strength": (int(s) if s.is_integer() else s)}
        for (a, b), s in sorted(strength.items())
    ]
    clusters = [{"cluster": c, "label": label} for label, c in CLUSTERS.items()]
    return {"network": {"items": items, "links": links, "clusters": clusters}}


def write(graph: nx.MultiDiGraph, out: Path) -> Written:
    doc = network(graph)
    # compact: json's C encoder only runs without indent (10x faster on large networks)
    out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    n_links = len(doc["network"]["links"])
    return Written((out,), edges={"link": n_links})
