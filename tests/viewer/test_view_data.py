"""What the viewer page receives: payload, escaping, offsets, renderer choice, the file, the CLI."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner
from viewer_graph import XSS_METHOD, XSS_TITLE

from graphbuild.errors import ConfigError
from graphbuild.graph import save_graph
from graphbuild.view import (
    build_html,
    choose_mode,
    choose_renderer,
    load_theme,
    mention_span,
    render_view,
    script_json,
    view_data,
)

HOSTILE = ["</script><script>alert(1)</script>", "a & b", "<!--", "]]>", "\u2028\u2029", '" onerror=x', "é 漢字"]


def test_script_json_cannot_close_its_script_block() -> None:
    text = script_json({"s": HOSTILE})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"s": HOSTILE}


@pytest.mark.parametrize(
    ("text", "start", "end", "surface", "expected"),
    [
        ("We use PPO here.", 7, 10, "PPO", (7, 10)),  # offsets land on the surface
        ("We use ppo here.", 7, 10, "PPO", (7, 10)),  # case-insensitive
        ("A PPO, then PPO again.", 14, 17, "PPO", (12, 15)),  # drifted offsets: nearest occurrence
        ("No mention at all.", 0, 3, "PPO", None),
        ("Short", 3, 99, "PPO", None),
        ("Anything", 0, 3, None, None),
    ],
)
def test_mention_span(text: str, start: int, end: int, surface: str | None, expected: tuple[int, int] | None) -> None:
    assert mention_span(text, start, end, surface) == expected


def test_payload_nodes_edges_and_types(viewer_graph) -> None:
    d = view_data(viewer_graph)
    n = d["n"]
    assert len(n["key"]) == viewer_graph.number_of_nodes() == 11
    assert len(d["e"]["s"]) == viewer_graph.number_of_edges()
    types = [d["types"][t] for t in n["t"]]
    assert types.count("paper") == 3 and types.count("method") == 4
    assert types.count("benchmark") == 2 and types.count("domain") == 2
    i = n["key"].index("method:transformer")
    assert n["pc"][i] == 2 and n["name"][i] == "Transformer"
    assert d["aliases"][str(n["key"].index("benchmark:deepmind-control-suite"))] == ["DMC", "dm_control"]
    # time: Transformer's papers are from 2017 and 2020; GPT-3 co-occurs with it once
    assert d["years"] == [2017, 2023]
    yh = n["yh"][i]
    assert dict(zip(yh[::2], yh[1::2], strict=True)) == {0: 1, 3: 1}
    co = n["co"][i]
    assert dict(zip((n["key"][j] for j in co[::2]), co[1::2], strict=True)) == {
        "method:gpt-3": 1, "benchmark:wmt-2014": 1, "domain:natural-language-processing": 2,
    }  # fmt: skip
    assert n["yh"][n["key"].index("paper:1706.03762")] is None


def test_payload_highlights_are_the_mentions(viewer_graph) -> None:
    d = view_data(viewer_graph)
    keys = d["n"]["key"]
    for idx, paper in d["papers"].items():
        node = viewer_graph.nodes[keys[int(idx)]]
        # the abstract is shown whitespace-normalized, like the extractor read it
        assert paper["abstract"] == " ".join(node["abstract"].split())
        for fld, start, end, target in paper["hl"]:
            text = paper["title" if fld == 0 else "abstract"]
            edge = next(e for e in viewer_graph[keys[int(idx)]][keys[target]].values())
            assert text[start:end] == edge["surface"]
    p1 = d["papers"][str(keys.index("paper:1706.03762"))]
    assert [p1["abstract"][s:e] for _, s, e, _ in p1["hl"]] == ["Transformer", "WMT 2014"]


def test_payload_evidence_and_unsafe_urls(viewer_graph) -> None:
    d = view_data(viewer_graph)
    keys = d["n"]["key"]
    k = next(
        j
        for j in range(len(d["e"]["s"]))
        if keys[d["e"]["t"][j]] == "method:gpt-3" and keys[d["e"]["s"][j]] == "paper:2005.14165"
    )
    assert d["ev"][d["e"]["ev"][k]].startswith("We train GPT-3")
    assert d["roles"][d["e"]["r"][k]] == "proposed"
    xss = d["papers"][str(keys.index("paper:xss-1"))]
    assert xss["url"] is None  # a javascript: URL never becomes a link
    assert xss["title"] == XSS_TITLE


def test_links_start_hidden_only_on_very_large_graphs(viewer_graph) -> None:
    assert view_data(viewer_graph)["linksOn"] is True
    assert load_theme()["links_shown_max"] >= 10_000  # the sample corpus always shows its links


def test_same_graph_same_page(viewer_graph, tmp_path: Path) -> None:
    for mode in ("full", "overview"):
        a = render_view(viewer_graph, tmp_path / f"a-{mode}.html", mode=mode).path.read_bytes()
        b = render_view(viewer_graph, tmp_path / f"b-{mode}.html", mode=mode).path.read_bytes()
        assert a == b and b"layoutSeconds" not in a


def test_layout_is_deterministic(viewer_graph) -> None:
    a, b = view_data(viewer_graph), view_data(viewer_graph)
    assert a["n"]["x"] == b["n"]["x"] and a["n"]["y"] == b["n"]["y"]
    extent = load_theme()["layout_extent"]
    assert max(map(abs, a["n"]["x"] + a["n"]["y"])) <= extent + 1


def test_choose_renderer_and_mode() -> None:
    assert choose_renderer(10) == "sigma" and choose_renderer(100_000) == "sigma"
    assert choose_renderer(10, "pyvis") == "pyvis"
    with pytest.raises(ConfigError, match="unknown renderer"):
        choose_renderer(10, "d3")
    limit = load_theme()["overview_above_nodes"]
    assert choose_mode(limit) == "full" and choose_mode(limit + 1) == "overview"
    assert choose_mode(10, "overview") == "overview" and choose_mode(10**6, "full") == "full"
    with pytest.raises(ConfigError, match="unknown view mode"):
        choose_mode(10, "map")


def _inline_scripts(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.DOTALL)


@pytest.mark.parametrize("mode", ["full", "overview"])
@pytest.mark.parametrize("renderer", ["pyvis", "sigma"])
def test_page_is_self_contained_and_escaped(viewer_graph, tmp_path: Path, renderer: str, mode: str) -> None:
    from graphbuild.overview import OverviewOptions

    report = render_view(
        viewer_graph, tmp_path / "v.html", renderer=renderer, title='<b>"T"</b>', mode=mode,
        options=OverviewOptions(min_papers=1, min_shared=1),
    )  # fmt: skip
    html = report.path.read_text(encoding="utf-8")
    assert report.renderer == renderer and report.mode == mode and report.nodes == (11 if mode == "full" else 8)
    # nothing is loaded from anywhere: no src/href on script/link/img/iframe elements
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", html, re.IGNORECASE)
    # hostile corpus text never appears as markup
    for raw in ("<script>alert(1)</script>", XSS_METHOD, "<b>bold</b>", '<b>"T"</b>'):
        assert raw not in html
    assert "<title>&lt;b&gt;&#34;T&#34;&lt;/b&gt;</title>" in html
    # the CSP allows exactly the page's own executable scripts, by hash
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    executable = [body for attrs, body in _inline_scripts(html) if "application/json" not in attrs]
    assert len(executable) == 2
    for body in executable:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    data = json.loads(next(b for a, b in _inline_scripts(html) if 'id="paperkg-data"' in a))
    assert data["mode"] == mode and len(data["n"]["key"]) == report.nodes
    if mode == "full":
        assert data["n"]["key"] == view_data(viewer_graph)["n"]["key"]
    assert data["renderer"] == ("vis" if renderer == "pyvis" else "sigma")


def test_pyvis_nodes_carry_no_corpus_text(viewer_graph) -> None:
    html, chosen, _ = build_html(viewer_graph, renderer="pyvis")
    assert chosen == "pyvis"
    vis_nodes = json.loads(re.search(r'id="paperkg-vis-nodes">(.*?)</script>', html, re.DOTALL).group(1))
    assert len(vis_nodes) == 11
    assert all(set(node) == {"id", "x", "y", "size", "color"} for node in vis_nodes)


# --------------------------------------------------------------------------- CLI


def test_cli_view_writes_page(viewer_graph, tmp_path: Path) -> None:
    from graphbuild.cli import app

    graph_file = save_graph(viewer_graph, tmp_path / "build")
    out = tmp_path / "view.html"
    result = CliRunner().invoke(app, ["view", str(tmp_path / "build"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "sigma" in result.output and "11 nodes" in result.output
    assert "Links start hidden" not in result.output
    focused = tmp_path / "dmc.html"
    result = CliRunner().invoke(
        app, ["view", str(graph_file), "--focus", "dmc", "--hops", "1", "--renderer", "sigma", "--out", str(focused)]
    )
    assert result.exit_code == 0, result.output
    html = focused.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="paperkg-data">(.*?)</script>', html, re.DOTALL).group(1))
    assert data["focus"] == "benchmark:deepmind-control-suite"
    assert set(data["n"]["key"]) == {"benchmark:deepmind-control-suite", "paper:xss-1"}


def test_cli_view_streams_a_builds_tables(viewer_graph, tmp_path: Path) -> None:
    """A build directory's tables feed the overview without loading graph.json into networkx."""
    from viewer_graph import make_viewer_extractions

    from graphbuild.cli import app
    from graphbuild.tables import TABLES_DIR, GraphTables

    build = tmp_path / "build"
    tables = GraphTables(build / TABLES_DIR)
    for ex in make_viewer_extractions():
        tables.add(ex)
    tables.close()
    save_graph(viewer_graph, build)
    expected = render_view(viewer_graph, tmp_path / "from-graph.html", mode="overview", title="t")
    (build / "graph.json").write_text("{}", encoding="utf-8")  # not read on this path
    r = CliRunner().invoke(app, ["view", str(build), "--overview", "--title", "t", "-o", str(tmp_path / "m.html")])
    assert r.exit_code == 0, r.output
    assert "overview map of" in r.output
    assert (tmp_path / "m.html").read_bytes() == expected.path.read_bytes()


