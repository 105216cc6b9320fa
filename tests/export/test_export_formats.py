"""Every export format: read back with an independent reader, counts and hostile text exact."""

from __future__ import annotations

import csv
import html
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hostile_graph import HOSTILE, HOSTILE_NAME

from graphbuild.errors import ConfigError, ExportError
from graphbuild.export import FORMATS, export_graph, format_from_path
from graphbuild.export.bibtex import latex_unescape
from graphbuild.export.csv_tables import edge_columns, node_columns
from graphbuild.export.gexf import read_gexf
from graphbuild.export.mermaid import MAX_NODES, label_unescape
from graphbuild.graph import graphs_equal, load_graph, read_graphml
from graphbuild.schema import load_schema

HOSTILE_PAPER = "paper:2401.00001"


def _per_label(g: nx.MultiDiGraph) -> dict[str, int]:
    return dict(Counter(d["label"] for _, d in g.nodes(data=True)))


def _per_type(g: nx.MultiDiGraph) -> dict[str, int]:
    return dict(Counter(k for _, _, k in g.edges(keys=True)))


def test_summary_counts_nodes_and_edges_per_type_and_bytes(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    s = export_graph(hostile_graph, "graphml", tmp_path / "g.graphml")
    assert s.nodes == _per_label(hostile_graph) and s.edges == _per_type(hostile_graph)
    assert s.paths == (tmp_path / "g.graphml",) and s.bytes == (tmp_path / "g.graphml").stat().st_size > 0
    line = s.line()
    assert "7 nodes (Benchmark 1, Domain 1, Method 2, Paper 3)" in line and "8 edges" in line
    assert str(tmp_path / "g.graphml") in line and "\n" not in line


# --------------------------------------------------------------------------- networkx round trips


def test_graphml_round_trip(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    export_graph(hostile_graph, "graphml", tmp_path / "g.graphml")
    back = read_graphml(tmp_path / "g.graphml")
    assert graphs_equal(hostile_graph, back)
    assert back.nodes[HOSTILE_PAPER]["title"] == HOSTILE
    # plain networkx sees the evidence, role and confidence on the link
    raw = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    (link,) = [d for d in raw.get_edge_data(HOSTILE_PAPER, "method:xport-hostile").values() if d["type"] == "PROPOSES"]
    assert (link["evidence"], link["role"], link["confidence"]) == (HOSTILE, "proposed", 0.95)


def test_gexf_round_trip_and_gephi_styling(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    export_graph(hostile_graph, "gexf", tmp_path / "g.gexf")
    assert graphs_equal(hostile_graph, read_gexf(tmp_path / "g.gexf"))
    raw = nx.read_gexf(tmp_path / "g.gexf")
    node = raw.nodes[HOSTILE_PAPER]
    assert node["label"] == HOSTILE and node["type"] == "Paper" and node["title"] == HOSTILE
    assert set(node["viz"]["color"]) >= {"r", "g", "b"}
    method = raw.nodes["method:xport-hostile"]
    assert method["label"] == HOSTILE_NAME and method["viz"]["color"] != node["viz"]["color"]
    edge = next(d for u, v, d in raw.edges(data=True) if (u, v) == (HOSTILE_PAPER, "method:xport-hostile"))
    assert edge["label"] == "PROPOSES" and edge["evidence"] == HOSTILE and edge["confidence"] == 0.95


def test_json_round_trip(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    export_graph(hostile_graph, "json", tmp_path / "sub.json")
    data = json.loads((tmp_path / "sub.json").read_text("utf-8"))
    data.pop("schema_version")
    assert graphs_equal(hostile_graph, nx.node_link_graph(data, edges="links", directed=True, multigraph=True))
    assert graphs_equal(hostile_graph, load_graph(tmp_path / "sub.json"))


# --------------------------------------------------------------------------- CSV


def test_csv_tables_parse_with_documented_columns(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    s = export_graph(hostile_graph, "csv", tmp_path / "tables")
    assert [p.name for p in s.paths] == ["nodes.csv", "edges.csv"]
    with (tmp_path / "tables/nodes.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == node_columns()
        nodes = {r["key"]: r for r in reader}
    with (tmp_path / "tables/edges.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == edge_columns()
        edges = list(reader)
    assert Counter(r["label"] for r in nodes.values()) == _per_label(hostile_graph)
    assert Counter(r["type"] for r in edges) == _per_type(hostile_graph)
    # the documented column set is what the schema says
    schema = load_schema()
    assert set(node_columns()) == {"label"} | {p for s in schema.nodes.values() for p in s.properties}
    assert edge_columns()[3:] == list(schema.relationship_properties)

    paper = nodes[HOSTILE_PAPER]
    assert paper["title"] == HOSTILE and paper["year"] == "2024" and paper["doi"] == ""
    assert json.loads(paper["authors"]) == ["Ada Lovelace", 'O\'Brien, J. "Jr"']
    assert json.loads(nodes["method:xport-hostile"]["aliases"]) == ["H-Net", 'x,y;z|"q"']
    link = next(r for r in edges if r["source"] == HOSTILE_PAPER and r["type"] == "PROPOSES")
    assert (link["evidence"], link["role"], float(link["confidence"]), int(link["count"])) == (
        HOSTILE, "proposed", 0.95, 2
    )  # fmt: skip


# --------------------------------------------------------------------------- Cypher (parse level)

_CYPHER_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def _cypher_tokens(stmt: str) -> tuple[str, list[str]]:
    """An independent reader of Cypher string literals: (statement with literals blanked, literals)."""
    out, lits, i = [], [], 0
    while i < len(stmt):
        c = stmt[i]
        if c not in "'\"":
            out.append(c)
            i += 1
            continue
        quote, i, buf = c, i + 1, []
        while stmt[i] != quote:
            if stmt[i] == "\\":
                nxt = stmt[i + 1]
                if nxt == "u":
                    buf.append(chr(int(stmt[i + 2 : i + 6], 16)))
                    i += 6
                    continue
                buf.append(_CYPHER_ESCAPES[nxt])
                i += 2
                continue
            buf.append(stmt[i])
            i += 1
        i += 1
        lits.append("".join(buf))
        out.append("''")
    return "".join(out), lits


def test_cypher_script_is_parameter_free_and_escaped(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    export_graph(hostile_graph, "cypher", tmp_path / "g.cypher")
    lines = (tmp_path / "g.cypher").read_text("utf-8").splitlines()
    stmts = [ln for ln in lines if ln and not ln.startswith("//")]
    assert all(s.endswith(";") for s in stmts)
    kinds = Counter()
    literals: list[str] = []
    labels = set(load_schema().nodes)
    for s in stmts:
        skeleton, lits = _cypher_tokens(s[:-1])
        literals += lits
        assert "$" not in skeleton and ";" not in skeleton and "//" not in skeleton
        if skeleton.startswith("CREATE CONSTRAINT"):
            kinds["constraint"] += 1
        elif m := re.match(r"MERGE \(n:(\w+) \{key: ''\}\)( SET n \+= \{.*\})?$", skeleton):
            assert m.group(1) in labels
            kinds["node"] += 1
        elif m := re.match(
            r"MATCH \(a:(\w+) \{key: ''\}\), \(b:(\w+) \{key: ''\}\) MERGE \(a\)-\[r:(\w+)\]->\(b\)", skeleton
        ):
            assert m.group(3) in load_schema().relationships
            kinds["rel"] += 1
        else:
            pytest.fail(f"unexpected statement shape: {skeleton[:80]}")
    assert kinds == {"constraint": 5, "node": 7, "rel": 8}  # one constraint per label
    assert literals.count(HOSTILE) == 2 + 1  # name, title; evidence of the PROPOSES link
    assert HOSTILE_NAME in literals and 'x,y;z|"q"' in literals


# --------------------------------------------------------------------------- VOSviewer


def _check_vosviewer(doc: Any) -> None:
    """The documented structure (app.vosviewer.com/docs/file-types/json-file-type/)."""

    def number(x: Any) -> bool:
        return isinstance(x, int | float) and not isinstance(x, bool)

    assert isinstance(doc, dict) and set(doc) <= {"network", "config", "info"}
    net = doc["network"]
    assert isinstance(net, dict) and set(net) <= {"items", "links", "clusters"}
    ids = set()
    for item in net["items"]:
        assert set(item) <= {"id", "label", "description", "url", "x", "y", "cluster", "weights", "scores"}
        assert isinstance(item["id"], int | str) and item["id"] not in ids
        ids.add(item["id"])
        assert isinstance(item["label"], str)
        for key in ("description", "url"):
            assert key not in item or isinstance(item[key], str)
        assert "cluster" not in item or (isinstance(item["cluster"], int) and 1 <= item["cluster"] <= 1000)
        for w in item.get("weights", {}).values():
            assert number(w) and w >= 0
        for s in item.get("scores", {}).values():
            assert number(s)
    for link in net["links"]:
        assert set(link) <= {"source_id", "target_id", "strength"}
        assert link["source_id"] in ids and link["target_id"] in ids
        assert number(link["strength"]) and link["strength"] >= 0
    for c in net.get("clusters", []):
        assert isinstance(c["cluster"], int) and 1 <= c["cluster"] <= 1000 and isinstance(c["label"], str)


def test_vosviewer_json_follows_the_documented_structure(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    s = export_graph(hostile_graph, "vosviewer", tmp_path / "g.vos.json")
    doc = json.loads((tmp_path / "g.vos.json").read_text("utf-8"))
    _check_vosviewer(doc)
    items = {i["label"]: i for i in doc["network"]["items"]}
    assert len(items) == 7 and HOSTILE in items and HOSTILE_NAME in items
    paper = items[HOSTILE]
    # descriptions are HTML: the hostile text is there, escaped, never as live markup
    assert html.escape(HOSTILE) in paper["description"] and "<script>" not in paper["description"]
    assert paper["scores"] == {"Year": 2024} and paper["url"].startswith("https://example.org/")
    assert items[HOSTILE_NAME]["weights"] == {"Links": 2, "Papers": 2}
    # one undirected link per connected pair, strength = summed mention counts
    assert len(doc["network"]["links"]) == 8 == s.edges["link"]
    by_pair = {(lk["source_id"], lk["target_id"]): lk["strength"] for lk in doc["network"]["links"]}
    assert by_pair[tuple(sorted((paper["id"], items[HOSTILE_NAME]["id"])))] == 2


def test_vosviewer_merges_parallel_links_into_one_pair(tmp_path: Path) -> None:
    from graphbuild.graph import new_graph

    g = new_graph()
    g.add_node("paper:a", label="Paper", name="A", title="A")
    g.add_node("method:m", label="Method", name="M", aliases=[], paper_count=1)
    g.add_edge("paper:a", "method:m", key="PROPOSES", type="PROPOSES", count=2)
    g.add_edge("paper:a", "method:m", key="USES", type="USES", count=3)
    export_graph(g, "vosviewer", tmp_path / "v.vos.json")
    doc = json.loads((tmp_path / "v.vos.json").read_text("utf-8"))
    assert doc["network"]["links"] == [{"source_id": 1, "target_id": 2, "strength": 5}]


# --------------------------------------------------------------------------- BibTeX


def test_bibtex_parses_back_with_bibtexparser(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    s = export_graph(hostile_graph, "bibtex", tmp_path / "papers.bib")
    assert s.nodes == {"Paper": 3} and s.edges == {}
    text = (tmp_path / "papers.bib").read_text("utf-8")
    lib = bibtexparser.parse_string(text)
    assert lib.failed_blocks == [] and len(lib.entries) == 3
    by_note = {e["note"]: e for e in lib.entries}
    hostile = by_note[f"paperkg {HOSTILE_PAPER}"]
    assert hostile.entry_type == "misc" and hostile["eprint"] == "2401.00001"
    assert latex_unescape(hostile["title"]) == HOSTILE
    assert latex_unescape(hostile["abstract"]) == f"Abstract of {HOSTILE}. Second sentence."
    assert latex_unescape(hostile["author"]).split(" and ") == ["Ada Lovelace", 'O\'Brien, J. "Jr"']
    assert latex_unescape(hostile["keywords"]) == "; ".join([HOSTILE_NAME, "Bench & Co {1}", "Reinforcement Learning"])
    assert hostile["url"] == f"https://example.org/{HOSTILE_PAPER}?a=1&b=2"
    assert by_note["paperkg paper:xport-2"]["doi"] == "10.1000/xyz_%7B1%7D"
    assert latex_unescape(by_note["paperkg paper:xport-3"]["title"]) == "Third: {unbalanced ( [ paper"
    # an independent LaTeX decoder (pylatexenc) reads the same text; it renders \textasciicircum{}
    # as U+02C6, the only character it maps differently, and lacks LaTeX's \textbraceleft/right
    # (written instead of \{ \}, which BibTeX would count as braces), so those are spelled out for it
    for command, brace in ((r"\textbraceleft{}", r"\{"), (r"\textbraceright{}", r"\}")):
        text = text.replace(command, brace)
    decoded = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    title = next(e["title"] for e in decoded.entries if e["note"] == f"paperkg {HOSTILE_PAPER}")
    assert title.replace("ˆ", "^") == HOSTILE
    assert len({e.key for e in lib.entries}) == 3


# --------------------------------------------------------------------------- Mermaid


def test_mermaid_labels_are_inert_and_exact(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    export_graph(hostile_graph, "mermaid", tmp_path / "g.mmd")
    lines = (tmp_path / "g.mmd").read_text("utf-8").splitlines()
    assert lines[0] == "flowchart LR"
    labels = [m.group(1) for ln in lines if (m := re.fullmatch(r'  n\d+\["([^"]*)"\]', ln))]
    assert len(labels) == 7
    for raw in labels:
        assert not set(re.sub(r"#\d+;", "", raw)) & set('<>"{}[];|`\\$#\n\t')
    decoded = [label_unescape(x) for x in labels]
    assert HOSTILE in decoded and HOSTILE_NAME in decoded
    arrows = [ln for ln in lines if "-->" in ln]
    assert len(arrows) == 8 and any(ln.endswith("-->|PROPOSES| n0") for ln in arrows)


def test_mermaid_refuses_large_graphs(tmp_path: Path) -> None:
    from graphbuild.graph import new_graph

    g = new_graph()
    for i in range(MAX_NODES + 1):
        g.add_node(f"method:m{i}", label="Method", name=f"M{i}", aliases=[], paper_count=0)
    with pytest.raises(ExportError, match="--limit"):
        export_graph(g, "mermaid", tmp_path / "big.mmd")
    assert not (tmp_path / "big.mmd").exists()


# --------------------------------------------------------------------------- dispatch


def test_every_format_writes_something(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    for fmt in FORMATS:
        if fmt == "neo4j-admin":
            continue  # the Neo4j issue's module, tested with it
        s = export_graph(hostile_graph, fmt, tmp_path / fmt)
        assert s.bytes > 0 and all(p.exists() for p in s.paths), fmt


def test_unknown_format_and_file_for_directory(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown format"):
        export_graph(hostile_graph, "xlsx", tmp_path / "x")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match="directory"):
        export_graph(hostile_graph, "csv", tmp_path / "file")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.graphml", "graphml"), ("a.gexf", "gexf"), ("a.json", "json"), ("a.vos.json", "vosviewer"),
     ("a.bib", "bibtex"), ("a.cypher", "cypher"), ("a.mmd", "mermaid"), ("a.txt", None)],
)  # fmt: skip
def test_format_from_path(name: str, fmt: str | None) -> None:
    assert format_from_path(name) == fmt


def test_control_characters(tmp_path: Path) -> None:
    """\\r survives everywhere; XML cannot hold C0 controls at all, so GraphML/GEXF write U+FFFD."""
    from graphbuild.graph import new_graph

    title = "line\r\nbreak\x01bell\u2028sep\x7f"
    g = new_graph()
    g.add_node("paper:c", label="Paper", name=title, title=title)
    xml_title = title.replace("\x01", "\ufffd")
    export_graph(g, "graphml", tmp_path / "c.graphml")
    assert read_graphml(tmp_path / "c.graphml").nodes["paper:c"]["title"] == xml_title
    export_graph(g, "gexf", tmp_path / "c.gexf")
    assert read_gexf(tmp_path / "c.gexf").nodes["paper:c"]["title"] == xml_title
    export_graph(g, "json", tmp_path / "c.json")
    assert load_graph(tmp_path / "c.json").nodes["paper:c"]["title"] == title
    export_graph(g, "csv", tmp_path / "c")
    with (tmp_path / "c/nodes.csv").open(encoding="utf-8", newline="") as f:
        assert next(csv.DictReader(f))["title"] == title
    export_graph(g, "cypher", tmp_path / "c.cypher")
    stmts = [ln for ln in (tmp_path / "c.cypher").read_text("utf-8").split("\n") if ln.startswith("MERGE")]
    assert len(stmts) == 1 and title in _cypher_tokens(stmts[0][:-1])[1]


def test_neo4j_admin_goes_through_the_dispatcher(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    # the writer itself belongs to the Neo4j loader (and is tested there); this checks the wiring
    import graphbuild.export.neo4j_admin  # noqa: F401  (an import error fails, never skips)
    s = export_graph(hostile_graph, "neo4j-admin", tmp_path / "import")
    assert s.paths and all(p.is_file() and tmp_path / "import" in p.parents for p in s.paths)
    assert s.nodes == _per_label(hostile_graph) and s.bytes > 0


def test_an_empty_graph_exports_in_every_format(tmp_path: Path) -> None:
    from graphbuild.graph import new_graph

    g = new_graph()
    for fmt in FORMATS:
        if fmt == "neo4j-admin":
            continue
        s = export_graph(g, fmt, tmp_path / fmt)
        assert sum(s.nodes.values()) == 0 and all(p.exists() for p in s.paths), fmt
    assert read_graphml(tmp_path / "graphml").number_of_nodes() == 0
    assert read_gexf(tmp_path / "gexf").number_of_nodes() == 0
