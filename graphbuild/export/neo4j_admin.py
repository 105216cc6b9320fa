"""Bulk-import files for ``neo4j-admin database import full`` (the fastest way into an empty database).

One header file and one data file per label and per relationship type, e.g.::

    Paper-header.csv   key:ID(Paper),name,title,abstract,year:long,...,categories:string[],...
    Paper.csv          "paper:2401.00001","Attention ...",...
    USES-header.csv    :START_ID(Paper),:END_ID(Method),role,evidence,...,confidence:double,count:long
    USES.csv           "paper:2401.00001","method:transformer","used",...

Format choices (all passed explicitly in the printed command, so no default can change them):

* every string is double-quoted with ``""`` escaping (RFC 4180); a missing value is an empty,
  *unquoted* field, which the importer leaves out (so the result matches the online loader);
* fields may span lines (``--multiline-fields=true``): abstracts and evidence keep their newlines;
* list elements are joined with U+001F (``--array-delimiter=U+001F``), a control character that
  cannot occur in normalized text, so commas, semicolons and pipes inside names are safe;
* integers are ``long`` and reals ``double``: the same types the Bolt loader stores;
* each label is its own ID space (``:ID(Paper)``), and the ``key`` column is stored as ``key``.

Column lists come from ``graphbuild/data/schema.yaml``.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import networkx as nx

from graphbuild.errors import GraphFileError
from graphbuild.schema import Schema, load_schema

ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
_TYPES = {"string": "", "int": ":long", "float": ":double", "string[]": ":string[]"}


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _field(value: Any, schema_type: str, where: str) -> str:
    if value is None:
        return ""  # unquoted empty: no property
    if schema_type == "string[]":
        items = [str(v) for v in value]
        if any(ARRAY_DELIMITER in v for v in items):
            raise GraphFileError(f"{where}: a list element contains U+001F, the array delimiter")
        return _quote(ARRAY_DELIMITER.join(items))
    if schema_type == "int":
        return str(int(value))
    if schema_type == "float":
        return repr(float(value))
    return _quote(str(value))


def node_header(label: str, schema: Schema) -> list[str]:
    props = schema.nodes[label].properties
    return [f"key:ID({label})"] + [f"{p}{_TYPES[t]}" for p, t in props.items() if p != "key"]


def relationship_header(rel_type: str, schema: Schema) -> list[str]:
    spec = schema.relationships[rel_type]
    return [f":START_ID({spec.source})", f":END_ID({spec.target})"] + [
        f"{p}{_TYPES[t]}" for p, t in schema.relationship_properties.items()
    ]


def import_command(
    nodes: dict[str, tuple[Path, Path]],
    relationships: dict[str, tuple[Path, Path]],
    database: str = "neo4j",
    prefix: str | None = None,
) -> str:
    """The ``neo4j-admin`` command line; ``prefix`` replaces the files' directory (e.g. a Docker mount)."""

    def p(path: Path) -> str:
        return f"{prefix.rstrip('/')}/{path.name}" if prefix else str(path)

    args = [
        "neo4j-admin",
        "database",
        "import",
        "full",
        database,  # before the file lists: a trailing positional would be read as one more file
        f"--array-delimiter={ARRAY_DELIMITER_OPTION}",
        "--multiline-fields=true",
        "--id-type=string",
    ]
    args += [f"--nodes={label}={p(h)},{p(d)}" for label, (h, d) in nodes.items()]
    args += [f"--relationships={t}={p(h)},{p(d)}" for t, (h, d) in relationships.items()]
    return shlex.join(args)


