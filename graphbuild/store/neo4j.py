"""The Neo4j store: an idempotent, batched loader and a Cypher runner over Bolt.

Loading follows the pattern that keeps large loads fast and re-runnable:

1. uniqueness constraints (one per label, on ``key``) are created first, so
   every ``MERGE`` is an index seek; the full-text index right after the nodes
   are written (a first load populates it in one pass, in the background);
2. nodes, then relationships, are written per label / per relationship type as
   ``UNWIND $rows AS row MERGE ... SET ...`` batches, one batch per managed
   transaction (the driver retries transient failures; MERGE makes a retried
   or re-run batch harmless). Rows are lists, not maps, and relationships
   travel grouped per source node, so each paper is looked up once, with the
   batch's distinct targets, so each entity is looked up once per batch;
3. a label or relationship type that has nothing in the database yet (a first
   load) is written with ``CREATE`` instead: a MERGE would only find nothing,
   at the price of a lookup and locks per row. Those batches may run on several
   sessions at once (``writers``). A re-run after a failure finds rows and
   MERGEs; a failed transaction leaves nothing, so it cannot duplicate. (Two
   loads started at the same moment into one empty database could: run one);
4. counts are read back from the database and checked against the graph.

Values only travel as parameters. Labels, relationship types and property
names are interpolated into Cypher, but they come from the fixed schema
(``graphbuild/data/schema.yaml``), never from input data.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

import networkx as nx

from graphbuild.errors import (
    CypherError,
    DatabaseNotFoundError,
    GraphFileError,
    StoreAuthError,
    StoreError,
    StoreUnavailableError,
    engine_message,
)
from graphbuild.schema import Schema, load_schema
from graphbuild.store.base import LoadReport, QueryResult

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 5000
#: sessions writing CREATE batches at once (a first load of a label or type); MERGE batches use one.
#: 2: while the server runs one batch the client packs and sends the next, and the server's non-commit
#: work overlaps; 1.25x on the 2-core test machine once the JVM is warm (no loss on a fresh one)
DEFAULT_WRITERS = 2
FULLTEXT_INDEX = "paperkg_fulltext"
#: every node and relationship a load writes carries the build id of its graph; after a load, paperkg elements
#: with another build id are removed, so the database equals the graph loaded last (unless ``prune=False``)
BUILD_PROPERTY = "build_id"
FULLTEXT_PROPERTIES = ("name", "title")


@dataclass(frozen=True)
class Neo4jLoadReport(LoadReport):
    """A :class:`LoadReport` plus what the graph expected and what this load created."""

    expected_nodes: Mapping[str, int] = field(default_factory=dict)
    expected_relationships: Mapping[str, int] = field(default_factory=dict)
    nodes_created: int = 0
    relationships_created: int = 0
    #: seconds per step: "prepare" (rows + constraints), each label, each relationship type, "paper_count",
    #: "fulltext" (waiting for the full-text index), "counts"
    phases: Mapping[str, float] = field(default_factory=dict)


def constraint_name(label: str) -> str:
    return f"paperkg_{label.lower()}_key"


def constraint_statements(schema: Schema | None = None) -> list[str]:
    """One uniqueness constraint per label on ``key`` (created before a load: every MERGE and MATCH by
    key is an index seek)."""
    schema = schema or load_schema()
    return [
        f"CREATE CONSTRAINT {constraint_name(label)} IF NOT EXISTS FOR (n:`{label}`) REQUIRE n.key IS UNIQUE"
        for label in schema.nodes
    ]


def fulltext_statement(schema: Schema | None = None) -> str:
    """The full-text index over every label's names and titles."""
    schema = schema or load_schema()
    labels = "|".join(f"`{label}`" for label in schema.nodes)
    props = ", ".join(f"n.`{p}`" for p in FULLTEXT_PROPERTIES)
    return f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{labels}) ON EACH [{props}]"


def schema_statements(schema: Schema | None = None) -> list[str]:
    """DDL of a load: the uniqueness constraints, then the full-text index."""
    return [*constraint_statements(schema), fulltext_statement(schema)]


def drop_schema_statements(schema: Schema | None = None) -> list[str]:
    """The reverse of :func:`schema_statements` (``wipe`` keeps both; a benchmark wants a fresh database)."""
    schema = schema or load_schema()
    return [
        f"DROP INDEX {FULLTEXT_INDEX} IF EXISTS",
        *(f"DROP CONSTRAINT {constraint_name(label)} IF EXISTS" for label in schema.nodes),
    ]


