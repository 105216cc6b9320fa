"""The embedded LadybugDB store: exact round trip, rebuild-when-stale, locking, errors."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from graphbuild.errors import ConfigError, CypherError, StoreUnavailableError, WriteNotAllowedError
from graphbuild.graph import new_graph, save_graph, update_paper_counts
from graphbuild.schema import load_schema
from graphbuild.store import open_store
from graphbuild.store.embedded import DB_FILE, EmbeddedStore, ensure_embedded, is_stale, schema_ddl, write_embedded

TRICKY = "He said \"hi\", then\nleft; C:\\path, [x] {y} 'q' — ünïcode ✓"


def small_graph() -> nx.MultiDiGraph:
    g = new_graph()
    g.add_node(
        "paper:a",
        label="Paper",
        name=TRICKY,
        title=TRICKY,
        abstract="",
        year=2024,
        url="https://x.org/a?b=1,2",
        categories=["cs.LG", "cs.AI"],
        authors=["Smith, J.", 'O"Neil'],
        source="in.jsonl:1",
    )
    g.add_node(
        "paper:b", label="Paper", name="B", title="B", abstract="text", authors=[], categories=[], source="in.jsonl:2"
    )  # no year, url or doi
    g.add_node("method:m", label="Method", name="M", aliases=["m, v2", "[M]", ""], paper_count=0)
    g.add_node("benchmark:x", label="Benchmark", name="X", aliases=[], paper_count=0)
    g.add_node("task:t", label="Task", name="T's task", aliases=["t"], paper_count=0)
    g.add_node("domain:d", label="Domain", name="D", aliases=[], paper_count=0, parent="domain:top")
    g.add_node("domain:top", label="Domain", name="Top", aliases=[], paper_count=0)
    g.add_edge("paper:b", "task:t", key="ADDRESSES", type="ADDRESSES", role="addressed", count=1)
    g.add_edge(
        "paper:a",
        "method:m",
        key="PROPOSES",
        type="PROPOSES",
        role="proposed",
        evidence=TRICKY,
        field="title",
        start=0,
        end=7,
        surface="M",
        rule="r1",
        confidence=0.8125,
        count=3,
    )
    g.add_edge(
        "paper:b",
        "method:m",
        key="USES",
        type="USES",
        role="used",
        evidence="uses M",
        field="abstract",
        start=5,
        end=6,
        surface="M",
        rule="r2",
        confidence=1.0,
        count=1,
    )
    g.add_edge(
        "paper:a",
        "benchmark:x",
        key="INTRODUCES",
        type="INTRODUCES",
        role="introduced",
        evidence="",
        field="abstract",
        start=0,
        end=1,
        surface="X",
        rule="r3",
        confidence=0.5,
        count=1,
    )
    g.add_edge(
        "paper:b",
        "benchmark:x",
        key="EVALUATES_ON",
        type="EVALUATES_ON",
        role="used",
        evidence="e",
        field="abstract",
        start=0,
        end=1,
        surface="X",
        rule="r3",
        confidence=0.5,
        count=2,
    )
    g.add_edge(
        "paper:a",
        "domain:d",
        key="IN_DOMAIN",
        type="IN_DOMAIN",
        evidence="a; b",
        rule="domain-taxonomy",
        confidence=0.25,
        count=2,
    )
    update_paper_counts(g)
    return g  # fmt: skip


def read_back(store: EmbeddedStore) -> nx.MultiDiGraph:
    """The store's contents as a graph in graphbuild.graph's conventions (None attributes left out)."""
    schema = load_schema()
    g = new_graph()
    for label, spec in schema.nodes.items():
        cols = list(spec.properties)
        rows = store.run(f"MATCH (n:{label}) RETURN " + ", ".join(f"n.`{c}`" for c in cols)).rows
        for row in rows:
            attrs = {c: v for c, v in zip(cols, row, strict=True) if v is not None and c != "key"}
            g.add_node(row[0], label=label, **attrs)
    rcols = list(schema.relationship_properties)
    for rel in schema.relationships:
        q = f"MATCH (a)-[r:{rel}]->(b) RETURN a.key, b.key, " + ", ".join(f"r.`{c}`" for c in rcols)
        for row in store.run(q).rows:
            attrs = {c: v for c, v in zip(rcols, row[2:], strict=True) if v is not None}
            g.add_edge(row[0], row[1], key=rel, type=rel, **attrs)
    return g


def test_round_trip_is_exact(tmp_path: Path) -> None:
    from graphbuild.graph import graphs_equal

    g = small_graph()
    with EmbeddedStore(write_embedded(g, tmp_path), read_only=True) as store:
        back = read_back(store)
        assert dict(store.counts().nodes) == {"Paper": 2, "Method": 1, "Benchmark": 1, "Task": 1, "Domain": 2}
        assert dict(store.counts().relationships) == {
            "PROPOSES": 1, "USES": 1, "INTRODUCES": 1, "EVALUATES_ON": 1, "ADDRESSES": 1, "IN_DOMAIN": 1,
        }  # fmt: skip
    assert graphs_equal(back, g)
    # the tricky values one by one (graphs_equal would hide nothing, this names the failure)
    assert back.nodes["paper:a"]["title"] == TRICKY
    assert back.nodes["paper:a"]["abstract"] == ""
    assert back.nodes["paper:a"]["authors"] == ["Smith, J.", 'O"Neil']
    assert back.nodes["method:m"]["aliases"] == ["m, v2", "[M]", ""]
    assert "year" not in back.nodes["paper:b"]


def test_write_graph_twice_is_idempotent(tmp_path: Path) -> None:
    g = small_graph()
    with EmbeddedStore(tmp_path / "db") as store:
        first = store.write_graph(g)
        second = store.write_graph(g)
        assert first.nodes == second.nodes and first.relationships == second.relationships
        assert sum(second.nodes.values()) == 7


def test_ddl_comes_from_the_schema() -> None:
    ddl = "\n".join(schema_ddl())
    schema = load_schema()
    for label, spec in schema.nodes.items():
        assert f"CREATE NODE TABLE {label}(" in ddl
        for prop in spec.properties:
            assert f"`{prop}`" in ddl
    for rel in schema.relationships.values():
        assert f"CREATE REL TABLE {rel.type}(FROM {rel.source} TO {rel.target}" in ddl


def test_rebuilds_when_graph_json_is_newer(tmp_path: Path) -> None:
    g = small_graph()
    save_graph(g, tmp_path)
    assert is_stale(tmp_path)
    db = ensure_embedded(tmp_path)  # missing → built
    assert db == tmp_path / DB_FILE and not is_stale(tmp_path)
    built_at = db.stat().st_mtime
    assert ensure_embedded(tmp_path).stat().st_mtime == built_at  # fresh → untouched

    g.add_node("method:new", label="Method", name="New", aliases=[], paper_count=0)
    save_graph(g, tmp_path)
    future = time.time() + 5  # mtime granularity: make graph.json unmistakably newer
    os.utime(tmp_path / "graph.json", (future, future))
    assert is_stale(tmp_path)
    with open_store(f"embedded:{tmp_path}") as store:
        assert store.counts().nodes["Method"] == 2
    assert not list(tmp_path.glob(".*.tmp*")), "temporary database files left behind"


def test_unreadable_database_is_rebuilt(tmp_path: Path) -> None:
    save_graph(small_graph(), tmp_path)
    db = ensure_embedded(tmp_path)
    db.write_bytes(b"not a ladybug database" * 100)
    future = time.time() + 5  # newer than graph.json, so only the open itself can notice
    os.utime(db, (future, future))
    with open_store(str(tmp_path)) as store:
        assert store.counts().nodes["Paper"] == 2


def test_missing_build_dir_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailableError, match=r"no graph\.json here; run `paperkg build"):
        open_store(f"embedded:{tmp_path / 'nope'}")


def test_bad_store_specs() -> None:
    with pytest.raises(ConfigError, match="unknown scheme 'http'"):
        open_store("http://localhost:7474")
    with pytest.raises(ConfigError, match="needs a directory"):
        open_store("embedded:")


_HOLDER = """
import sys, time, ladybug
db = ladybug.Database(sys.argv[1])
conn = ladybug.Connection(db)
print("locked", flush=True)
time.sleep(60)
"""


def test_second_writer_gets_store_unavailable(tmp_path: Path) -> None:
    path = write_embedded(small_graph(), tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreUnavailableError, match="in use by another paperkg process"):
            EmbeddedStore(path)
    finally:
        holder.terminate()
        holder.wait(timeout=30)
    EmbeddedStore(path).close()  # and free again once the holder has gone


def test_engine_errors_and_read_only(tmp_path: Path) -> None:
    with EmbeddedStore(write_embedded(small_graph(), tmp_path), read_only=True) as store:
        with pytest.raises(CypherError, match="Parser exception"):
            store.run("MATCH (n RETURN n")
        with pytest.raises(CypherError, match="Binder exception"):
            store.run("MATCH (n:Nope) RETURN n")
        with pytest.raises(WriteNotAllowedError, match=r"writes \(DETACH\)"):
            store.run("MATCH (n) DETACH DELETE n")
        # a read-only database refuses writes itself, too
        with pytest.raises(CypherError):
            store.run("MATCH (m:Method) SET m.name = 'x'", write=True)
        # values come back as plain Python values; sum() of integers is an int, not a Decimal
        rows = store.run("MATCH (:Paper)-[r]->() RETURN sum(r.count) AS s, avg(r.confidence) AS c").rows
        assert rows == ((10, pytest.approx((0.8125 + 1.0 + 0.5 + 0.5 + 0.25) / 5)),)  # ADDRESSES has no confidence
        assert type(rows[0][0]) is int


def test_tables_load_reopening_after_every_copy_keeps_everything(tmp_path: Path, monkeypatch) -> None:
    """A large load closes and reopens the database between COPYs (memory); nothing may be lost across it."""
    from graphbuild.graph import graphs_equal
    from graphbuild.pipeline import build
    from graphbuild.store import embedded
    from graphbuild.tables import TABLES_DIR, load_tables_graph

    out = tmp_path / "out"
    build([Path(__file__).resolve().parents[2] / "data" / "hf_trending_papers.txt"], out, embedded=False, view=False)
    reopened: list[int] = []
    open_ = EmbeddedStore._open
    monkeypatch.setattr(embedded, "_REOPEN_AFTER_ROWS", 1)
    monkeypatch.setattr(EmbeddedStore, "_open", lambda self: (reopened.append(1), open_(self))[1])
    path = write_embedded(None, tmp_path / "db", tables=out / TABLES_DIR)
    assert len(reopened) > 5  # the first open plus one per non-empty table
    with EmbeddedStore(path, read_only=True) as store:
        assert graphs_equal(read_back(store), load_tables_graph(out))