def test_cli_view_to_stdout(viewer_graph, tmp_path: Path) -> None:
    from graphbuild.cli import app

    save_graph(viewer_graph, tmp_path / "build")
    r = CliRunner().invoke(app, ["view", str(tmp_path / "build"), "--out", "-"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("<!doctype html>") and r.stdout.rstrip().endswith("</html>")
    assert "Wrote stdout (sigma, 11 nodes" in r.stderr and "Wrote" not in r.stdout
    assert not (tmp_path / "-").exists()


def test_cli_view_says_when_links_start_hidden(tmp_path: Path) -> None:
    from bench.synthetic import make_graph
    from graphbuild.cli import app

    g = make_graph(4200)  # ~5.5k nodes, ~8 links per paper: above links_shown_max and overview_above_nodes
    save_graph(g, tmp_path / "build")
    result = CliRunner().invoke(app, ["view", str(tmp_path / "build"), "--full", "--out", str(tmp_path / "v.html")])
    assert result.exit_code == 0, result.output
    assert "Links start hidden" in result.output and "overview" not in result.output
    # without --full a graph this size is drawn as the overview map
    result = CliRunner().invoke(app, ["view", str(tmp_path / "build"), "-o", str(tmp_path / "map.html")])
    assert result.exit_code == 0, result.output
    assert "overview map of" in result.output and "--full draws every paper" in result.output
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="paperkg-data">(.*?)</script>', html, re.DOTALL).group(1))
    assert data["mode"] == "overview" and 0 < len(data["n"]["key"]) <= load_theme()["overview"]["entities"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--renderer", "d3"], "unknown renderer"),
        (["--focus", "no such thing"], "no such thing"),
        (["--full", "--overview"], "exclude each other"),
    ],
)
def test_cli_view_bad_input(viewer_graph, tmp_path: Path, args: list[str], message: str) -> None:
    from graphbuild.cli import app

    save_graph(viewer_graph, tmp_path / "build")
    result = CliRunner().invoke(app, ["view", str(tmp_path / "build"), "--out", str(tmp_path / "v.html"), *args])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_cli_view_missing_graph(tmp_path: Path) -> None:
    from graphbuild.cli import app

    result = CliRunner().invoke(app, ["view", str(tmp_path / "nope"), "--out", str(tmp_path / "v.html")])
    assert result.exit_code == 2 and "no graph file" in result.output