def node_columns(label: str, schema: Schema | None = None) -> list[str]:
    """A node row's columns: ``key`` first, then the label's other schema properties."""
    spec = (schema or load_schema()).nodes[label]
    return ["key", *(p for p in spec.properties if p != "key")]


def _set_clause(var: str, names: Sequence[str], row: str, first: int) -> str:
    # one SET per schema property (a missing value is null, which removes it): a re-load leaves exactly
    # the graph's values, and unlike `SET n = map` the planner needs no Eager barrier
    return ", ".join(f"{var}.`{p}` = {row}[{first + i}]" for i, p in enumerate(names))


def _props_map(names: Sequence[str], row: str, first: int) -> str:
    # CREATE's property map: a null value is simply not stored, exactly as SET ... = null leaves it
    return "{" + ", ".join(f"`{p}`: {row}[{first + i}]" for i, p in enumerate(names)) + "}"


def node_statement(label: str, schema: Schema | None = None, *, create: bool = False) -> str:
    """Rows are lists in :func:`node_columns` order; ``$build`` is the load's build id.
    ``create`` is only for a label with no node yet."""
    cols = node_columns(label, schema)
    if create:
        props = _props_map(cols, "row", 0)[:-1] + f", `{BUILD_PROPERTY}`: $build}}"
        return f"UNWIND $rows AS row CREATE (n:`{label}` {props}) RETURN count(*) AS n"
    return (
        f"UNWIND $rows AS row MERGE (n:`{label}` {{key: row[0]}}) "
        f"SET {_set_clause('n', cols[1:], 'row', 1)}, n.`{BUILD_PROPERTY}` = $build RETURN count(*) AS n"
    )


def relationship_statement(rel_type: str, schema: Schema | None = None, *, create: bool = False) -> str:
    """Parameters: ``targets``, the batch's distinct target keys, ``rows``, one per source node:
    ``[source key, [target index, ...], [[*relationship values], ...]]`` (an index points into ``targets``),
    and ``build``, the load's build id.

    Each target is looked up once per batch rather than once per relationship (popular entities recur
    in every batch), each source once per row. A missing endpoint drops its rows, so ``n`` falls short.
    ``create`` is only for a type with no relationship yet.
    """
    schema = schema or load_schema()
    spec = schema.relationships[rel_type]
    props = list(schema.relationship_properties)
    # ORDER BY i: collect keeps the targets' order, so position i holds targets[i] ([null] if it is missing)
    head = (
        f"UNWIND range(0, size($targets) - 1) AS i OPTIONAL MATCH (b:`{spec.target}` {{key: $targets[i]}}) "
        "WITH i, b ORDER BY i WITH collect([b]) AS bs "
        f"UNWIND $rows AS row MATCH (a:`{spec.source}` {{key: row[0]}}) "
        "UNWIND range(0, size(row[1]) - 1) AS j WITH a, bs[row[1][j]][0] AS b, row[2][j] AS e WHERE b IS NOT NULL "
    )
    if create:
        props_map = _props_map(props, "e", 0)[:-1] + f", `{BUILD_PROPERTY}`: $build}}"
        return head + f"CREATE (a)-[r:`{rel_type}` {props_map}]->(b) RETURN count(*) AS n"
    return head + (
        f"MERGE (a)-[r:`{rel_type}`]->(b) SET {_set_clause('r', props, 'e', 0)}, r.`{BUILD_PROPERTY}` = $build "
        "RETURN count(*) AS n"
    )


def paper_count_statement(label: str) -> str:
    # entity paper_count = distinct linking papers in the *database* (a load that keeps other builds' data)
    return (
        f"UNWIND $keys AS k MATCH (e:`{label}` {{key: k}}) "
        f"SET e.paper_count = COUNT {{ MATCH (p:Paper)-->(e) RETURN DISTINCT p }}"
    )


def prune_statements(schema: Schema | None = None, batch_size: int = 10_000) -> list[str]:
    """Delete paperkg's relationships, then nodes, whose build id is not ``$build`` (in batches).

    Run after a load, they leave exactly the loaded graph: what a rebuilt corpus no longer has is removed.
    """
    schema = schema or load_schema()
    stale = f"x.`{BUILD_PROPERTY}` IS NULL OR x.`{BUILD_PROPERTY}` <> $build"
    size = int(batch_size)
    # CALL { WITH ... } (not CALL (x) { }) so any Neo4j 5 accepts it
    return [
        *(f"MATCH ()-[x:`{t}`]->() WHERE {stale} CALL {{ WITH x DELETE x }} IN TRANSACTIONS OF {size} ROWS"
          for t in schema.relationships),
        *(f"MATCH (x:`{label}`) WHERE {stale} CALL {{ WITH x DETACH DELETE x }} IN TRANSACTIONS OF {size} ROWS"
          for label in schema.nodes),
    ]  # fmt: skip