def write_neo4j_admin(graph: nx.MultiDiGraph, out_dir: str | Path, database: str = "neo4j") -> dict[str, Any]:
    """Write header + data CSV files into ``out_dir``; labels and types without rows are left out.

    Returns ``{"nodes": {label: n}, "relationships": {type: n}, "files": [paths],
    "command": str, "docker_command": str}``; ``command`` imports into ``database`` of a stopped
    server (add ``--overwrite-destination`` to replace an existing database), ``docker_command`` is the
    same with the files mounted at ``/import`` (see ``docker/compose.yaml``).
    """
    schema = load_schema()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    node_rows: dict[str, list[str]] = {label: [] for label in schema.nodes}
    for key, data in graph.nodes(data=True):
        label = data.get("label")
        if label not in schema.nodes:
            raise GraphFileError(f"node {key!r}: label {label!r} is not in the schema")
        props = schema.nodes[label].properties
        fields = [_quote(str(key))] + [
            _field(data.get(p), t, f"node {key!r} property {p!r}") for p, t in props.items() if p != "key"
        ]
        node_rows[label].append(",".join(fields))
    rel_rows: dict[str, list[str]] = {t: [] for t in schema.relationships}
    for u, v, k, data in graph.edges(keys=True, data=True):
        rtype = data.get("type", k)
        if rtype not in schema.relationships:
            raise GraphFileError(f"edge {u!r} -> {v!r}: relationship type {rtype!r} is not in the schema")
        fields = [_quote(str(u)), _quote(str(v))] + [
            _field(data.get(p), t, f"edge {u!r} -[{rtype}]-> {v!r} property {p!r}")
            for p, t in schema.relationship_properties.items()
        ]
        rel_rows[rtype].append(",".join(fields))

    files: list[Path] = []
    node_files: dict[str, tuple[Path, Path]] = {}
    rel_files: dict[str, tuple[Path, Path]] = {}
    for name, rows, header, target in [
        *((label, rows, node_header(label, schema), node_files) for label, rows in node_rows.items()),
        *((t, rows, relationship_header(t, schema), rel_files) for t, rows in rel_rows.items()),
    ]:
        if not rows:
            continue
        header_path, data_path = out / f"{name}-header.csv", out / f"{name}.csv"
        header_path.write_text(",".join(header) + "\n", encoding="utf-8")
        # newline="" keeps "\r" inside values byte-exact; rows end with "\n"
        with data_path.open("w", encoding="utf-8", newline="") as f:
            for row in rows:
                f.write(row + "\n")
        target[name] = (header_path.resolve(), data_path.resolve())
        files += [header_path, data_path]
    command = import_command(node_files, rel_files, database)
    (out / "import-command.txt").write_text(command + "\n", encoding="utf-8")
    files.append(out / "import-command.txt")
    return {
        "nodes": {label: len(rows) for label, rows in node_rows.items() if rows},
        "relationships": {t: len(rows) for t, rows in rel_rows.items() if rows},
        "files": [str(f) for f in files],
        "command": command,
        "docker_command": import_command(node_files, rel_files, database, prefix="/import"),
    }


def write_neo4j_admin_tables(tables_dir: str | Path, out_dir: str | Path, database: str = "neo4j") -> dict[str, Any]:
    """The same files as :func:`write_neo4j_admin`, streamed from a build directory's tables
    (:mod:`graphbuild.tables`) in batches: for graphs too large to hold in memory."""
    from graphbuild.tables import iter_rows, node_columns, node_path, relationship_path

    schema = load_schema()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    node_files: dict[str, tuple[Path, Path]] = {}
    rel_files: dict[str, tuple[Path, Path]] = {}
    counts: dict[str, dict[str, int]] = {"nodes": {}, "relationships": {}}
    jobs = [
        *((label, node_path(tables_dir, label), node_header(label, schema),
           list(node_columns(label, schema).values()), node_files, "nodes") for label in schema.nodes),
        *((t, relationship_path(tables_dir, t), relationship_header(t, schema),
           ["string", "string", *schema.relationship_properties.values()], rel_files, "relationships")
          for t in schema.relationships),
    ]  # fmt: skip
    for name, table, header, types, target, kind in jobs:
        n = 0
        data_path = out / f"{name}.csv"
        with data_path.open("w", encoding="utf-8", newline="") as f:
            for row in iter_rows(table):
                f.write(",".join(_field(v, t, f"{name} row {n + 1}") for v, t in zip(row, types, strict=True)) + "\n")
                n += 1
        if not n:
            data_path.unlink()
            continue
        header_path = out / f"{name}-header.csv"
        header_path.write_text(",".join(header) + "\n", encoding="utf-8")
        target[name] = (header_path.resolve(), data_path.resolve())
        files += [header_path, data_path]
        counts[kind][name] = n
    command = import_command(node_files, rel_files, database)
    (out / "import-command.txt").write_text(command + "\n", encoding="utf-8")
    files.append(out / "import-command.txt")
    return {**counts, "files": [str(f) for f in files], "command": command,
            "docker_command": import_command(node_files, rel_files, database, prefix="/import")}  # fmt: skip
