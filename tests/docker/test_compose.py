"""docker/ for users: no Docker engine runs here, so check what can be checked without one."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
sys.path.insert(0, str(ROOT / "tests" / "neo4j"))

from neo4j_testserver import neo4j_version  # noqa: E402


def _compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text("utf-8"))


def test_compose_neo4j_image_is_the_test_servers_version() -> None:
    image = _compose()["services"]["neo4j"]["image"]
    m = re.fullmatch(r"neo4j:(\d+\.\d+)(\.\d+)?-community", image)
    assert m, f"expected neo4j:<major.minor>[.patch]-community, got {image}"
    tested = neo4j_version()  # what tests/neo4j/pom.xml resolves and every Neo4j test runs against
    assert tested.startswith(m.group(1) + "."), (image, tested)
    if m.group(2):
        assert m.group(1) + m.group(2) == tested
    assert m.group(1) == "5.26"  # the LTS line paperkg supports


def test_compose_binds_localhost_uses_env_auth_volume_and_healthcheck() -> None:
    services = _compose()["services"]
    neo4j = services["neo4j"]
    assert neo4j["ports"] and all(p.startswith("127.0.0.1:") for p in neo4j["ports"])
    assert neo4j["env_file"] == ".env"
    assert "${NEO4J_PASSWORD" in neo4j["environment"]["NEO4J_AUTH"]
    assert any(v.endswith(":/data") for v in neo4j["volumes"])
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    app = services["paperkg"]
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert app["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert "paperkg build" in " ".join(app["command"]) and "paperkg load" in " ".join(app["command"])
    assert (ROOT / app["build"]["dockerfile"]).exists()


def test_env_example_names_the_password_and_no_real_secret() -> None:
    text = (DOCKER / ".env.example").read_text("utf-8")
    assert re.search(r"^NEO4J_PASSWORD=change-me", text, re.M)


def test_dockerfile_installs_the_package_and_runs_unprivileged() -> None:
    text = (DOCKER / "Dockerfile").read_text("utf-8")
    assert re.search(r"^FROM python:3\.1[1-9]", text, re.M)
    assert "pip install ." in text and re.search(r"^USER (?!root)", text, re.M)
    for path in re.findall(r"^COPY (\S+)", text, re.M):  # everything it copies exists in the repo
        assert (ROOT / path).exists() or path == "README.md", path


@pytest.mark.neo4j
def test_compose_command_line_builds_and_loads_into_neo4j(neo4j_server, tmp_path: Path) -> None:
    """The app service's command, read from the YAML and parsed by bash as `sh -c` would run it, runs in a
    directory laid out like the container's /work (data/ mounted, out/ written) against the test server."""
    from tests.shell_examples import parse_script
    from tests.test_docs import run_calls

    app = _compose()["services"]["paperkg"]
    shell, flag, line = app["command"]
    assert (shell, flag) == ("sh", "-c")
    calls = parse_script(line, env={k: str(v) for k, v in app["environment"].items()})
    assert [c.argv[:2] for c in calls] == [("paperkg", "build"), ("paperkg", "load")]
    assert calls[1].env["NEO4J_URI"] == "bolt://neo4j:7687"
    (tmp_path / "data").symlink_to(DOCKER.parent / "data")  # ../data:/work/data:ro
    from graphbuild.graph import load_graph
    from graphbuild.store.neo4j import Neo4jStore

    with Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password) as store:
        store.wipe()  # a fresh database, as `docker compose up` gives
        run_calls(calls, tmp_path, neo4j_server)  # each call exit 0 and non-empty
        counts = store.counts()
        assert sum(counts.nodes.values()) == load_graph(tmp_path / "out").number_of_nodes() > 200
        store.wipe()
