"""The graph of a build directory as Parquet tables: streamed in by the build, streamed out by every reader.

``OUT/tables/nodes/<Label>.parquet`` has one column per schema property (``key`` first);
``OUT/tables/relationships/<TYPE>.parquet`` has ``from``, ``to`` and the relationship properties, the
links of one paper side by side. Columns and types come from ``graphbuild/data/schema.yaml``. The
embedded store copies these files as they are (LadybugDB ``COPY``); ``graph.json``, the Neo4j loader
(:class:`TableSource`) and the viewer's streams (:func:`read_graph_streams`) read them in batches, so no
reader holds the whole graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphbuild.graph import EntityNodes, PaperElements, paper_elements
from graphbuild.model import PaperExtraction
from graphbuild.schema import Schema, load_schema

TABLES_DIR = "tables"
NODES, RELATIONSHIPS = "nodes", "relationships"
ROW_GROUP = 20_000


def _arrow(schema_type: str) -> Any:
    import pyarrow as pa

    return {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "string[]": pa.list_(pa.string())}[
        schema_type
    ]


def node_columns(label: str, schema: Schema | None = None) -> dict[str, str]:
    props = (schema or load_schema()).nodes[label].properties
    return {"key": props["key"], **{p: t for p, t in props.items() if p != "key"}}


def relationship_columns(schema: Schema | None = None) -> dict[str, str]:
    return {"from": "string", "to": "string", **(schema or load_schema()).relationship_properties}


def node_path(directory: str | Path, label: str) -> Path:
    return Path(directory) / NODES / f"{label}.parquet"


def relationship_path(directory: str | Path, rel_type: str) -> Path:
    return Path(directory) / RELATIONSHIPS / f"{rel_type}.parquet"


class _TableFile:
    """One Parquet file written in row groups from buffered rows."""

    def __init__(self, path: Path, columns: dict[str, str]) -> None:
        self.path = path
        self.columns = columns
        self.buffer: list[list[Any]] = []
        self.rows = 0
        self._writer: Any = None

    def add(self, row: list[Any]) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.buffer and self._writer is not None:
            return
        columns = list(zip(*self.buffer, strict=True)) if self.buffer else [() for _ in self.columns]
        arrays = [pa.array(col, type=_arrow(t)) for col, t in zip(columns, self.columns.values(), strict=True)]
        table = pa.Table.from_arrays(arrays, names=list(self.columns))
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.path, table.schema, compression="zstd")
        self._writer.write_table(table)
        self.rows += len(self.buffer)
        self.buffer = []

    def close(self) -> None:
        self.flush()
        self._writer.close()


@dataclass
class TableCounts:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.nodes.values()) + sum(self.relationships.values())


class GraphTables:
    """Writes a graph's tables paper by paper; entity nodes at :meth:`close` (they need every paper)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.schema = load_schema()
        self._nodes = {label: _TableFile(node_path(directory, label), node_columns(label))
                       for label in self.schema.nodes}  # fmt: skip
        rel_cols = relationship_columns(self.schema)
        self._rels = {t: _TableFile(relationship_path(directory, t), rel_cols) for t in self.schema.relationships}
        self._paper_cols = list(node_columns("Paper"))[1:]
        self._rel_cols = list(self.schema.relationship_properties)
        self.entities = EntityNodes()

    def add(self, ex: PaperExtraction) -> PaperElements:
        el = paper_elements(ex)
        self._nodes["Paper"].add([el.key, *map(el.attrs.get, self._paper_cols)])
        touch = self.entities.touch
        for t in el.entities:
            touch(t)
        rels, cols, key = self._rels, self._rel_cols, el.key
        for target, rel, a in el.links:
            rels[rel].add([key, target, *map(a.get, cols)])
        return el

    def close(self) -> TableCounts:
        for key, attrs in self.entities.finished().items():
            label = attrs["label"]
            cols = self._nodes[label].columns
            self._nodes[label].add([key, *map(attrs.get, list(cols)[1:])])
        counts = TableCounts()
        for label, f in self._nodes.items():
            f.close()
            counts.nodes[label] = f.rows
        for rel, f in self._rels.items():
            f.close()
            counts.relationships[rel] = f.rows
        return counts


# ----------------------------------------------------------------------------- reading


def has_tables(out_dir: str | Path) -> bool:
    return (Path(out_dir) / TABLES_DIR / NODES / "Paper.parquet").is_file()


def table_counts(tables_dir: str | Path) -> TableCounts:
    """Row counts from the files' metadata (nothing is read)."""
    import pyarrow.parquet as pq

    schema = load_schema()
    counts = TableCounts()
    for label in schema.nodes:
        counts.nodes[label] = pq.ParquetFile(node_path(tables_dir, label)).metadata.num_rows
    for rel in schema.relationships:
        counts.relationships[rel] = pq.ParquetFile(relationship_path(tables_dir, rel)).metadata.num_rows
    return counts


