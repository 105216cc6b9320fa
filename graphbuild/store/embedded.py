"""The embedded graph store: LadybugDB (the maintained fork of Kùzu), no server needed.

The database file (``<build dir>/graph.lbug``) is a rebuildable cache of
``graph.json``: :func:`ensure_embedded` rebuilds it whenever it is missing or
older than ``graph.json``. Loading is a bulk ``COPY`` from temporary Parquet
files (Parquet, not CSV, because Ladybug's CSV reader cannot round-trip string
lists, empty strings or quoted newlines); tables are derived from
``graphbuild/data/schema.yaml``.

Ladybug allows one writer process at a time; a locked database raises
:class:`StoreUnavailableError` instead of the engine's IO exception.
"""

from __future__ import annotations

import errno
import logging
import os
import tempfile
import time
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx

from graphbuild.errors import CypherError, QueryParameterError, StoreError, StoreUnavailableError
from graphbuild.graph import GRAPH_FILE, load_graph
from graphbuild.schema import Schema, load_schema
from graphbuild.store.base import LoadReport, QueryResult
from graphbuild.store.write_guard import ensure_parsable, ensure_read_only

log = logging.getLogger(__name__)

DB_FILE = "graph.lbug"

#: schema.yaml property type → Ladybug column type
_COLUMN_TYPES = {"string": "STRING", "int": "INT64", "float": "DOUBLE", "string[]": "STRING[]"}

#: after a COPY of at least this many rows the database is closed, its freed memory handed back to the OS
#: and the database reopened: the engine keeps the pages and working memory of every COPY until it is
#: closed, and the C library keeps what the engine's threads freed, so the load's peak was the sum of its
#: tables (1M papers alone: 2.39 GB) instead of the largest one (1.98 GB); small loads skip the reopen
_REOPEN_AFTER_ROWS = 200_000


def _column_type(schema_type: str) -> str:
    try:
        return _COLUMN_TYPES[schema_type]
    except KeyError:
        raise ValueError(f"schema.yaml: property type {schema_type!r} has no Ladybug column type") from None


def schema_ddl(schema: Schema | None = None) -> list[str]:
    """``CREATE NODE TABLE`` / ``CREATE REL TABLE`` statements for the paperkg schema."""
    s = schema or load_schema()
    stmts = []
    for spec in s.nodes.values():
        cols = ", ".join(f"`{name}` {_column_type(t)}" for name, t in spec.properties.items())
        stmts.append(f"CREATE NODE TABLE {spec.label}({cols}, PRIMARY KEY(`key`))")
    rel_cols = ", ".join(f"`{name}` {_column_type(t)}" for name, t in s.relationship_properties.items())
    for rel in s.relationships.values():
        stmts.append(f"CREATE REL TABLE {rel.type}(FROM {rel.source} TO {rel.target}, {rel_cols})")
    return stmts


def _arrow_type(schema_type: str) -> Any:
    import pyarrow as pa

    return {
        "string": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "string[]": pa.list_(pa.string()),
    }[schema_type]


def _convert(value: Any, schema_type: str) -> Any:
    if value is None:
        return None
    if schema_type == "int":
        return int(value)
    if schema_type == "float":
        return float(value)
    if schema_type == "string[]":
        return [str(v) for v in value]
    return str(value)


