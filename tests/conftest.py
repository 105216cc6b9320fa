"""Session-wide test fixtures: the Neo4j test server.

``neo4j_server`` yields a :class:`Neo4jServerInfo` (``uri``, ``user``, ``password``):

* if ``NEO4J_URI`` is set, that server is used (``NEO4J_USERNAME`` default ``neo4j``,
  ``NEO4J_PASSWORD``) — tests wipe paperkg's labels in it, so never point it at real data;
* otherwise ``tests/neo4j/Launcher.java`` is started over a temporary directory (the jars
  come from ``tests/neo4j/install.sh``, run automatically once) and stopped at session end.

Without Java/Maven/the jars the dependent tests are skipped, unless ``REQUIRE_NEO4J=1``
(set by ``.ci/run``): then a missing server fails them.

Any test marked ``@pytest.mark.neo4j`` gets the server started (or skipped) before it runs;
``neo4j_store`` gives such a test an open, wiped :class:`graphbuild.store.neo4j.Neo4jStore`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NEO4J_DIR = ROOT / "tests" / "neo4j"
if str(NEO4J_DIR) not in sys.path:
    sys.path.insert(0, str(NEO4J_DIR))
if str(ROOT) not in sys.path:
    # bench.synthetic (a realistic generated graph) is shared by benchmarks and Neo4j tests
    sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Neo4jServerInfo:
    uri: str
    user: str
    password: str
    version: str = ""
    #: the process when started by the tests (None for an external NEO4J_URI server)
    process: Any = None

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)


def neo4j_required() -> bool:
    return os.environ.get("REQUIRE_NEO4J", "") not in ("", "0", "false", "no")


def neo4j_unavailable(reason: str) -> None:
    """Skip, or fail when REQUIRE_NEO4J=1."""
    if neo4j_required():
        pytest.fail(f"REQUIRE_NEO4J=1 but no Neo4j server: {reason}", pytrace=False)
    pytest.skip(f"no Neo4j server: {reason}")


_server_error: list[str] = []


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServerInfo]:
    if _server_error:  # a failed start is not retried for every test
        neo4j_unavailable(_server_error[0])
    uri = os.environ.get("NEO4J_URI")
    if uri:
        password = os.environ.get("NEO4J_PASSWORD")
        if password is None:
            neo4j_unavailable("NEO4J_URI is set but NEO4J_PASSWORD is not")
        yield Neo4jServerInfo(uri, os.environ.get("NEO4J_USERNAME", "neo4j"), password or "")
        return
    from neo4j_testserver import Neo4jTestServer, ServerSetupError

    # C1-only JIT: the tests load small graphs, and it starts with ~40% less CPU
    server = Neo4jTestServer(tmp_path_factory.mktemp("neo4j-home"), jit="c1")
    try:
        server.start()
    except ServerSetupError as e:
        _server_error.append(str(e))
        neo4j_unavailable(str(e))
    try:
        yield Neo4jServerInfo(server.uri, server.user, server.password, server.version, server)
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _neo4j_marker(request: pytest.FixtureRequest) -> None:
    """``@pytest.mark.neo4j`` ⇒ the server must be up (started here on first use)."""
    if request.node.get_closest_marker("neo4j") is not None:
        request.getfixturevalue("neo4j_server")


@pytest.fixture
def neo4j_store(neo4j_server: Neo4jServerInfo) -> Iterator[Any]:
    """An open :class:`Neo4jStore` on the test server with paperkg's labels wiped."""
    from graphbuild.store.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    store.wipe()
    try:
        yield store
    finally:
        store.close()