def iter_rows(
    path: str | Path, columns: list[str] | None = None, batch_size: int = 10_000
) -> Iterator[tuple[Any, ...]]:
    """Rows of one table as tuples, one batch in memory at a time."""
    import pyarrow.parquet as pq

    f = pq.ParquetFile(path)
    for batch in f.iter_batches(batch_size=batch_size, columns=columns):
        yield from zip(*(col.to_pylist() for col in batch.columns), strict=True)


def iter_nodes(tables_dir: str | Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(key, attributes)`` of every node as in graph.json (``label`` set, missing values left out)."""
    schema = load_schema()
    for label in schema.nodes:
        names = list(node_columns(label, schema))
        for row in iter_rows(node_path(tables_dir, label)):
            attrs = {"label": label}
            attrs.update((n, v) for n, v in zip(names[1:], row[1:], strict=True) if v is not None)
            yield row[0], attrs


def iter_links(tables_dir: str | Path) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """``(source, target, type, attributes)`` of every link as in graph.json; a paper's links of one type
    are consecutive."""
    schema = load_schema()
    names = list(relationship_columns(schema))[2:]
    for rel in schema.relationships:
        for row in iter_rows(relationship_path(tables_dir, rel)):
            attrs: dict[str, Any] = {"type": rel}
            attrs.update((n, v) for n, v in zip(names, row[2:], strict=True) if v is not None)
            yield row[0], row[1], rel, attrs


def read_graph_streams(out_dir: str | Path) -> tuple[int, Iterable[tuple[str, dict[str, Any]]],
                                                     Iterable[tuple[str, str, str, dict[str, Any]]]]:  # fmt: skip
    """``(node count, nodes, edges)`` of a build directory, streamed from its tables (no networkx), each
    stream readable more than once: the viewer's overview input."""
    from graphbuild.overview import Restartable

    tables = Path(out_dir) / TABLES_DIR
    nodes, links = Restartable(lambda: iter_nodes(tables)), Restartable(lambda: iter_links(tables))
    return sum(table_counts(tables).nodes.values()), nodes, links


def load_tables_graph(out_dir: str | Path) -> Any:
    """The whole graph as networkx (small graphs only: the viewer of a small build, tests)."""
    from graphbuild.graph import new_graph

    tables = Path(out_dir) / TABLES_DIR
    g = new_graph()
    for key, attrs in iter_nodes(tables):
        g.add_node(key, **attrs)
    for u, v, rel, attrs in iter_links(tables):
        g.add_edge(u, v, key=rel, **attrs)
    return g


def write_graph_json(tables_dir: str | Path, target: str | Path, graph_attrs: dict[str, Any]) -> int:
    """``graph.json`` (node-link JSON, as :func:`graphbuild.graph.save_graph` writes it) streamed from the
    tables; returns the bytes written. Written to a temporary name and renamed into place."""
    import os

    from graphbuild.graph import GRAPH_FILE  # noqa: F401  (the name readers expect)

    target = Path(target)
    tmp = target.with_name(target.name + ".tmp")
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    schema_version = load_schema().version
    try:
        with tmp.open("w", encoding="utf-8") as f:
            head = {"schema_version": schema_version, "directed": True, "multigraph": True,
                    "graph": {"schema_version": schema_version, **graph_attrs}}  # fmt: skip
            f.write(dumps(head)[:-1] + ', "nodes": [')
            sep = ""
            for key, attrs in iter_nodes(tables_dir):
                attrs["id"] = key
                f.write(sep + dumps(attrs))
                sep = ", "
            f.write('], "links": [')
            sep = ""
            for u, v, rel, attrs in iter_links(tables_dir):
                attrs["source"], attrs["target"], attrs["key"] = u, v, rel
                f.write(sep + dumps(attrs))
                sep = ", "
            f.write("]}")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target.stat().st_size


@dataclass
class TableSource:
    """A build directory's tables as the Neo4j loader's :class:`graphbuild.store.neo4j.LoadSource`."""

    out_dir: Path
    build_id: str | None = None
    batch_size: int = 10_000

    @property
    def tables(self) -> Path:
        return Path(self.out_dir) / TABLES_DIR

    def expected_nodes(self) -> dict[str, int]:
        return table_counts(self.tables).nodes

    def expected_relationships(self) -> dict[str, int]:
        return table_counts(self.tables).relationships

    def node_rows(self, label: str) -> Iterator[list[Any]]:
        for row in iter_rows(node_path(self.tables, label), batch_size=self.batch_size):
            yield list(row)

    def relationship_groups(self, rel_type: str) -> Iterator[list[Any]]:
        group: list[Any] | None = None
        for row in iter_rows(relationship_path(self.tables, rel_type), batch_size=self.batch_size):
            if group is None or group[0] != row[0]:
                if group is not None:
                    yield group
                group = [row[0], [], []]
            group[1].append(row[1])
            group[2].append(list(row[2:]))
        if group is not None:
            yield group
