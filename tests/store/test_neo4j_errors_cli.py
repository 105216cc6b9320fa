"""`paperkg load` end to end, and the one-line errors for an unreachable server, a wrong password
and an unknown database."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from neo4j_graphs import graph_as_dicts, odd_graph, read_back
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.errors import DatabaseNotFoundError, StoreAuthError, StoreUnavailableError
from graphbuild.graph import save_graph
from graphbuild.store.neo4j import Neo4jStore
from graphbuild.store.neo4j_connect import resolve_options

runner = CliRunner()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(server: Any, **extra: str) -> dict[str, str]:
    env = {"NEO4J_URI": server.uri, "NEO4J_USERNAME": server.user, "NEO4J_PASSWORD": server.password}
    env.update(extra)
    return env


def _one_error_line(result: Any, code: int = 2) -> str:
    """The one error line; exit 2 for the user's input (options, credentials), 1 for a runtime failure."""
    text = result.stderr.strip()
    assert result.exit_code == code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert len(text.splitlines()) == 1, text
    return text


def test_options_come_from_flags_then_environment() -> None:
    env = {"NEO4J_URI": "neo4j://db:7687", "NEO4J_USERNAME": "u", "NEO4J_PASSWORD": "p", "NEO4J_DATABASE": "d"}
    o = resolve_options(env=env)
    assert (o.uri, o.user, o.password, o.database) == ("neo4j://db:7687", "u", "p", "d")
    o = resolve_options("bolt://h:1", "v", "q", "e", env=env)
    assert (o.uri, o.user, o.password, o.database) == ("bolt://h:1", "v", "q", "e")
    assert "q" not in repr(o)
    assert resolve_options(password="", env={}).uri == "bolt://localhost:7687"


def test_missing_password_and_bad_uri_are_one_line_errors(tmp_path: Path) -> None:
    path = save_graph(odd_graph(), tmp_path)
    r = runner.invoke(app, ["load", str(path)], env={"NEO4J_PASSWORD": None, "NEO4J_URI": None})
    assert "NEO4J_PASSWORD" in _one_error_line(r)
    r = runner.invoke(app, ["load", str(path), "--uri", "http://localhost:7474", "--password", "x"])
    assert "not valid" in _one_error_line(r)


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    with pytest.raises(StoreUnavailableError, match="cannot reach Neo4j"):
        Neo4jStore(uri, "neo4j", "x")
    r = runner.invoke(app, ["load", str(save_graph(odd_graph(), tmp_path)), "--uri", uri, "--password", "x"])
    line = _one_error_line(r, code=1)  # the server is down: a runtime failure, not a usage error
    assert "cannot reach Neo4j" in line and uri in line


@pytest.mark.neo4j
def test_wrong_password_is_a_clear_error(neo4j_server: Any, tmp_path: Path) -> None:
    with pytest.raises(StoreAuthError, match="wrong user name or password"):
        Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password + "-wrong")
    r = runner.invoke(
        app, ["load", str(save_graph(odd_graph(), tmp_path)), "--password", "wrong"], env=_env(neo4j_server)
    )
    assert "refused user 'neo4j'" in _one_error_line(r)


@pytest.mark.neo4j
def test_unknown_database_is_a_clear_error(neo4j_server: Any, tmp_path: Path) -> None:
    with pytest.raises(DatabaseNotFoundError, match="no database 'nosuchdb'"):
        Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password, database="nosuchdb")
    r = runner.invoke(app, ["load", str(tmp_path / "g.json"), "--database", "nosuchdb"], env=_env(neo4j_server))
    assert "no graph file" in _one_error_line(r)  # the graph is checked before connecting
    path = save_graph(odd_graph(), tmp_path)
    r = runner.invoke(app, ["load", str(path)], env=_env(neo4j_server, NEO4J_DATABASE="nosuchdb"))
    assert "no database 'nosuchdb'" in _one_error_line(r)


@pytest.mark.neo4j
def test_load_command_loads_reports_and_wipes_with_confirmation(neo4j_store: Neo4jStore, neo4j_server: Any,
                                                                tmp_path: Path) -> None:  # fmt: skip
    g = odd_graph()
    path = save_graph(g, tmp_path / "out")
    r = runner.invoke(app, ["load", str(tmp_path / "out"), "--batch-size", "2"], env=_env(neo4j_server))
    assert r.exit_code == 0, r.output
    assert "Created 8 nodes and 5 relationships" in r.stdout
    assert "USES" in r.stdout and "Paper" in r.stdout
    assert read_back(neo4j_store) == graph_as_dicts(g)

    r = runner.invoke(app, ["load", str(path)], env=_env(neo4j_server))
    assert r.exit_code == 0 and "Created 0 nodes and 0 relationships" in r.stdout

    r = runner.invoke(app, ["load", str(path), "--wipe"], input="n\n", env=_env(neo4j_server))
    assert r.exit_code == 1 and "Aborted" in r.output
    neo4j_store.run("CREATE (:Paper {key: 'paper:stale'})", write=True)
    # after the wipe the database is empty: a first load, written by two sessions at once
    r = runner.invoke(app, ["load", str(path), "--wipe", "--yes", "--writers", "2", "--batch-size", "1"],
                      env=_env(neo4j_server))  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Deleted 9 paperkg nodes" in r.output and "Created 8 nodes" in r.stdout
    assert read_back(neo4j_store) == graph_as_dicts(g)  # the stale node is gone