# --------------------------------------------------------------------------- graph → rows


def _to_strings(value: Any) -> list[str]:
    return [str(v) for v in value]


#: schema type → conversion of a non-null value
_CONVERT: dict[str, Callable[[Any], Any]] = {"string[]": _to_strings, "int": int, "float": float, "string": str}
#: schema type → the Python type its conversion returns unchanged (string[] is always converted)
_EXACT: dict[str, type] = {"int": int, "float": float, "string": str}
_NONE = type(None)


class LoadSource(Protocol):
    """A graph as the loader reads it: rows per label and relationship groups per type, streamed.

    Node rows hold :func:`node_columns` values (``None`` when missing). A relationship group is
    ``[source key, [target key, ...], [[*relationship values], ...]]`` (values in
    ``schema.relationship_properties`` order; the i-th value row belongs to the i-th target): one group per
    source lets the server look each source up once and write its relationships side by side.
    Implemented by :class:`GraphRows` (a networkx graph) and :class:`graphbuild.tables.TableSource`
    (a build directory's tables, never all in memory).
    """

    build_id: str | None

    def expected_nodes(self) -> dict[str, int]: ...

    def expected_relationships(self) -> dict[str, int]: ...

    def node_rows(self, label: str) -> Iterable[list[Any]]: ...

    def relationship_groups(self, rel_type: str) -> Iterable[list[Any]]: ...


@dataclass(frozen=True)
class RelationshipRows:
    """One relationship type's groups (see :class:`LoadSource`) and its relationship count."""

    groups: list[list[Any]]
    count: int


@dataclass(frozen=True)
class GraphRows:
    """A networkx graph's rows, built and checked in memory before anything is written."""

    nodes: dict[str, list[list[Any]]]
    relationships: dict[str, RelationshipRows]
    build_id: str | None = None

    def expected_nodes(self) -> dict[str, int]:
        return {label: len(rows) for label, rows in self.nodes.items()}

    def expected_relationships(self) -> dict[str, int]:
        return {t: rows.count for t, rows in self.relationships.items()}

    def node_rows(self, label: str) -> Iterable[list[Any]]:
        return self.nodes.get(label, [])

    def relationship_groups(self, rel_type: str) -> Iterable[list[Any]]:
        rows = self.relationships.get(rel_type)
        return rows.groups if rows is not None else []


def graph_rows(graph: nx.MultiDiGraph, schema: Schema | None = None) -> GraphRows:
    """Node rows per label and relationship rows per type, as lists (smaller on the wire than maps).

    Raises :class:`GraphFileError` for a node or edge the schema does not allow, or a second edge of
    one type between the same two nodes (the database holds one).
    """
    schema = schema or load_schema()
    labels, nodes = _node_rows(graph, schema)
    return GraphRows(nodes, _relationship_rows(graph, schema, labels), graph.graph.get("build_id"))


def _node_rows(graph: nx.MultiDiGraph, schema: Schema) -> tuple[dict[Any, str], dict[str, list[list[Any]]]]:
    nodes: dict[str, list[list[Any]]] = {label: [] for label in schema.nodes}
    converters = {
        label: [(name, _CONVERT[ptype]) for name, ptype in spec.properties.items() if name != "key"]
        for label, spec in schema.nodes.items()
    }
    labels: dict[Any, str] = {}
    for key, data in graph.nodes(data=True):
        label = data.get("label")
        if label not in converters:
            raise GraphFileError(f"node {key!r}: label {label!r} is not in the schema ({', '.join(schema.nodes)})")
        labels[key] = label
        row = [None if (x := data.get(name)) is None else conv(x) for name, conv in converters[label]]
        nodes[label].append([str(key), *row])
    return labels, nodes


