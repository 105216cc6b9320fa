"""``paperkg query`` and ``paperkg cypher`` through typer's CliRunner, on a real embedded store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.graph import save_graph
from tests.queries.tiny_graph import tiny_graph

runner = CliRunner()


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    save_graph(tiny_graph(), out)  # no database yet: the first query builds it
    return out


def run(*args: str):
    return runner.invoke(app, list(args))


def test_list_shows_every_query_with_params(build_dir: Path) -> None:
    r = run("query", "--list", "--format", "json")
    assert r.exit_code == 0, r.output
    listed = {q["name"]: q for q in json.loads(r.stdout)}
    assert len(listed) >= 12
    assert listed["papers-on-benchmark"]["params"] == ["benchmark (benchmark)", "limit (int, 20)"]
    table = run("query", "--list")
    assert table.exit_code == 0 and "shared-benchmarks" in table.stdout


def test_query_with_params_json(build_dir: Path) -> None:
    r = run("query", "papers-on-benchmark", "--param", "benchmark=ImageNet", "-p", "limit=2",
            "--store", f"embedded:{build_dir}", "--format", "json")  # fmt: skip
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [row["paper"] for row in rows] == ["paper:p3", "paper:p2"]
    assert rows[0]["year"] == 2020
    assert (build_dir / "graph.lbug").exists()


def test_query_example_csv_and_table(build_dir: Path) -> None:
    r = run("query", "shared-benchmarks", "-p", "method_a=PPO", "-p", "method_b=DQN",
            "--store", f"embedded:{build_dir}", "--format", "csv")  # fmt: skip
    assert r.exit_code == 0, r.output
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows == [["benchmark", "name", "papers_a", "papers_b"], ["benchmark:atari", "Atari 2600", "2", "2"],
                    ["benchmark:mujoco", "MuJoCo", "1", "1"]]  # fmt: skip
    t = run("query", "search", "--example", "-p", "text=arcade", "--store", str(build_dir))
    assert t.exit_code == 0, t.output
    # tables show names; keys only with --keys
    assert "Arcade" in t.stdout and "1 row\n" in t.stdout and "benchmark:atari" not in t.stdout
    k = run("query", "search", "--example", "-p", "text=arcade", "--keys", "--store", str(build_dir))
    assert k.exit_code == 0 and "benchmark:atari" in k.stdout and "Arcade" in k.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "top-method"], "no named query 'top-method'; did you mean 'top-methods'?"),
        (["query", "papers-on-benchmark"], "needs parameter benchmark (benchmark)"),
        (["query", "papers-on-benchmark", "-p", "benchmark=ImageNett"],
         "--param benchmark 'ImageNett' matches no benchmark; did you mean: ImageNet?"),
        (["query", "neighbours", "-p", "entity=transfomer"], "did you mean: Transformer"),
        (["cypher", "MATCH ()-[r]->() RETURN type(r) AS t"], "(hint: LadybugDB spells Neo4j's type(r) as label(r))"),
        (["query", "top-methods", "-p", "limit=many"], "parameter limit must be int, got 'many'"),
        (["query", "top-methods", "-p", "limit"], "is not of the form name=value"),
        (["cypher", "MATCH (n RETURN n"], "Parser exception"),
        (["cypher", "MATCH (n:Method) DETACH DELETE n"], "writes (DETACH)"),
        (["query", "top-methods", "--store", "ftp://x"], "unknown scheme 'ftp'"),
    ],
)
def test_errors_are_one_line_exit_2(build_dir: Path, args: list[str], message: str) -> None:
    r = run(*args, "--store", f"embedded:{build_dir}") if "--store" not in args else run(*args)
    assert r.exit_code == 2, r.output
    assert message in r.stderr
    assert "Traceback" not in r.output and len(r.stderr.strip().splitlines()) <= 2


def test_cypher_read_and_write(build_dir: Path) -> None:
    store = f"embedded:{build_dir}"
    r = run("cypher", "MATCH (m:Method) WHERE m.paper_count >= $k RETURN m.name AS name ORDER BY name",
            "-p", "k=3", "--store", store, "--format", "json")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == [{"name": "PPO"}, {"name": "ResNet"}, {"name": "Transformer"}]
    w = run("cypher", "MATCH (m:Method {key: $k}) SET m.name = $n RETURN m.name AS name",
            "-p", "k=method:bert", "-p", 'n="007"', "--write", "--store", store, "--format", "json")  # fmt: skip
    assert w.exit_code == 0, w.output
    assert json.loads(w.stdout) == [{"name": "007"}]  # a JSON string stays a string


@pytest.mark.parametrize("command", ["query", "cypher"])
def test_help_has_examples(command: str) -> None:
    r = run(command, "--help")
    assert r.exit_code == 0 and "Example:" in r.stdout and "--store" in r.stdout


@pytest.mark.neo4j
def test_query_and_cypher_on_neo4j(neo4j_store, neo4j_server) -> None:
    neo4j_store.write_graph(tiny_graph())
    auth = ["--store", neo4j_server.uri, "--user", neo4j_server.user, "--password", neo4j_server.password]
    r = run("query", "top-methods", "-p", "limit=2", *auth, "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == [
        {"method": "method:transformer", "name": "Transformer", "papers": 5, "proposed_in": 1},
        {"method": "method:ppo", "name": "PPO", "papers": 3, "proposed_in": 1},
    ]
    refused = run("cypher", "MATCH (m:Method) SET m.name = 'x'", *auth)
    assert refused.exit_code == 2 and "pass --write" in refused.stderr
    # the guards are not the only defence: reads run in a READ session, which refuses writes itself
    from graphbuild.errors import CypherError

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(type(neo4j_store), "_ensure_read", lambda self, cypher, params: None)
        with pytest.raises(CypherError, match=r"(?i)access mode|read"):
            neo4j_store.run("MATCH (m:Method {key: 'method:ppo'}) SET m.name = 'x'")
    bad = run("cypher", "MATCH (n RETURN n", *auth)
    assert bad.exit_code == 2 and "Invalid input" in bad.stderr
    assert neo4j_store.run("MATCH (m:Method {key: 'method:ppo'}) RETURN m.name").rows == (("PPO",),)
