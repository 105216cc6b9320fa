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

A map without papers (``--types method,benchmark``: the usual VOSviewer co-occurrence map) would have
no links at all, so there two entities are linked when papers mention both: ``strength`` = the number
of such papers, counted over ``context`` — the graph the entities were selected from, before the type
filter (:func:`graphbuild.export.export_selection` passes it) — and each item also gets the
``Total link strength`` weight VOSviewer sizes co-occurrence maps by; ``Avg. year`` is then the mean
year of those papers.

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


def _cooccurrence(
    ids: dict[str, int], context: nx.MultiDiGraph
) -> tuple[dict[tuple[int, int], float], dict[str, set[str]], dict[str, list[int]]]:
    """Pair strengths, neighbours and paper years of the ``ids`` entities from the papers of ``context``."""
    strength: dict[tuple[int, int], float] = defaultdict(float)
    neighbours: dict[str, set[str]] = defaultdict(set)
    years: dict[str, list[int]] = defaultdict(list)
    for p, d in context.nodes(data=True):
        if d.get("label") != "Paper":
            continue
        mentioned = sorted({v for v in context.successors(p) if v in ids}, key=ids.__getitem__)
        year = d.get("year")
        for i, u in enumerate(mentioned):
            if isinstance(year, int):
                years[u].append(year)
            for v in mentioned[i + 1 :]:
                strength[(ids[u], ids[v])] += 1
                neighbours[u].add(v)
                neighbours[v].add(u)
    return strength, neighbours, years


def network(graph: nx.MultiDiGraph, context: nx.MultiDiGraph | None = None) -> dict[str, Any]:
    """The VOSviewer JSON document for ``graph``; ``context`` supplies the papers of a paper-less map."""
    ids = {n: i for i, n in enumerate(graph.nodes, start=1)}
    strength: dict[tuple[int, int], float] = defaultdict(float)
    neighbours: dict[str, set[str]] = defaultdict(set)
    paper_years: dict[str, list[int]] | None = None
    cooccurrence = not any(d.get("label") == "Paper" for _, d in graph.nodes(data=True))
    if cooccurrence:
        strength, neighbours, paper_years = _cooccurrence(ids, context if context is not None else graph)
    for u, v, d in graph.edges(data=True):
        if u == v or cooccurrence:
            continue
        a, b = sorted((ids[u], ids[v]))
        strength[(a, b)] += float(d.get("count", 1) or 1)
        neighbours[u].add(v)
        neighbours[v].add(u)
    total: dict[int, float] = defaultdict(float)
    for (a, b), s in strength.items():
        total[a] += s
        total[b] += s
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
            if cooccurrence:
                item["weights"]["Total link strength"] = _number(total[ids[n]])
            if paper_years is not None:
                years = paper_years.get(n, [])
            else:
                years = [y for p in neighbours[n] if isinstance(y := graph.nodes[p].get("year"), int)]
            if years:
                item["scores"] = {"Avg. year": round(sum(years) / len(years), 2)}
        items.append(item)
    links = [{"source_id": a, "target_id": b, "strength": _number(s)} for (a, b), s in sorted(strength.items())]
    clusters = [{"cluster": c, "label": label} for label, c in CLUSTERS.items()]
    return {"network": {"items": items, "links": links, "clusters": clusters}}


def _number(x: float) -> int | float:
    return int(x) if x.is_integer() else x


def write(graph: nx.MultiDiGraph, out: Path, context: nx.MultiDiGraph | None = None) -> Written:
    doc = network(graph, context)
    # compact: json's C encoder only runs without indent (10x faster on large networks)
    out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    n_links = len(doc["network"]["links"])
    return Written((out,), edges={"link": n_links})