def _relationship_rows(graph: nx.MultiDiGraph, schema: Schema, labels: dict[Any, str]) -> dict[str, RelationshipRows]:
    by_source: dict[str, dict[Any, list[Any]]] = {t: {} for t in schema.relationships}
    ends = {t: (spec.source, spec.target) for t, spec in schema.relationships.items()}
    rel_props = [(name, _CONVERT[ptype]) for name, ptype in schema.relationship_properties.items()]
    names = [name for name, _ in rel_props]
    # value types that need no conversion (str(x) is x for a str, and so on): most rows have one of a few
    # type signatures, checked once each instead of converting every value
    exact = [_EXACT.get(ptype) for ptype in schema.relationship_properties.values()]
    plain: set[tuple[type, ...]] = set()
    seen: set[tuple[str, str, str]] = set()
    for u, v, k, data in graph.edges(keys=True, data=True):
        rtype = data.get("type", k)
        pair = ends.get(rtype)
        if pair is None:
            raise GraphFileError(f"edge {u!r} -> {v!r}: relationship type {rtype!r} is not in the schema")
        if labels[u] != pair[0] or labels[v] != pair[1]:
            raise GraphFileError(
                f"edge {u!r} -[{rtype}]-> {v!r}: expected {pair[0]} -> {pair[1]}, got {labels[u]} -> {labels[v]}"
            )
        if k != rtype:  # (u, v, key) is unique in the graph: (u, v, type) can only repeat through other keys
            same = graph.get_edge_data(u, v, key=rtype)
            if (u, v, rtype) in seen or (same is not None and same.get("type", rtype) == rtype):
                raise GraphFileError(f"edge {u!r} -[{rtype}]-> {v!r} appears twice (one per type is allowed)")
            seen.add((u, v, rtype))
        row = list(map(data.get, names))
        sig = tuple(map(type, row))
        if sig not in plain:
            if all(t is _NONE or t is want for t, want in zip(sig, exact, strict=True)):
                plain.add(sig)
            else:
                row = [None if x is None else conv(x) for x, (_, conv) in zip(row, rel_props, strict=True)]
        group = by_source[rtype].get(u)
        if group is None:
            group = by_source[rtype][u] = [str(u), [], []]
        group[1].append(str(v))
        group[2].append(row)
    return {
        t: RelationshipRows(list(groups.values()), sum(len(g[1]) for g in groups.values()))
        for t, groups in by_source.items()
    }


def _batches(rows: Iterable[list[Any]], size: int) -> Iterator[tuple[dict[str, Any], int]]:
    """Node rows in batches of ``size``: ``({"rows": batch}, row count)``."""
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield {"rows": batch}, len(batch)


