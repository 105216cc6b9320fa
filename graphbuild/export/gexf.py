"""GEXF 1.2 for Gephi: node labels are display names, the type is an attribute, colours and sizes are
``viz`` data, every other property and all link provenance are attributes.

GEXF and networkx give some attribute names a special meaning, so a few are renamed on the way out
(and back by :func:`read_gexf`):

* node: ``label`` (Paper/Method/...) → attribute ``type``; the GEXF label is the node's ``name``;
* link: ``type`` (PROPOSES/...) → attribute ``rel_type`` and the GEXF edge label; ``start``/``end``
  (character offsets) → ``start_offset``/``end_offset`` (GEXF reads ``start``/``end`` as time);
  the GEXF ``weight`` is the link's ``count`` (Gephi draws it as thickness);
* list properties are JSON-encoded strings (networkx reads GEXF lists as time series).

Time, for Gephi's timeline: when papers have years the graph is ``mode="dynamic"`` (``timeformat="double"``,
years as numbers) and every dated element gets a ``start``/``end`` interval — a paper and its links the
year of the paper, an entity the first and last year of its papers in the exported subgraph. Elements
without a year (papers without one, entities whose papers have none) carry no interval, so they stay
visible at every time. Edge ids are ``source|TYPE|target`` (:func:`graphbuild.export.xml_text.edge_id`):
unique, and the same in every export.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from graphbuild.export import xml_text as x
from graphbuild.export.dispatch import Written
from graphbuild.export.style import label_colours, rgb

_EDGE_RENAMES = {"type": "rel_type", "start": "start_offset", "end": "end_offset"}
_EDGE_BACK = {v: k for k, v in _EDGE_RENAMES.items()}


def _enc(v: Any) -> Any:
    return json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v


def _node(n: str, d: dict[str, Any], colours: dict[str, str]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(GEXF label, viz, attributes) of a node."""
    attrs = {k: _enc(v) for k, v in d.items() if k != "label"}
    attrs["type"] = d.get("label", "")
    r, g, b = rgb(colours.get(d.get("label", ""), "#888888"))
    size = 4.0 if d.get("label") == "Paper" else 6.0 + 2.0 * float(d.get("paper_count", 0) or 0) ** 0.5
    viz = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": round(size, 2)}
    return str(d.get("name", n)), viz, attrs


def _edge(k: str, d: dict[str, Any]) -> tuple[str, Any, dict[str, Any]]:
    """(GEXF label, weight, attributes) of a link."""
    attrs = {_EDGE_RENAMES.get(a, a): b for a, b in d.items()}
    for a, b in attrs.items():
        if isinstance(b, list):
            attrs[a] = _enc(b)
    return k, d.get("count", 1), attrs


_HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
    "  <meta><creator>paperkg</creator></meta>\n"
)


def _declare(rows: list[dict[str, Any]], start: int) -> dict[str, tuple[str, str]]:
    values: dict[str, list[Any]] = {}
    for d in rows:
        for k, v in d.items():
            values.setdefault(k, []).append(v)
    return {
        name: (str(start + i), x.value_type(vs, integer="long", real="double"))
        for i, (name, vs) in enumerate(values.items())
    }


def _attvalues(decl: dict[str, tuple[str, str]], d: dict[str, Any]) -> str:
    inner = "".join(f'<attvalue for="{decl[k][0]}" value="{x.attr(x.scalar(v))}" />' for k, v in d.items())
    return f"<attvalues>{inner}</attvalues>" if inner else ""


def _year(d: dict[str, Any]) -> int | None:
    y = d.get("year")
    return y if isinstance(y, int) and not isinstance(y, bool) else None


