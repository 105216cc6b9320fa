"""Issue 17 item 7: a damaged graph.json with a valid schema_version is one clear error, in every command."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.errors import GraphFileError
from graphbuild.graph import load_graph, save_graph
from tests.queries.tiny_graph import tiny_graph

runner = CliRunner()


@pytest.fixture(scope="module")
def good() -> dict[str, Any]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = save_graph(tiny_graph(), Path(d))
        return json.loads(path.read_text("utf-8"))


def _first_link(d: dict[str, Any]) -> dict[str, Any]:
    return d["links"][0]


def _paper(d: dict[str, Any]) -> dict[str, Any]:
    return next(n for n in d["nodes"] if n["label"] == "Paper")


DAMAGES = {
    "link-without-target": (lambda d: _first_link(d).pop("target"), "links[0]: missing 'target'"),
    "link-to-nowhere": (lambda d: _first_link(d).update(target="method:nope"), "is not the id of a node"),
    "unknown-type": (lambda d: _first_link(d).update(type="LIKES", key="LIKES"), "relationship type 'LIKES'"),
    "wrong-ends": (lambda d: _first_link(d).update(source=_first_link(d)["target"]), "goes from Paper"),
    "node-without-id": (lambda d: _paper(d).pop("id"), "'id' must be a non-empty text key"),
    "node-without-label": (lambda d: _paper(d).pop("label"), "label None is not one of"),
    "year-as-text": (lambda d: _paper(d).update(year="2020"), "property 'year' must be int"),
    "authors-not-list": (lambda d: _paper(d).update(authors="Ada"), "property 'authors' must be string[]"),
    "count-as-bool": (lambda d: _first_link(d).update(count=True), "property 'count' must be int"),
    "unknown-property": (lambda d: _paper(d).update(secret={"a": 1}), "unknown property 'secret'"),
    "surrogate": (lambda d: _paper(d).update(title="x\ud800"), "property 'title' must be string"),
    "nodes-not-list": (lambda d: d.update(nodes={}), "nodes: expected a list"),
    "undirected": (lambda d: d.update(directed=False), "directed: must be true"),
    "duplicate-node": (lambda d: d["nodes"].append(copy.deepcopy(_paper(d))), "a second node with this id"),
    "duplicate-link": (lambda d: d["links"].append(copy.deepcopy(_first_link(d))), "a second"),
    "key-prefix": (lambda d: _rename_paper(d), "a Paper key must start with 'paper:'"),
}


def _rename_paper(d: dict[str, Any]) -> None:
    p = _paper(d)
    old = p["id"]
    p["id"] = "method:" + old
    for link in d["links"]:
        if link["source"] == old:
            link["source"] = p["id"]


def _damaged(tmp_path: Path, good: dict[str, Any], name: str) -> tuple[Path, str]:
    data = copy.deepcopy(good)
    damage, message = DAMAGES[name]
    damage(data)
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.json").write_text(json.dumps(data), "utf-8")  # a surrogate travels as a \\ud800 escape
    return out, message


@pytest.mark.parametrize("name", list(DAMAGES))
def test_load_graph_names_the_element(tmp_path: Path, good: dict[str, Any], name: str) -> None:
    out, message = _damaged(tmp_path, good, name)
    with pytest.raises(GraphFileError) as ei:
        load_graph(out)
    assert message in str(ei.value)
    assert str(ei.value).startswith(f"{out / 'graph.json'}: ")
    assert "rebuild it with `paperkg build`" in str(ei.value)


@pytest.mark.parametrize(
    "command",
    [["stats", "{out}"], ["export", "{out}", "--format", "json", "--out", "{tmp}/x.json"],
     ["view", "{out}", "--out", "{tmp}/v.html"], ["query", "top-methods", "--store", "embedded:{out}"],
     ["load", "{out}", "--uri", "bolt://127.0.0.1:9", "--password", "x"]],
    ids=["stats", "export", "view", "query", "load"],
)
def test_every_command_reports_a_damaged_graph_in_one_line(tmp_path: Path, good: dict[str, Any],
                                                           command: list[str]) -> None:  # fmt: skip
    out, message = _damaged(tmp_path, good, "link-without-target")
    args = [a.format(out=out, tmp=tmp_path) for a in command]
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], r.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [('{"schema_version": 2, "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "RecursionError"),
     ('{"schema_version": 2, "x": ' + "9" * 5000 + "}", "ValueError"),
     ("[1, 2]", "schema_version None"),
     ('{"schema_version": 2}', "nodes: expected a list")],
    ids=["deep", "huge-int", "list", "empty"],
)
def test_unparseable_graph_files(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "graph.json").write_text(text, "utf-8")
    with pytest.raises(GraphFileError, match=message):
        load_graph(tmp_path)


def test_a_good_graph_loads_unchanged(tmp_path: Path) -> None:
    from graphbuild.graph import graphs_equal

    g = tiny_graph()
    assert graphs_equal(load_graph(save_graph(g, tmp_path)), g)
