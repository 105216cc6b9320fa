"""The Neo4j store: an idempotent, batched loader and a Cypher runner over Bolt.

Loading follows the pattern that keeps large loads fast and re-runnable:

1. uniqueness constraints (one per label, on ``key``) and a full-text index are
   created first, so every ``MERGE`` is an index seek;
2. nodes, then relationships, are written per label / per relationship type as
   ``UNWIND $rows AS row MERGE ... SET ...`` batches, one batch per managed
   transaction (the driver retries transient failures; MERGE makes a retried
   or re-run batch harmless);
3. counts are read back from the database and checked against the graph.

Values only travel as parameters. Labels, relationship types and property
names are interpolated into Cypher, but they come from the fixed schema
(``graphbuild/data/schema.yaml``), never from input data.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graphbuild.errors import (
    CypherError,
    DatabaseNotFoundError,
    GraphFileError,
    StoreAuthError,
    StoreError,
    StoreUnavailableError,
)
from graphbuild.schema import Schema, load_schema
from graphbuild.store.base import LoadReport, QueryResult

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 5000
FULLTEXT_INDEX = "paperkg_fulltext"
FULLTEXT_PROPERTIES = ("name", "title")


@dataclass(frozen=True)
class Neo4jLoadReport(LoadReport):
    """A :class:`LoadReport` plus what the graph expected and what this load created."""

    expected_nodes: Mapping[str, int] = field(default_factory=dict)
    expected_relationships: Mapping[str, int] = field(default_factory=dict)
    nodes_created: int = 0
    relationships_created: int = 0
    #: seconds per step: "prepare" (rows + constraints), each label, each relationship type, "paper_count", "counts"
    phases: Mapping[str, float] = field(default_factory=dict)


def constraint_name(label: str) -> str:
    return f"paperkg_{label.lower()}_key"


def schema_statements(schema: Schema | None = None) -> list[str]:
    """DDL run before every load: one uniqueness constraint per label, one full-text index."""
    schema = schema or load_schema()
    stmts = [
        f"CREATE CONSTRAINT {constraint_name(label)} IF NOT EXISTS FOR (n:`{label}`) REQUIRE n.key IS UNIQUE"
        for label in schema.nodes
    ]
    labels = "|".join(f"`{label}`" for label in schema.nodes)
    props = ", ".join(f"n.`{p}`" for p in FULLTEXT_PROPERTIES)
    stmts.append(f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{labels}) ON EACH [{props}]")
    return stmts


def _set_clause(var: str, names: Sequence[str]) -> str:
    # one SET per schema property (a missing value is null, which removes it): a re-load leaves exactly
    # the graph's values, and unlike `SET n = map` the planner needs no Eager barrier
    return ", ".join(f"{var}.`{p}` = row.`{p}`" for p in names)


def node_statement(label: str, schema: Schema | None = None) -> str:
    spec = (schema or load_schema()).nodes[label]
    names = [p for p in spec.properties if p != "key"]
    return (
        f"UNWIND $rows AS row MERGE (n:`{label}` {{key: row.key}}) SET {_set_clause('n', names)} RETURN count(*) AS n"
    )


def relationship_statement(rel_type: str, schema: Schema | None = None) -> str:
    schema = schema or load_schema()
    spec = schema.relationships[rel_type]
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:`{spec.source}` {{key: row.s}}) MATCH (b:`{spec.target}` {{key: row.t}}) "
        f"MERGE (a)-[r:`{rel_type}`]->(b) SET {_set_clause('r', list(schema.relationship_properties))} "
        f"RETURN count(*) AS n"
    )


def paper_count_statement(label: str) -> str:
    # entity paper_count = distinct linking papers in the *database*, so incremental loads stay right
    return (
        f"UNWIND $keys AS k MATCH (e:`{label}` {{key: k}}) "
        f"SET e.paper_count = COUNT {{ MATCH (p:Paper)-->(e) RETURN DISTINCT p }}"
    )


# --------------------------------------------------------------------------- graph → rows


def _coerce(value: Any, schema_type: str) -> Any:
    if value is None:
        return None
    if schema_type == "string[]":
        return [str(v) for v in value]
    if schema_type == "int":
        return int(value)
    if schema_type == "float":
        return float(value)
    return str(value)


def graph_rows(
    graph: nx.MultiDiGraph, schema: Schema | None = None
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """Node rows per label and relationship rows per type (``s``, ``t`` = endpoint keys).

    Every row has every schema property (``None`` when the graph has no value).

    Raises :class:`GraphFileError` for a node or edge the schema does not allow.
    """
    schema = schema or load_schema()
    nodes: dict[str, list[dict[str, Any]]] = {label: [] for label in schema.nodes}
    for key, data in graph.nodes(data=True):
        label = data.get("label")
        spec = schema.nodes.get(label)  # type: ignore[arg-type]
        if spec is None:
            raise GraphFileError(f"node {key!r}: label {label!r} is not in the schema ({', '.join(schema.nodes)})")
        row = {name: _coerce(data.get(name), ptype) for name, ptype in spec.properties.items()}
        row["key"] = str(key)
        nodes[label].append(row)
    rels: dict[str, list[dict[str, Any]]] = {t: [] for t in schema.relationships}
    rel_props = schema.relationship_properties
    for u, v, k, data in graph.edges(keys=True, data=True):
        rtype = data.get("type", k)
        spec = schema.relationships.get(rtype)
        if spec is None:
            raise GraphFileError(f"edge {u!r} -> {v!r}: relationship type {rtype!r} is not in the schema")
        lu, lv = graph.nodes[u].get("label"), graph.nodes[v].get("label")
        if (lu, lv) != (spec.source, spec.target):
            raise GraphFileError(
                f"edge {u!r} -[{rtype}]-> {v!r}: expected {spec.source} -> {spec.target}, got {lu} -> {lv}"
            )
        row = {n: _coerce(data.get(n), t) for n, t in rel_props.items()}
        row["s"], row["t"] = str(u), str(v)
        rels[rtype].append(row)
    return nodes, rels


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield list(rows[i : i + size])


# --------------------------------------------------------------------------- values


def _plain(value: Any) -> Any:
    """Driver values → plain Python: nodes/relationships become property dicts, paths lists."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node | Relationship):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str | bytes):
        return value
    iso = getattr(value, "iso_format", None)  # neo4j.time types
    if callable(iso):
        return iso()
    return value