def spells(graph: nx.MultiDiGraph) -> dict[str, tuple[int, int]]:
    """Node key → (start, end) year: a paper's own year; an entity's first and last paper year."""
    out: dict[str, tuple[int, int]] = {}
    for n, d in graph.nodes(data=True):
        if d.get("label") == "Paper":
            if (y := _year(d)) is not None:
                out[n] = (y, y)
            continue
        years = [y for p in graph.predecessors(n) if (y := _year(graph.nodes[p])) is not None]
        if years:
            out[n] = (min(years), max(years))
    return out


def _spell(span: tuple[int, int] | None) -> str:
    return f' start="{span[0]}" end="{span[1]}"' if span else ""


def write(graph: nx.MultiDiGraph, out: Path) -> Written:
    # streamed by hand: networkx's writer gives "type", "start", "end" and list values special
    # meanings and is ~10x slower on large subgraphs
    colours = label_colours()
    nodes = [(n, *_node(n, d, colours)) for n, d in graph.nodes(data=True)]
    edges = [(u, v, *_edge(k, d)) for u, v, k, d in graph.edges(keys=True, data=True)]
    ndecl = _declare([d for *_, d in nodes], 0)
    edecl = _declare([d for *_, d in edges], len(ndecl))
    years = spells(graph)
    mode = 'mode="dynamic" timeformat="double"' if years else 'mode="static"'
    with out.open("w", encoding="utf-8", newline="\n") as f:
        f.write(_HEADER)
        f.write(f'  <graph defaultedgetype="directed" {mode}>\n')
        for cls, decl in (("node", ndecl), ("edge", edecl)):
            f.write(f'    <attributes class="{cls}" mode="static">\n')
            for name, (aid, typ) in decl.items():
                f.write(f'      <attribute id="{aid}" title="{x.attr(name)}" type="{typ}" />\n')
            f.write("    </attributes>\n")
        f.write("    <nodes>\n")
        for n, label, viz, d in nodes:
            c = viz["color"]
            f.write(
                f'      <node id="{x.attr(str(n))}" label="{x.attr(label)}"{_spell(years.get(n))}>'
                f"{_attvalues(ndecl, d)}"
                f'<viz:size value="{viz["size"]}" />'
                f'<viz:color r="{c["r"]}" g="{c["g"]}" b="{c["b"]}" a="{c["a"]}" /></node>\n'
            )
        f.write("    </nodes>\n    <edges>\n")
        for u, v, label, weight, d in edges:
            # a link exists in its paper's year (the source is always the paper)
            span = years.get(u) if graph.nodes[u].get("label") == "Paper" else None
            f.write(
                f'      <edge id="{x.attr(x.edge_id(u, label, v))}" source="{x.attr(str(u))}" '
                f'target="{x.attr(str(v))}" label="{x.attr(str(label))}" weight="{x.scalar(weight)}"'
                f"{_spell(span)}>{_attvalues(edecl, d)}</edge>\n"
            )
        f.write("    </edges>\n  </graph>\n</gexf>\n")
    return Written((out,))


def read_gexf(path: str | Path, list_props: frozenset[str] | None = None) -> nx.MultiDiGraph:
    """Read a paperkg GEXF file back into the paperkg conventions (inverse of :func:`write`)."""
    from graphbuild.graph import list_properties

    lists = list_props if list_props is not None else frozenset(list_properties())
    h = nx.read_gexf(Path(path), relabel=False)
    g = nx.MultiDiGraph()
    for n, d in h.nodes(data=True):
        attrs = {
            k: (json.loads(v) if k in lists else v)
            for k, v in d.items()
            if k not in ("label", "viz", "type", "start", "end")  # start/end: the timeline spell, not data
        }
        g.add_node(n, label=d.get("type"), **attrs)
    for u, v, d in h.edges(data=True):
        k = d.get("rel_type", d.get("label"))
        attrs = {
            _EDGE_BACK.get(a, a): (json.loads(b) if a in lists else b)
            for a, b in d.items()
            if a not in ("id", "label", "weight", "key", "networkx_key", "start", "end")
        }
        g.add_edge(u, v, key=k, **attrs)
    return g
