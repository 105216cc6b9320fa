"""Issue 17 item 9: read-only holds through both engines, not only through a regex.

Without ``--write`` a statement may only read: no data or schema writes, no files (EXPORT/IMPORT
DATABASE, COPY TO, LOAD FROM/CSV), no extensions (INSTALL/UNINSTALL/LOAD), no transactions, no
administration (SHOW/TERMINATE TRANSACTIONS, dbms procedures). The embedded store opens LadybugDB
read-only; Neo4j reads run in READ sessions after the server's own plan has been checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import graphbuild.store.embedded
from graphbuild.cli import app
from graphbuild.errors import CypherError, WriteNotAllowedError
from graphbuild.graph import save_graph
from graphbuild.store import open_store
from graphbuild.store.write_guard import explain_statement, find_write_clause, plan_refusal
from tests.queries.tiny_graph import tiny_graph

runner = CliRunner()


def tiny_graph_papers() -> int:
    return sum(1 for _, d in tiny_graph().nodes(data=True) if d["label"] == "Paper")

#: statements that must not run without --write on the embedded store, with the file they would create
EMBEDDED_BYPASSES = [
    "EXPORT DATABASE '{tmp}/export'",
    "COPY (MATCH (p:Paper) RETURN p.key) TO '{tmp}/papers.csv'",
    "IMPORT DATABASE '{tmp}/export'",
    "INSTALL json",
    "UNINSTALL json",
    "LOAD EXTENSION json",
    "LOAD json",
    "LOAD FROM '/etc/passwd' (file_format='csv', header=false, delim=':') RETURN *",
    "ATTACH '{tmp}/other.lbug' AS other (dbtype lbug)",
    "CHECKPOINT",
    "BEGIN TRANSACTION",
    "CALL threads=1",
    "CALL force_checkpoint_on_close=true",
    "MATCH (n) RETURN count(n); EXPORT DATABASE '{tmp}/export2'",
    "match (n) return n limit 1; create (:Paper {{key: 'paper:x'}})",
    "EXPLAIN EXPORT DATABASE '{tmp}/export3'",
]
READS = [
    "MATCH (p:Paper) WHERE p.title CONTAINS 'EXPORT DATABASE' RETURN count(p) AS n",
    "CALL show_tables() RETURN name",
    "CALL table_info('Paper') RETURN *",
    "MATCH (p:Paper)-[r]->(m) RETURN r.start AS start, m.name ORDER BY start LIMIT 2",
    "MATCH (n) RETURN count(n) AS n;",
    "// SHOW TRANSACTIONS\nMATCH (n) RETURN count(n) AS n",
    "MATCH (p:Paper) WITH p LIMIT 1 RETURN p.year AS y",
]


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    save_graph(tiny_graph(), out)
    return out


@pytest.mark.parametrize("statement", EMBEDDED_BYPASSES)
def test_embedded_refuses_without_write(build_dir: Path, tmp_path: Path, statement: str) -> None:
    text = statement.format(tmp=tmp_path)
    r = runner.invoke(app, ["cypher", text, "--store", f"embedded:{build_dir}"])
    assert r.exit_code == 2, r.output
    assert "pass --write" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere
    with open_store(f"embedded:{build_dir}") as store:  # the database still opens and reads
        assert store.run("MATCH (p:Paper) RETURN count(p)").rows == ((tiny_graph_papers(),),)


@pytest.mark.parametrize("statement", READS)
def test_reads_still_run(build_dir: Path, statement: str) -> None:
    assert find_write_clause(statement) is None
    with open_store(f"embedded:{build_dir}") as store:
        store.run(statement)


def test_embedded_engine_refuses_writes_when_the_text_check_is_bypassed(
    build_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graphbuild.store.embedded, "ensure_read_only", lambda cypher: None)
    with open_store(f"embedded:{build_dir}") as store, pytest.raises(CypherError, match="read-only"):
        store.run("CREATE (:Paper {key: 'paper:sneaky'})")
    with open_store(f"embedded:{build_dir}") as store:
        assert store.run("MATCH (p:Paper {key: 'paper:sneaky'}) RETURN count(p)").rows == ((0,),)


def test_write_allows_it(build_dir: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["cypher", f"COPY (MATCH (p:Paper) RETURN p.key) TO '{tmp_path}/keys.csv'",
                            "--write", "--store", f"embedded:{build_dir}"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert (tmp_path / "keys.csv").exists()


def test_explain_statement_and_plans() -> None:
    assert find_write_clause("MATCH (p) CALL { WITH p RETURN p.x AS y } RETURN y") is None  # a subquery
    assert find_write_clause("MATCH (p) CALL (p) { RETURN p.x AS y } RETURN y") is None
    assert find_write_clause("MATCH (p) CALL { WITH p SET p.x = 1 } RETURN p") == "SET"
    assert explain_statement("MATCH (n) RETURN n") == "EXPLAIN MATCH (n) RETURN n"
    assert explain_statement("CYPHER 5 PROFILE MATCH (n) RETURN n") == "CYPHER 5 EXPLAIN MATCH (n) RETURN n"
    assert explain_statement("EXPLAIN MATCH (n) RETURN n") is None
    read = {"operatorType": "ProduceResults@neo4j", "children": [{"operatorType": "AllNodesScan@neo4j"}]}
    assert plan_refusal("r", read) is None
    assert "writes" in str(plan_refusal("w", read))
    terminate = {"operatorType": "ProduceResults@neo4j", "children": [{"operatorType": "TerminateTransactions@neo4j"}]}
    assert plan_refusal("r", terminate) == "the server plans it as TerminateTransactions"
    call = {"operatorType": "ProcedureCall@neo4j", "args": {"Details": "dbms.listConfig() :: (name :: STRING)"}}
    assert plan_refusal("r", call) == "it calls the procedure dbms.listConfig"
    fulltext = {"operatorType": "ProcedureCall@neo4j", "args": {"Details": "db.index.fulltext.queryNodes($a, $b)"}}
    assert plan_refusal("r", fulltext) is None


# ----------------------------------------------------------------------------- Neo4j

NEO4J_BYPASSES = [
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "SHOW TRANSACTIONS",
    "SHOW SETTINGS",
    "CALL dbms.listConfig() YIELD name RETURN name",
    "CALL dbms.components()",
    "CALL db.clearQueryCaches()",
    "CALL tx.setMetaData({a: 1})",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "CALL db.createLabel('Sneaky')",
    "MATCH (n) RETURN n; MATCH (m) DETACH DELETE m",
    "USE system SHOW USERS",
]


def _auth(server: Any) -> list[str]:
    return ["--store", server.uri, "--user", server.user, "--password", server.password]


@pytest.mark.neo4j
@pytest.mark.parametrize("statement", NEO4J_BYPASSES)
def test_neo4j_refuses_without_write(neo4j_store: Any, neo4j_server: Any, statement: str) -> None:
    r = runner.invoke(app, ["cypher", statement, *_auth(neo4j_server)])
    assert r.exit_code == 2, r.output
    assert "pass --write" in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.neo4j
@pytest.mark.parametrize("statement", NEO4J_BYPASSES[:8])
def test_neo4j_plan_check_refuses_when_the_text_check_is_bypassed(
    neo4j_store: Any, monkeypatch: pytest.MonkeyPatch, statement: str
) -> None:
    import graphbuild.store.write_guard as guard

    monkeypatch.setattr(guard, "ensure_read_only", lambda cypher: None)
    with pytest.raises(WriteNotAllowedError, match=r"not a plain read|writes"):
        neo4j_store.run(statement)


@pytest.mark.neo4j
def test_terminate_cannot_kill_a_running_load(neo4j_store: Any, neo4j_server: Any) -> None:
    import neo4j

    driver = neo4j.GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth)
    try:
        with driver.session() as session:
            tx = session.begin_transaction()
            tx.run("CREATE (:Paper {key: 'paper:in-flight'})").consume()
            ids = [r[0] for r in neo4j_store.run("SHOW TRANSACTIONS YIELD transactionId RETURN transactionId",
                                                 write=True).rows]  # fmt: skip
            for tx_id in ids:
                r = runner.invoke(app, ["cypher", f"TERMINATE TRANSACTIONS '{tx_id}'", *_auth(neo4j_server)])
                assert r.exit_code == 2 and "pass --write" in r.stderr
            tx.commit()  # still alive
    finally:
        driver.close()
    assert neo4j_store.run("MATCH (p:Paper {key: 'paper:in-flight'}) RETURN count(p)").rows == ((1,),)


@pytest.mark.neo4j
def test_neo4j_reads_and_syntax_errors(neo4j_store: Any, neo4j_server: Any) -> None:
    neo4j_store.write_graph(tiny_graph())
    for statement in [
        "MATCH (p:Paper) RETURN count(p) AS n",
        "CALL db.labels() YIELD label RETURN label",
        "CYPHER 5 MATCH (p:Paper) RETURN count(p) AS n",
        "PROFILE MATCH (p:Paper) RETURN count(p) AS n",
    ]:
        neo4j_store.run(statement)
    r = runner.invoke(app, ["cypher", "MATCH (n)\nRETRUN n", *_auth(neo4j_server)])
    assert r.exit_code == 2
    line = r.stderr.strip()
    assert len(line.splitlines()) == 1 and "Invalid input 'RETRUN'" in line and "EXPLAIN" not in line
    assert "(line 2, column 1 (offset: 10))" in line
    r = runner.invoke(app, ["query", "top-methods", "--param", "limit=99999999999999999999", *_auth(neo4j_server)])
    assert r.exit_code == 2 and "64-bit range" in r.stderr