def _relationship_batches(groups: Iterable[list[Any]], size: int) -> Iterator[tuple[dict[str, Any], int]]:
    """Source groups in batches of about ``size`` relationships (a group is never split), as
    :func:`relationship_statement`'s parameters, each with its relationship count."""
    batch: list[list[Any]] = []
    index: dict[str, int] = {}
    n = 0
    for src, targets, values in groups:
        # each target key becomes its position in the batch's target list
        batch.append([src, [index.setdefault(t, len(index)) for t in targets], values])
        n += len(targets)
        if n >= size:
            yield {"targets": list(index), "rows": batch}, n
            batch, index, n = [], {}, 0
    if batch:
        yield {"targets": list(index), "rows": batch}, n


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
        writers: int = DEFAULT_WRITERS,
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
        self.writers = max(1, writers)
        self._verified_reads: set[str] = set()  # statements whose plan was checked to be a read
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
                raise CypherError(f"{engine_message(msg)} [{code}]") from None
            if code.startswith("Neo.TransientError") or isinstance(e, ne.DatabaseUnavailable):
                raise StoreUnavailableError(
                    f"Neo4j at {self.where} is unavailable: {engine_message(msg)} [{code}]"
                ) from None
            raise StoreError(f"Neo4j at {self.where}: {engine_message(msg)} [{code}]") from None
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
        """One statement in a managed transaction; values as plain Python.

        Without ``write``: refused unless the text and the server's plan are a plain read
        (:mod:`graphbuild.store.write_guard`), then run in a READ access-mode session."""
        from graphbuild.store.params import check_params
        from graphbuild.store.write_guard import ensure_parsable

        ensure_parsable(cypher)
        values = check_params(params)
        if not write:
            self._ensure_read(cypher, values)

        def work(tx: Any) -> QueryResult:
            result = tx.run(cypher, values)
            columns = tuple(result.keys())
            rows = tuple(tuple(_plain(v) for v in record.values()) for record in result)
            return QueryResult(columns, rows)

        with self._translate(), self._session() as s:
            return s.execute_write(work) if write else s.execute_read(work)

    def _ensure_read(self, cypher: str, params: dict[str, Any]) -> None:
        """The text check, then the server's own plan (EXPLAIN runs nothing); each text is planned once."""
        from graphbuild.store.write_guard import (
            ensure_read_only,
            explain_statement,
            plan_refusal,
            refusal,
            unexplain,
        )

        ensure_read_only(cypher)
        verified = self._verified_reads
        explain = explain_statement(cypher)
        if explain is None or cypher in verified:
            return
        try:
            with self._translate(), self._session() as s:
                summary = s.execute_read(lambda tx: tx.run(explain, params).consume())
        except CypherError as e:  # a syntax error: say it of the statement as given, not of its EXPLAIN
            raise CypherError(unexplain(str(e), cypher, explain)) from None
        why = plan_refusal(summary.query_type, summary.plan)
        if why is not None:
            raise refusal(why)
        if len(verified) < 1024:
            verified.add(cypher)

    def ensure_schema(self, *, fulltext: bool = True) -> None:
        """Constraints and (unless ``fulltext`` is false) the full-text index, idempotent; then wait until
        they are online."""
        with self._translate(), self._session() as s:
            for stmt in schema_statements() if fulltext else constraint_statements():
                s.run(stmt).consume()
            s.run("CALL db.awaitIndexes(300)").consume()

    def write_graph(
        self,
        graph: nx.MultiDiGraph | LoadSource,
        *,
        batch_size: int | None = None,
        progress: Callable[[int], None] | None = None,
        prune: bool = True,
    ) -> Neo4jLoadReport:
        """Load a graph (a networkx graph, or a :class:`LoadSource` such as a build directory's tables).

        Every element written carries the graph's build id (a fresh one if it has none). With ``prune``
        (the default), paperkg elements of other builds are removed afterwards, so the database equals a
        fresh load of this graph: a rebuilt corpus's gone entities and links disappear. ``prune=False``
        merges into what is there and recounts ``paper_count`` in the database. Idempotent either way;
        ``progress(n)`` after each batch of n rows. Raises :class:`StoreError` if the counts read back
        differ from the graph's.
        """
        source = graph_rows(graph) if isinstance(graph, nx.MultiDiGraph) else graph
        build_id = source.build_id or uuid.uuid4().hex
        return _Load(self, source, build_id, batch_size or self.batch_size, progress, prune).run()

    def _write_batches(
        self, session: Any, stmt: str, batches: Iterator[tuple[dict[str, Any], int]], writers: int
    ) -> Iterator[tuple[tuple[int, dict[str, int]], int]]:
        """``((rows written, counters), rows in batch)`` per batch, in batch order; each batch is one
        managed transaction, on ``session`` or, with ``writers`` > 1, on that many sessions at once."""
        if writers <= 1:
            for batch, n in batches:
                yield session.execute_write(_write_batch, stmt, batch), n
            return
        from concurrent.futures import Future, ThreadPoolExecutor

        def one(batch: dict[str, Any]) -> tuple[int, dict[str, int]]:
            with self._session() as s:
                return s.execute_write(_write_batch, stmt, batch)

        pool = ThreadPoolExecutor(writers, thread_name_prefix="paperkg-neo4j-writer")
        # a bounded window: one batch per writer in flight and one ready to send. Submitting every batch
        # at once held a whole relationship table in memory (1.4 GB client RSS on the 157k build).
        pending: deque[tuple[Future[tuple[int, dict[str, int]]], int]] = deque()
        try:
            for batch, n in batches:
                pending.append((pool.submit(one, batch), n))
                if len(pending) > writers:
                    future, m = pending.popleft()
                    yield future.result(), m
            while pending:
                future, m = pending.popleft()
                yield future.result(), m
        finally:
            # a failed batch: drop the batches not started, let the running ones end
            pool.shutdown(wait=True, cancel_futures=True)

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


