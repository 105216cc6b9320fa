"""``paperkg export`` through typer's CliRunner, on the hostile fixture graph saved as graph.json."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from hostile_graph import HOSTILE
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.graph import graphs_equal, new_graph, read_graphml, save_graph

runner = CliRunner()


@pytest.fixture
def build_dir(hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> Path:
    g = hostile_graph
    # a second method that shares the alias "H-Net" makes that name ambiguous
    g.add_node("method:xport-other", label="Method", name="Other Net", aliases=["H-Net"], paper_count=1)
    g.add_edge(
        "paper:xport-3",
        "method:xport-other",
        key="USES",
        type="USES",
        role="used",
        evidence="We use Other Net.",
        rule="t",
        confidence=0.5,
        count=1,
    )
    save_graph(g, tmp_path / "out")
    return tmp_path / "out"


def _run(*args: str):
    return runner.invoke(app, ["export", *map(str, args)])


def test_export_focus_writes_the_neighbourhood_and_a_summary(build_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "bench.graphml"
    r = _run(build_dir, "--focus", "bench & co {1}", "--hops", "1", "--out", target)
    assert r.exit_code == 0, r.output
    back = read_graphml(target)
    assert set(back.nodes) == {"benchmark:xport-bench", "paper:2401.00001", "paper:xport-2"}
    assert back.nodes["paper:2401.00001"]["title"] == HOSTILE
    line = r.stdout.strip()
    assert line.startswith("graphml: 3 nodes (Benchmark 1, Paper 2), 2 edges (EVALUATES_ON 1, INTRODUCES 1)")
    assert str(target) in line and ("kB" in line or " B " in line)


def test_export_without_selection_is_the_whole_graph(build_dir: Path, tmp_path: Path) -> None:
    from graphbuild.graph import load_graph

    r = _run(build_dir / "graph.json", "--format", "graphml", "--out", tmp_path / "all.xml")
    assert r.exit_code == 0, r.output
    assert graphs_equal(load_graph(build_dir), read_graphml(tmp_path / "all.xml"))


def test_comma_separated_types_and_roles(build_dir: Path, tmp_path: Path) -> None:
    r = _run(build_dir, "--types", "paper,benchmark", "--roles", "introduced", "--out", tmp_path / "s.json")
    assert r.exit_code == 0, r.output
    assert "json: 2 nodes (Benchmark 1, Paper 1), 1 edges (INTRODUCES 1)" in r.stdout


def test_csv_export_to_a_directory(build_dir: Path, tmp_path: Path) -> None:
    r = _run(build_dir, "--format", "csv", "--out", tmp_path / "tables", "--types", "method")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "tables/nodes.csv").read_text("utf-8").count("\nmethod:") == 3
    assert "csv: 3 nodes (Method 3), 0 edges" in r.stdout


def test_ambiguous_focus_exits_2_with_the_candidates(build_dir: Path, tmp_path: Path) -> None:
    r = _run(build_dir, "--focus", "h-net", "--out", tmp_path / "x.graphml")
    assert r.exit_code == 2
    msg = r.stderr.strip()
    assert msg.count("\n") == 0 and "Traceback" not in r.output
    assert "method:xport-hostile" in msg and "method:xport-other" in msg and "matches 2 nodes" in msg
    assert not (tmp_path / "x.graphml").exists()


def test_unknown_focus_exits_2_with_suggestions(build_dir: Path, tmp_path: Path) -> None:
    r = _run(build_dir, "--focus", "Plain Methd", "--out", tmp_path / "x.graphml")
    assert r.exit_code == 2
    msg = r.stderr.strip()
    assert msg.count("\n") == 0 and "did you mean: Plain Method?" in msg


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--out", "x.txt"], "cannot tell the format"),
        (["--format", "xlsx", "--out", "x.xlsx"], "unknown format"),
        (["--types", "paper,author", "--out", "x.json"], "unknown type 'author'"),
        (["--year-from", "2024", "--year-to", "2020", "--out", "x.json"], "--year-from 2024 is after"),
        (["--param", "k=v", "--out", "x.json"], "only make sense with --query"),
    ],
)
def test_bad_options_exit_2_with_one_line(build_dir: Path, tmp_path: Path, args: list[str], expected: str) -> None:
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    r = _run(build_dir, *args)
    assert r.exit_code == 2, r.output
    assert expected in r.stderr and r.stderr.strip().count("\n") == 0


def test_missing_graph_exits_2(tmp_path: Path) -> None:
    r = _run(tmp_path / "nowhere", "--out", tmp_path / "x.json")
    assert r.exit_code == 2 and "no graph file" in r.stderr


def test_mermaid_refusal_suggests_limit(tmp_path: Path) -> None:
    g = new_graph()
    for i in range(250):
        g.add_node(f"method:m{i}", label="Method", name=f"M{i}", aliases=[], paper_count=0)
    save_graph(g, tmp_path / "big")
    r = _run(tmp_path / "big", "--out", tmp_path / "big.mmd")
    assert r.exit_code == 2 and "--limit" in r.stderr
    r = _run(tmp_path / "big", "--limit", "20", "--out", tmp_path / "small.mmd")
    assert r.exit_code == 0 and "mermaid: 20 nodes" in r.stdout


def test_help_has_examples() -> None:
    r = runner.invoke(app, ["export", "--help"])
    assert r.exit_code == 0 and "Example: paperkg export" in r.stdout and "--focus" in r.stdout


def test_query_exports_the_nodes_a_named_query_returns(build_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "q.graphml"
    r = _run(build_dir, "--query", "neighbours", "--param", "entity=benchmark:xport-bench", "--out", target)
    assert r.exit_code == 0, r.output
    back = read_graphml(target)
    assert set(back.nodes) == {"benchmark:xport-bench", "paper:2401.00001", "paper:xport-2"}
    assert sorted(k for _, _, k in back.edges(keys=True)) == ["EVALUATES_ON", "INTRODUCES"]
    # the selection options apply on top of the query's subgraph
    r = _run(
        build_dir,
        "--query",
        "neighbours",
        "--param",
        "entity=benchmark:xport-bench",
        "--types",
        "paper",
        "--out",
        tmp_path / "q2.json",
    )
    assert r.exit_code == 0 and "json: 2 nodes (Paper 2), 0 edges" in r.stdout


def test_unknown_query_exits_2(build_dir: Path, tmp_path: Path) -> None:
    r = _run(build_dir, "--query", "neighbors", "--out", tmp_path / "q.json")
    assert r.exit_code == 2 and "neighbours" in r.stderr


def test_error_text_is_not_read_as_markup(build_dir: Path, tmp_path: Path) -> None:
    r = _run(build_dir, "--focus", "[/bad] [red]x", "--out", tmp_path / "x.json")
    assert r.exit_code == 2 and "[/bad] [red]x" in r.stderr


def test_an_empty_selection_warns_and_still_writes(build_dir: Path, tmp_path: Path) -> None:
    r = _run(build_dir, "--year-from", "2030", "--out", tmp_path / "none.json")
    assert r.exit_code == 0 and "is empty" in r.stderr
    assert "json: 0 nodes, 0 edges" in r.stdout and (tmp_path / "none.json").exists()


def test_neo4j_admin_prints_the_import_command(
    build_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graphbuild.export.neo4j_admin  # noqa: F401  (an import error fails, never skips)
    monkeypatch.chdir(tmp_path)  # a relative --out, as users type it
    r = _run(build_dir, "--format", "neo4j-admin", "--out", "import")
    assert r.exit_code == 0, r.output
    first, second = r.stdout.strip().splitlines()[:2]
    assert first.startswith("neo4j-admin: 8 nodes") and " 0 B " not in first and "import/" in first
    assert second.startswith("import with: neo4j-admin database import full")


def test_query_export_includes_the_entity_the_query_is_about(build_dir: Path, tmp_path: Path) -> None:
    """papers-on-benchmark returns papers; the benchmark itself (named by an alias here) and its links come too."""
    target = tmp_path / "bc.graphml"
    r = _run(build_dir, "--query", "papers-on-benchmark", "--param", "benchmark=bc", "--out", target)
    assert r.exit_code == 0, r.output
    back = read_graphml(target)
    assert set(back.nodes) == {"benchmark:xport-bench", "paper:2401.00001", "paper:xport-2"}
    assert sorted(k for _, _, k in back.edges(keys=True)) == ["EVALUATES_ON", "INTRODUCES"]
    bad = _run(build_dir, "--query", "papers-on-benchmark", "--param", "benchmark=Bench & Ko", "--out", target)
    assert bad.exit_code == 2 and "did you mean: Bench & Co {1}?" in bad.stderr


def test_vosviewer_map_of_entities_links_them_by_shared_papers(tmp_path: Path) -> None:
    import json

    from tests.queries.tiny_graph import tiny_graph

    save_graph(tiny_graph(), tmp_path / "tiny")
    target = tmp_path / "map.vos.json"
    r = _run(tmp_path / "tiny", "--types", "method,benchmark", "--format", "vosviewer", "--out", target)
    assert r.exit_code == 0, r.output
    net = json.loads(target.read_text("utf-8"))["network"]
    label = {i["id"]: i["label"] for i in net["items"]}
    strength = {frozenset((label[lk["source_id"]], label[lk["target_id"]])): lk["strength"] for lk in net["links"]}
    # hand-counted from tiny_graph.yaml: ResNet+ImageNet in p2 p3 p9; Transformer+GLUE in p1 p8;
    # DQN+Atari in p4 p5; PPO+Transformer in p6 p7; PPO+MuJoCo in p4 only; ResNet and GLUE never
    assert strength[frozenset(("ResNet", "ImageNet"))] == 3
    assert strength[frozenset(("Transformer", "GLUE"))] == 2
    assert strength[frozenset(("DQN", "Atari 2600"))] == 2
    assert strength[frozenset(("PPO", "Transformer"))] == 2
    assert strength[frozenset(("PPO", "MuJoCo"))] == 1
    assert frozenset(("ResNet", "GLUE")) not in strength
    items = {i["label"]: i for i in net["items"]}
    # ResNet: ImageNet 3 + Transformer 1 (p3) = 4; its neighbours ImageNet and Transformer
    assert items["ResNet"]["weights"]["Total link strength"] == 4 and items["ResNet"]["weights"]["Links"] == 2
    assert "link" in r.stdout and " 0 edges" not in r.stdout
