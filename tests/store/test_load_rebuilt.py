"""`paperkg load` of a rebuilt build directory converges to a fresh load of it (real Neo4j)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from neo4j_graphs import graph_as_dicts, read_back
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.graph import load_graph
from graphbuild.pipeline import build

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "gold" / "dev_papers.jsonl"


def _load(server, out: Path) -> str:
    r = CliRunner().invoke(app, ["load", str(out), "--uri", server.uri, "--user", server.user,
                                 "--password", server.password])  # fmt: skip
    assert r.exit_code == 0, r.output
    return r.output


def test_load_of_a_rebuilt_graph_removes_what_is_gone(tmp_path: Path, neo4j_server, neo4j_store) -> None:
    papers = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(p) + "\n" for p in papers[:30]), encoding="utf-8")
    out = tmp_path / "out"
    build([corpus], out, view=False, embedded=False)
    _load(neo4j_server, out)
    old = read_back(neo4j_store)
    # the corpus changes: five papers gone, one abstract rewritten, ten new papers
    papers[7] = {**papers[7], "abstract": "We study graph neural networks on the Cora benchmark."}
    corpus.write_text("".join(json.dumps(p) + "\n" for p in papers[5:40]), encoding="utf-8")
    rebuilt = build([corpus], out, view=False, embedded=False)
    ids: set[str] = set()
    _load(neo4j_server, out)
    converged = read_back(neo4j_store, build_ids=ids)
    assert ids == {rebuilt.build_id}
    assert converged == graph_as_dicts(load_graph(out))
    gone = set(old[0]) - set(converged[0])
    assert any(k.startswith("paper:") for k in gone)  # removed papers are gone from the database
    # the same as loading the new build into an empty database
    neo4j_store.wipe()
    _load(neo4j_server, out)
    assert read_back(neo4j_store) == converged


def test_load_streams_from_the_build_directory(tmp_path: Path, neo4j_server, neo4j_store, monkeypatch) -> None:
    import graphbuild.graph as graph_module

    out = tmp_path / "out"
    build([DEV], out, view=False, embedded=False)

    def no_networkx(*args, **kwargs):
        raise AssertionError("load read graph.json into networkx")

    monkeypatch.setattr(graph_module, "load_graph", no_networkx)
    output = _load(neo4j_server, out)
    assert "nothing else of paperkg's" in output
    monkeypatch.undo()
    assert read_back(neo4j_store) == graph_as_dicts(load_graph(out))
