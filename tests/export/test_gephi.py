"""GraphML and GEXF as Gephi imports them: every link kept (unique edge ids), years on its timeline.

Gephi's import container keys edges by id and silently drops an edge whose id it has already seen
(``ImportContainerImpl.addEdge``); networkx does not, so a networkx round trip cannot see that bug.
:func:`gephi_edges` reads a file the way Gephi does — a strict XML parse, every edge keyed by its id,
later duplicates dropped, every endpoint a declared node — and igraph (libxml2) is a second,
independent GraphML reader.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from bench.synthetic import make_graph
from graphbuild.export import export_graph
from graphbuild.export.gexf import read_gexf
from graphbuild.graph import graphs_equal, new_graph, read_graphml

_NS = {"graphml": "http://graphml.graphdrawing.org/xmlns", "gexf": "http://www.gexf.net/1.2draft"}


def _strip(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def gephi_edges(path: Path) -> dict[str, tuple[str, str]]:
    """Edge id → (source, target) as Gephi's importer keeps them: first edge of each id wins."""
    root = ET.parse(path).getroot()  # strict: any XML error raises
    nodes = {el.get("id") for el in root.iter() if _strip(el.tag) == "node"}
    kept: dict[str, tuple[str, str]] = {}
    for el in root.iter():
        if _strip(el.tag) != "edge":
            continue
        eid, s, t = el.get("id"), el.get("source"), el.get("target")
        assert eid, "an edge without an id"
        assert s in nodes and t in nodes, f"edge {eid} names an undeclared node"
        kept.setdefault(eid, (s, t))
    return kept


def _edge_ids(path: Path) -> list[str]:
    return [el.get("id") for el in ET.parse(path).getroot().iter() if _strip(el.tag) == "edge"]


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    # ~500 links, most of them sharing a type with hundreds of others
    return make_graph(60, seed=3)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_edge_ids_are_unique_and_gephi_keeps_every_link(graph: nx.MultiDiGraph, fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"g.{fmt}"
    export_graph(graph, fmt, path)
    ids = _edge_ids(path)
    assert len(ids) == graph.number_of_edges() > 300
    assert len(set(ids)) == len(ids), Counter(ids).most_common(3)
    kept = gephi_edges(path)
    assert len(kept) == graph.number_of_edges()
    assert Counter(kept.values()) == Counter((u, v) for u, v in graph.edges())


def test_edge_ids_are_stable_across_exports(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    """Two overlapping exports give a shared link the same id (Gephi's "append" then merges, not collides)."""
    from graphbuild.subgraph import Selection, select

    paper = next(n for n, d in graph.nodes(data=True) if d["label"] == "Paper" and graph.out_degree(n) > 3)
    small = select(graph, Selection(focus=(paper,), hops=1))
    export_graph(small, "graphml", tmp_path / "small.graphml")
    export_graph(graph, "graphml", tmp_path / "all.graphml")
    export_graph(small, "gexf", tmp_path / "small.gexf")
    for a, b in (("small.graphml", "all.graphml"), ("small.gexf", "all.graphml")):
        small_ids, all_ids = gephi_edges(tmp_path / a), gephi_edges(tmp_path / b)
        assert small_ids and all(all_ids.get(i) == st for i, st in small_ids.items())


def test_igraph_reads_every_graphml_link(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    import igraph

    export_graph(graph, "graphml", tmp_path / "g.graphml")
    h = igraph.Graph.Read_GraphML(str(tmp_path / "g.graphml"))
    assert (h.vcount(), h.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert Counter(h.es["type"]) == Counter(k for _, _, k in graph.edges(keys=True))
    names = h.vs["id"]
    assert Counter((names[e.source], names[e.target]) for e in h.es) == Counter(graph.edges())


def test_graphml_still_round_trips_through_networkx(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    export_graph(graph, "graphml", tmp_path / "g.graphml")
    assert graphs_equal(graph, read_graphml(tmp_path / "g.graphml"))


# --------------------------------------------------------------------------- GEXF timeline


def _timeline_graph() -> nx.MultiDiGraph:
    g = new_graph()
    g.add_node("method:m", label="Method", name="M", aliases=[], paper_count=3)
    g.add_node("method:undated", label="Method", name="U", aliases=[], paper_count=1)
    for key, year in (("paper:a", 2019), ("paper:b", 2022), ("paper:c", None)):
        attrs = {"label": "Paper", "name": key, "title": key}
        if year is not None:
            attrs["year"] = year
        g.add_node(key, **attrs)
        g.add_edge(key, "method:m", key="USES", type="USES", role="used", count=1, start=4, end=9)
    g.add_edge("paper:c", "method:undated", key="USES", type="USES", role="used", count=1, start=0, end=1)
    return g


def test_gexf_carries_years_as_timeline_spells(tmp_path: Path) -> None:
    g = _timeline_graph()
    export_graph(g, "gexf", tmp_path / "t.gexf")
    root = ET.parse(tmp_path / "t.gexf").getroot()
    graph_el = root.find("gexf:graph", _NS)
    assert graph_el is not None and graph_el.get("mode") == "dynamic" and graph_el.get("timeformat") == "double"
    spans = {n.get("id"): (n.get("start"), n.get("end")) for n in root.iter(f"{{{_NS['gexf']}}}node")}
    assert spans == {
        "paper:a": ("2019", "2019"),
        "paper:b": ("2022", "2022"),
        "paper:c": (None, None),  # no year: visible at every time
        "method:m": ("2019", "2022"),  # first and last year of its papers
        "method:undated": (None, None),
    }
    edges = {
        (e.get("source"), e.get("target")): (e.get("start"), e.get("end")) for e in root.iter(f"{{{_NS['gexf']}}}edge")
    }
    assert edges[("paper:a", "method:m")] == ("2019", "2019")
    assert edges[("paper:b", "method:m")] == ("2022", "2022")
    assert edges[("paper:c", "method:m")] == (None, None)
    # networkx reads the spells as Gephi does; paperkg's reader keeps the character offsets apart
    raw = nx.read_gexf(tmp_path / "t.gexf")
    assert (raw.nodes["method:m"]["start"], raw.nodes["method:m"]["end"]) == (2019.0, 2022.0)
    back = read_gexf(tmp_path / "t.gexf")
    assert graphs_equal(g, back)
    assert back.edges["paper:a", "method:m", "USES"]["start"] == 4


def test_gexf_without_years_stays_static(tmp_path: Path) -> None:
    g = _timeline_graph()
    for n in ("paper:a", "paper:b"):
        del g.nodes[n]["year"]
    export_graph(g, "gexf", tmp_path / "t.gexf")
    graph_el = ET.parse(tmp_path / "t.gexf").getroot().find("gexf:graph", _NS)
    assert graph_el is not None and graph_el.get("mode") == "static"
    assert " start=" not in (tmp_path / "t.gexf").read_text("utf-8")