# --------------------------------------------------------------------------- the store


class Neo4jStore:
    """A Neo4j database reached over Bolt; implements :class:`graphbuild.store.base.GraphStore`.

    Connects (and checks credentials and the database) on construction, so a
    wrong password or an unknown database fails here with one clear line.
    """

    dialect = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str | None = None,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_retry_seconds: float = 30.0,
        connection_timeout: float = 15.0,
    ) -> None:
        import neo4j

        if batch_size < 1:
            raise StoreError(f"batch size must be at least 1, got {batch_size}")
        self.uri = uri
        self.user = user
        self.database = database
        self.batch_size = batch_size
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=(user, password),
                max_transaction_retry_time=max_retry_seconds,
                connection_timeout=connection_timeout,
                notifications_min_severity="OFF",
            )
        except (ValueError, neo4j.exceptions.ConfigurationError) as e:
            raise StoreError(f"Neo4j URI {uri!r}: {e}") from None
        try:
            with self._translate():
                self._driver.verify_connectivity()
                with self._session() as s:
                    s.run("RETURN 1").consume()
        except StoreError:
            self._driver.close()
            raise

    @classmethod
    def from_options(cls, options: Any, **kwargs: Any) -> Neo4jStore:
        """From a :class:`graphbuild.store.neo4j_connect.Neo4jOptions`."""
        return cls(options.uri, options.user, options.password, options.database, **kwargs)

    # ----------------------------------------------------------------- plumbing

    @property
    def where(self) -> str:
        return f"{self.uri} (database {self.database or 'default'})"

    def _session(self) -> Any:
        return self._driver.session(database=self.database) if self.database else self._driver.session()

    @contextmanager
    def _translate(self) -> Iterator[None]:
        """Driver exceptions → paperkg's one-line errors."""
        from neo4j import exceptions as ne

        try:
            yield
        except ne.AuthError as e:
            raise StoreAuthError(
                f"Neo4j at {self.uri} refused user {self.user!r}: wrong user name or password "
                f"(set --user/--password or NEO4J_USERNAME/NEO4J_PASSWORD) [{e.code or 'auth'}]"
            ) from None
        except ne.Neo4jError as e:
            code = e.code or ""
            msg = (e.message or str(e)).strip()
            if code.endswith("Database.DatabaseNotFound"):
                raise DatabaseNotFoundError(
                    f"Neo4j at {self.uri} has no database {self.database!r}; "
                    "check --database / NEO4J_DATABASE (Community edition has only 'neo4j')"
                ) from None
            if ".Statement." in code or ".Procedure." in code or ".Schema." in code:
                raise CypherError(f"{msg} [{code}]") from None
            if code.startswith("Neo.TransientError") or isinstance(e, ne.DatabaseUnavailable):
                raise StoreUnavailableError(f"Neo4j at {self.where} is unavailable: {msg} [{code}]") from None
            raise StoreError(f"Neo4j at {self.where}: {msg} [{code}]") from None
        except (ne.ServiceUnavailable, ne.SessionExpired, ne.IncompleteCommit) as e:
            raise StoreUnavailableError(
                f"cannot reach Neo4j at {self.uri} ({_reason(e)}); is the server running and the URI right?"
            ) from None
        except ne.DriverError as e:
            raise StoreError(f"Neo4j at {self.where}: {type(e).__name__}: {_first_line(e)}") from None
        except OSError as e:
            raise StoreUnavailableError(f"cannot reach Neo4j at {self.uri}: {e}") from None

    # ----------------------------------------------------------------- GraphStore

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        """One statement in a managed transaction; values as plain Python."""

        def work(tx: Any) -> QueryResult:
            result = tx.run(cypher, dict(params or {}))
            columns = tuple(result.keys())
            rows = tuple(tuple(_plain(v) for v in record.values()) for record in result)
            return QueryResult(columns, rows)

        with self._translate(), self._session() as s:
            return s.execute_write(work) if write else s.execute_read(work)

    def ensure_schema(self) -> None:
        """Constraints and the full-text index (idempotent), then wait until they are online."""
        with self._translate(), self._session() as s:
            for stmt in schema_statements():
                s.run(stmt).consume()
            s.run("CALL db.awaitIndexes(300)").consume()

    def write_graph(
        self,
        graph: nx.MultiDiGraph,
        *,
        batch_size: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Neo4jLoadReport:
        """Merge the whole graph (idempotent, incremental); ``progress(n)`` after each batch of n rows.

        Raises :class:`StoreError` if the counts read back are short of the graph's.
        """
        t0 = time.perf_counter()
        schema = load_schema()
        size = batch_size or self.batch_size
        node_rows, rel_rows = graph_rows(graph, schema)
        self.ensure_schema()
        nodes_created = rels_created = 0
        phases: dict[str, float] = {"prepare": time.perf_counter() - t0}
        with self._translate(), self._session() as s:

            def write_all(name: str, stmt: str, rows: list[dict[str, Any]], kind: str, missing: str) -> int:
                tp = time.perf_counter()
                created_total = 0
                for batch in _batches(rows, size):
                    written, created = s.execute_write(_write_batch, stmt, batch)
                    created_total += created[kind]
                    if written != len(batch):
                        raise StoreError(f"{name}: wrote {written} of {len(batch)} {kind} in a batch{missing}")
                    if progress:
                        progress(len(batch))
                phases[name] = time.perf_counter() - tp
                return created_total

            for label, rows in node_rows.items():
                nodes_created += write_all(label, node_statement(label, schema), rows, "nodes", "")
            for rtype, rows in rel_rows.items():
                rels_created += write_all(
                    rtype, relationship_statement(rtype, schema), rows, "relationships",
                    " (an endpoint node is missing from the database)",
                )  # fmt: skip
            tp = time.perf_counter()
            for label, rows in node_rows.items():
                if label == "Paper" or not rows:
                    continue
                keys = [r["key"] for r in rows]
                for i in range(0, len(keys), size):
                    s.execute_write(_run_consume, paper_count_statement(label), {"keys": keys[i : i + size]})
            phases["paper_count"] = time.perf_counter() - tp
        tp = time.perf_counter()
        counts = self.counts()
        phases["counts"] = time.perf_counter() - tp
        expected_nodes = {label: len(rows) for label, rows in node_rows.items()}
        expected_rels = {t: len(rows) for t, rows in rel_rows.items()}
        short = [
            f"{name}: {counts_map.get(name, 0)} in database < {n} in graph"
            for counts_map, expected in (
                (counts.nodes, expected_nodes),
                (counts.relationships, expected_rels),
            )
            for name, n in expected.items()
            if counts_map.get(name, 0) < n
        ]
        if short:
            raise StoreError(f"load into {self.where} incomplete: " + "; ".join(short))
        seconds = time.perf_counter() - t0
        log.info(
            "loaded %d nodes, %d relationships into %s in %.1fs",
            graph.number_of_nodes(),
            graph.number_of_edges(),
            self.where,
            seconds,
        )
        return Neo4jLoadReport(
            nodes=counts.nodes,
            relationships=counts.relationships,
            seconds=seconds,
            expected_nodes=expected_nodes,
            expected_relationships=expected_rels,
            nodes_created=nodes_created,
            relationships_created=rels_created,
            phases=phases,
        )

    def counts(self) -> LoadReport:
        schema = load_schema()
        nodes: dict[str, int] = {}
        rels: dict[str, int] = {}
        with self._translate(), self._session() as s:
            # both forms are answered from Neo4j's count store, without scanning
            for label in schema.nodes:
                nodes[label] = s.run(f"MATCH (n:`{label}`) RETURN count(n) AS c").single()["c"]
            for rtype in schema.relationships:
                rels[rtype] = s.run(f"MATCH ()-[r:`{rtype}`]->() RETURN count(r) AS c").single()["c"]
        return LoadReport(nodes=nodes, relationships=rels)

    def wipe(self, batch_size: int = 10_000) -> int:
        """Delete paperkg's nodes and relationships (only its labels); returns nodes deleted.

        Constraints and the full-text index stay. Other data in the database is untouched.
        """
        schema = load_schema()
        deleted = 0
        with self._translate(), self._session() as s:
            # relationships first, in batches, so dense entity nodes never make one huge transaction;
            # CALL { WITH ... } (not CALL (x) { }) so any Neo4j 5 accepts it
            for rtype in schema.relationships:
                s.run(
                    f"MATCH ()-[r:`{rtype}`]->() CALL {{ WITH r DELETE r }} IN TRANSACTIONS OF {int(batch_size)} ROWS"
                ).consume()
            for label in schema.nodes:
                summary = s.run(
                    f"MATCH (n:`{label}`) CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF {int(batch_size)} ROWS"
                ).consume()
                deleted += summary.counters.nodes_deleted
        return deleted

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_batch(tx: Any, stmt: str, rows: list[dict[str, Any]]) -> tuple[int, dict[str, int]]:
    result = tx.run(stmt, rows=rows)
    written = result.single()["n"]
    c = result.consume().counters
    return written, {"nodes": c.nodes_created, "relationships": c.relationships_created}


def _run_consume(tx: Any, stmt: str, params: dict[str, Any]) -> None:
    tx.run(stmt, params).consume()


def _reason(e: BaseException) -> str:
    """The useful part of a connection error: ``[Errno 111] Connection refused`` rather than the driver's
    multi-line account of every address it tried."""
    text = " ".join(str(e).split())
    m = re.search(r"reason (.+?)\)?$", text) or re.search(r"(\[Errno [^]]+\] [^)]+)", text)
    if m:
        return m.group(1)
    return text if len(text) < 200 else text[:200] + "..."


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__