def _write_parquet(path: Path, columns: dict[str, str], rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = []
    for name, t in columns.items():
        values = [r.get(name) for r in rows]
        try:
            arrays.append(pa.array(values, type=_arrow_type(t)))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            # values of a looser type (numpy ints, tuples, numeric strings): convert one by one
            arrays.append(pa.array([_convert(v, t) for v in values], type=_arrow_type(t)))
    pq.write_table(pa.Table.from_arrays(arrays, names=list(columns)), path)


def _is_lock_error(message: str) -> bool:
    return "lock" in message.lower()


def _engine_message(e: Exception) -> str:
    # Ladybug appends a docs link on a second line; the first line is the message
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


#: Ladybug's messages for a failure of the engine or the machine (exit 1); any other message rejects the
#: statement or its values (the user's input, exit 2)
_ENGINE_FAILURES = ("Buffer manager exception", "IO exception", "Storage exception", "Internal exception",
                    "Checkpoint failed", "Runtime exception: WAL", "Interrupted")  # fmt: skip


def _plain(value: Any) -> Any:
    """Engine values → plain Python (nodes/relationships become property dicts).

    ``sum()`` of INT64 is INT128 in Ladybug and arrives as ``Decimal``; Neo4j
    returns ``int``, so integral decimals become ints and others floats.
    """
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class EmbeddedStore:
    """A LadybugDB database file; implements :class:`graphbuild.store.base.GraphStore`."""

    dialect = "ladybug"

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreUnavailableError(f"{self.path}: no embedded database here")
        self._open()

    def _open(self) -> None:
        import ladybug

        try:
            self._db = ladybug.Database(str(self.path), read_only=self.read_only)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as e:
            msg = _engine_message(e)
            if _is_lock_error(msg):
                raise StoreUnavailableError(
                    f"{self.path}: the embedded database is in use by another paperkg process "
                    "(one writer at a time); wait for it to finish and retry"
                ) from None
            raise StoreUnavailableError(f"{self.path}: cannot open the embedded database ({msg})") from None

    # ----------------------------------------------------------------- protocol

    def write_graph(self, graph: nx.MultiDiGraph) -> LoadReport:
        """Replace the database's contents with ``graph`` (bulk COPY; idempotent).

        The embedded database mirrors one ``graph.json``, so a write replaces
        rather than merges: re-writing the same graph leaves identical contents.
        """
        t0 = time.perf_counter()
        schema = load_schema()
        self._drop_tables(schema)
        for stmt in schema_ddl(schema):
            self._execute(stmt)
        nodes: dict[str, list[dict[str, Any]]] = {label: [] for label in schema.nodes}
        for key, attrs in graph.nodes(data=True):
            label = attrs.get("label") or schema.label_of_key(key)
            nodes[label].append({**attrs, "key": key})
        rels: dict[str, list[dict[str, Any]]] = {rel: [] for rel in schema.relationships}
        for u, v, k, attrs in graph.edges(keys=True, data=True):
            rels[attrs.get("type", k)].append({**attrs, "from": u, "to": v})
        with tempfile.TemporaryDirectory(prefix="paperkg-copy-") as tmp:
            for label, rows in nodes.items():
                if rows:
                    self._copy(Path(tmp) / f"{label}.parquet", label, schema.nodes[label].properties, rows)
            rel_columns = {"from": "string", "to": "string", **schema.relationship_properties}
            for rel, rows in rels.items():
                if rows:
                    self._copy(Path(tmp) / f"{rel}.parquet", rel, rel_columns, rows)
        report = self.counts()
        seconds = time.perf_counter() - t0
        log.info("embedded store %s loaded in %.2f s", self.path, seconds)
        return LoadReport(report.nodes, report.relationships, seconds)

    def write_tables(self, tables_dir: str | Path) -> LoadReport:
        """Replace the database's contents with a build directory's tables (``COPY`` of each Parquet file)."""
        from graphbuild.tables import node_path, relationship_path, table_counts

        t0 = time.perf_counter()
        schema = load_schema()
        self._drop_tables(schema)
        for stmt in schema_ddl(schema):
            self._execute(stmt)
        counts = table_counts(tables_dir)
        for label, n in counts.nodes.items():
            if n:
                self._copy_file(label, node_path(tables_dir, label), n)
        for rel, n in counts.relationships.items():
            if n:
                self._copy_file(rel, relationship_path(tables_dir, rel), n)
        report = self.counts()
        return LoadReport(report.nodes, report.relationships, time.perf_counter() - t0)

    def run(
        self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> QueryResult:
        from graphbuild.store.params import check_params

        ensure_parsable(cypher)
        if not write:
            ensure_read_only(cypher)
        result = self._execute(cypher, check_params(params, self.dialect))
        columns = tuple(result.get_column_names())
        rows = tuple(tuple(_plain(v) for v in row) for row in result.get_all())
        return QueryResult(columns, rows)

    def counts(self) -> LoadReport:
        schema = load_schema()
        tables = self._tables()
        nodes = {}
        for label in schema.nodes:
            nodes[label] = self._scalar(f"MATCH (n:{label}) RETURN count(n)") if label in tables else 0
        rels = {}
        for rel in schema.relationships:
            rels[rel] = self._scalar(f"MATCH ()-[r:{rel}]->() RETURN count(r)") if rel in tables else 0
        return LoadReport(nodes, rels)

    def close(self) -> None:
        conn, db = getattr(self, "_conn", None), getattr(self, "_db", None)
        self._conn = self._db = None
        if conn is not None:
            conn.close()
        if db is not None:
            db.close()

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- helpers

    def _execute(self, cypher: str, params: dict[str, Any] | None = None) -> Any:
        if self._conn is None:
            raise StoreUnavailableError(f"{self.path}: the embedded store is closed")
        try:
            result = self._conn.execute(cypher, params or None)
        except RuntimeError as e:
            msg = _engine_message(e)
            if msg.startswith(_ENGINE_FAILURES):
                raise StoreError(f"{self.path}: the embedded engine failed: {msg}") from None
            raise CypherError(msg) from None
        except (ValueError, TypeError, OverflowError) as e:  # the driver converting a parameter value
            raise QueryParameterError(f"a parameter value the embedded store cannot take ({e})") from None
        # several statements in one string give a list; the last one is the answer
        return result[-1] if isinstance(result, list) else result

    def _scalar(self, cypher: str) -> int:
        rows = self._execute(cypher).get_all()
        return int(rows[0][0]) if rows else 0

    def _tables(self) -> set[str]:
        return {row[0] for row in self._execute("CALL show_tables() RETURN name").get_all()}

    def _drop_tables(self, schema: Schema) -> None:
        existing = self._tables()
        # relationship tables first: a node table cannot be dropped while referenced
        for name in [*schema.relationships, *schema.nodes]:
            if name in existing:
                self._execute(f"DROP TABLE {name}")

    def _copy_file(self, table: str, path: Path, rows: int) -> None:
        # the file path is the build's own table, never user text; Ladybug takes no parameter here
        self._execute(f"COPY {table} FROM '{path.resolve().as_posix()}'")
        if rows >= _REOPEN_AFTER_ROWS:
            from graphbuild.heap import release_memory

            self.close()
            release_memory()
            self._open()

    def _copy(self, path: Path, table: str, columns: dict[str, str], rows: list[dict[str, Any]]) -> None:
        _write_parquet(path, columns, rows)
        # the file path is ours (a temp dir), never user text; Ladybug takes no parameter here
        self._execute(f"COPY {table} FROM '{path.as_posix()}'")


# --------------------------------------------------------------------- build dirs


def db_path(out_dir: str | Path) -> Path:
    return Path(out_dir) / DB_FILE


def is_stale(out_dir: str | Path) -> bool:
    """True when the database is missing or older than ``graph.json``."""
    graph_file, db = Path(out_dir) / GRAPH_FILE, db_path(out_dir)
    if not db.exists():
        return True
    return graph_file.exists() and graph_file.stat().st_mtime > db.stat().st_mtime


def write_embedded(graph: nx.MultiDiGraph | None, out_dir: str | Path, *, tables: str | Path | None = None) -> Path:
    """Write ``graph`` (or a build's ``tables``) as ``<out_dir>/graph.lbug`` (built aside, then swapped in
    atomically)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    final = db_path(out)
    tmp = out / f".{DB_FILE}.{os.getpid()}.tmp"
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    try:
        store = EmbeddedStore(tmp)
        try:
            if tables is not None:
                store.write_tables(tables)
            else:
                assert graph is not None
                store.write_graph(graph)
        except CypherError as e:
            # the engine says "committed data is durable" even when the disk filled: the real cause
            if "No space left on device" in str(e):
                raise OSError(errno.ENOSPC, "No space left on device", str(final)) from None
            raise
        finally:
            store.close()
        os.replace(tmp, final)
        Path(str(final) + ".wal").unlink(missing_ok=True)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return final


def ensure_embedded(out_dir: str | Path) -> Path:
    """The database of a build directory, rebuilt from ``graph.json`` if missing or stale."""
    out = Path(out_dir)
    graph_file = out / GRAPH_FILE
    if not graph_file.exists() and not db_path(out).exists():
        raise StoreUnavailableError(f"{out}: no graph.json here; run `paperkg build INPUT --out {out}` first")
    if is_stale(out):
        _rebuild(out)
    return db_path(out)


def _rebuild(out: Path) -> None:
    """From the build's tables (streamed, any size) unless graph.json is newer (edited by hand)."""
    from graphbuild.tables import TABLES_DIR, has_tables, node_path

    graph_file = out / GRAPH_FILE
    tables = out / TABLES_DIR
    if has_tables(out) and (
        not graph_file.exists() or node_path(tables, "Paper").stat().st_mtime >= graph_file.stat().st_mtime - 1
    ):
        log.info("rebuilding the embedded database from %s", tables)
        write_embedded(None, out, tables=tables)
    else:
        log.info("rebuilding the embedded database from %s", graph_file)
        write_embedded(load_graph(graph_file), out)


def open_embedded(out_dir: str | Path, *, write: bool = False) -> EmbeddedStore:
    """Open a build directory's embedded store (read-only unless ``write``), rebuilding it first if stale.

    A database file that cannot be opened (e.g. written by another Ladybug
    version, or damaged) is rebuilt from ``graph.json`` once: it is only a cache.
    """
    out = Path(out_dir)
    db = ensure_embedded(out)
    try:
        return EmbeddedStore(db, read_only=not write)
    except StoreUnavailableError as e:
        if "in use by another" in str(e) or not (out / GRAPH_FILE).exists():
            raise
        log.warning("rebuilding the unreadable embedded database %s (%s)", db, e)
        _rebuild(out)
        return EmbeddedStore(db, read_only=not write)