@dataclass
class _Load:
    """One load: the steps of :meth:`Neo4jStore.write_graph`, each a small method."""

    store: Neo4jStore
    source: LoadSource
    build_id: str
    size: int
    progress: Callable[[int], None] | None
    prune: bool
    schema: Schema = field(default_factory=load_schema)
    phases: dict[str, float] = field(default_factory=dict)

    def run(self) -> Neo4jLoadReport:
        t0 = time.perf_counter()
        store = self.store
        expected_nodes, expected_rels = self.source.expected_nodes(), self.source.expected_relationships()
        store.ensure_schema(fulltext=False)
        # a label or type with nothing in the database yet is written with CREATE (no lookup per row: a
        # MERGE would find nothing). Safe to re-run: a load that stopped half-way left rows, so the
        # re-run MERGEs; a failed batch transaction rolls back whole (retries included).
        before = store.counts()
        self.phases["prepare"] = time.perf_counter() - t0
        with store._translate(), store._session() as s:
            nodes_created = sum(self._nodes(s, label, not before.nodes.get(label)) for label in self.schema.nodes)
            # the full-text index after the nodes: on a first load Lucene indexes them in one background
            # population (on another core, while the relationships load) instead of once per transaction
            s.run(fulltext_statement(self.schema)).consume()
            rels = before.relationships
            rels_created = sum(self._relationships(s, t, not rels.get(t)) for t in self.schema.relationships)
            had_data = any(before.nodes.values()) or any(before.relationships.values())
            if self.prune and had_data:
                self._timed("prune", self._prune, s)
            elif not self.prune:
                self._timed("paper_count", self._recount, s)
            self._timed("fulltext", lambda: s.run("CALL db.awaitIndexes(300)").consume())
        counts = self._timed("counts", store.counts)
        _check_counts(store.where, counts, expected_nodes, expected_rels, exact=self.prune)
        seconds = time.perf_counter() - t0
        log.info("loaded %d nodes, %d relationships into %s in %.1fs",
                 sum(expected_nodes.values()), sum(expected_rels.values()), store.where, seconds)  # fmt: skip
        return Neo4jLoadReport(
            nodes=counts.nodes, relationships=counts.relationships, seconds=seconds,
            expected_nodes=expected_nodes, expected_relationships=expected_rels,
            nodes_created=nodes_created, relationships_created=rels_created, phases=dict(self.phases),
        )  # fmt: skip

    def _timed(self, name: str, fn: Callable[..., Any], *args: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.perf_counter() - t

    def _nodes(self, session: Any, label: str, create: bool) -> int:
        stmt = node_statement(label, self.schema, create=create)
        batches = _batches(self.source.node_rows(label), self.size)
        # CREATE batches touch disjoint keys and take no lock another batch waits for, so they may run side
        # by side; MERGE batches lock their nodes and stay serial
        return self._timed(label, self._write_all, session, label, stmt, batches, "nodes", "", create)

    def _relationships(self, session: Any, rtype: str, create: bool) -> int:
        stmt = relationship_statement(rtype, self.schema, create=create)
        batches = _relationship_batches(self.source.relationship_groups(rtype), self.size)
        missing = " (an endpoint node is missing from the database)"
        return self._timed(rtype, self._write_all, session, rtype, stmt, batches, "relationships", missing, create)

    def _write_all(
        self, session: Any, name: str, stmt: str, batches: Iterator[tuple[dict[str, Any], int]],
        kind: str, missing: str, create: bool,
    ) -> int:  # fmt: skip
        created_total = 0
        writers = self.store.writers if create else 1
        params = (({**batch, "build": self.build_id}, n) for batch, n in batches)
        with closing(self.store._write_batches(session, stmt, params, writers)) as results:
            for (written, created), n in results:
                created_total += created[kind]
                if written != n:
                    raise StoreError(f"{name}: wrote {written} of {n} {kind} in a batch{missing}")
                if self.progress:
                    self.progress(n)
        return created_total

    def _prune(self, session: Any) -> None:
        for stmt in prune_statements(self.schema):
            session.run(stmt, {"build": self.build_id}).consume()

    def _recount(self, session: Any) -> None:
        for label in self.schema.nodes:
            if label == "Paper":
                continue
            keys = [row[0] for row in self.source.node_rows(label)]
            for i in range(0, len(keys), self.size):
                session.execute_write(_run_consume, paper_count_statement(label), {"keys": keys[i : i + self.size]})


def _check_counts(
    where: str, counts: LoadReport, nodes: Mapping[str, int], rels: Mapping[str, int], *, exact: bool
) -> None:
    """The database must hold the graph's counts: exactly after a pruning load, at least after a merge."""
    wrong = [
        f"{name}: {got} in database {'!=' if exact else '<'} {n} in graph"
        for have, want in ((counts.nodes, nodes), (counts.relationships, rels))
        for name, n in want.items()
        if (got := have.get(name, 0)) != n and (exact or got < n)
    ]
    if wrong:
        raise StoreError(f"load into {where} incomplete: " + "; ".join(wrong))


def _write_batch(tx: Any, stmt: str, params: dict[str, Any]) -> tuple[int, dict[str, int]]:
    result = tx.run(stmt, params)
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
