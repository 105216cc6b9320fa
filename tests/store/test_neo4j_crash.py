"""A server killed in the middle of a load: a clear failure, then a re-run converges without duplicates.

Uses the session's test server itself (SIGKILL, then a restart on the same data directory and port),
so the suite pays for one restart instead of two extra servers.
"""

from __future__ import annotations

from typing import Any

import pytest
from neo4j_graphs import graph_as_dicts, read_back

from bench.synthetic import make_graph
from graphbuild.errors import StoreUnavailableError
from graphbuild.store.neo4j import Neo4jStore

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def test_killed_server_mid_load_then_rerun_converges(neo4j_server: Any) -> None:
    server = neo4j_server.process
    if server is None:
        pytest.skip("NEO4J_URI names an external server; this test must kill and restart its own")
    g = make_graph(800, seed=11)
    total = g.number_of_nodes() + g.number_of_edges()
    written = 0

    def kill_halfway(n: int) -> None:
        nonlocal written
        written += n
        if written >= total // 2 and server.running:
            server.kill()  # SIGKILL: no checkpoint, no clean shutdown

    store = Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password, max_retry_seconds=2)
    try:
        store.wipe()
        with pytest.raises(StoreUnavailableError, match=r"cannot reach Neo4j|unavailable"):
            store.write_graph(g, batch_size=200, progress=kill_halfway)
    finally:
        store.close()
    assert not server.running
    assert total // 2 <= written < total

    server.start()  # same home and port: recovery from the transaction log
    assert server.uri == neo4j_server.uri
    with Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password) as store:
        partial = store.counts()
        n_partial = sum(partial.nodes.values()) + sum(partial.relationships.values())
        assert 0 < n_partial < total, "the kill did not interrupt the load"
        report = store.write_graph(g, batch_size=200)
        assert report.nodes_created + report.relationships_created == total - n_partial
        assert sum(report.nodes.values()) == g.number_of_nodes()
        assert sum(report.relationships.values()) == g.number_of_edges()
        assert store.run("MATCH (n:Paper) RETURN count(n) = count(DISTINCT n.key)").rows == ((True,),)
        assert read_back(store) == graph_as_dicts(g)  # read_back fails on any duplicate relationship
