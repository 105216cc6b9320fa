"""Two CSV tables for spreadsheets, pandas and R: ``nodes.csv`` and ``edges.csv``.

Both are UTF-8, comma-separated, with a header row, RFC 4180 quoting (fields with commas, quotes or
newlines are double-quoted, quotes doubled), ``\\n`` line ends, and one row per node / link. The column
set is fixed by the schema (``graphbuild/data/schema.yaml``), so every export has the same columns:

``nodes.csv``
    ``key`` (node id, e.g. ``method:transformer``), ``label`` (Paper | Method | Benchmark | Task | Domain), then
    every node property of any label in schema order: ``name``, ``title``, ``abstract``, ``year``,
    ``url``, ``doi``, ``categories``, ``authors``, ``source``, ``aliases``, ``paper_count``.
``edges.csv``
    ``source`` and ``target`` (node keys), ``type`` (PROPOSES | USES | INTRODUCES | EVALUATES_ON |
    IN_DOMAIN), then the provenance properties: ``role``, ``evidence``, ``field``, ``start``, ``end``,
    ``surface``, ``rule``, ``confidence``, ``count``.

A missing value is an empty cell. List properties (``categories``, ``authors``, ``aliases``) are JSON
arrays (``["a", "b"]``), so values containing commas or separators survive exactly. Text is written
as it is (no ``'`` prefix against spreadsheet formulas), so the tables round-trip exactly.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx

from graphbuild.export.dispatch import Written
from graphbuild.schema import load_schema

NODES_FILE = "nodes.csv"
EDGES_FILE = "edges.csv"


def node_columns() -> list[str]:
    cols = ["key", "label"]
    for spec in load_schema().nodes.values():
        for prop in spec.properties:
            if prop not in cols:
                cols.append(prop)
    return cols


def edge_columns() -> list[str]:
    return ["source", "target", "type", *load_schema().relationship_properties]


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, list):
        return json.dumps(v, ensure_ascii=False)
    return v


def write(graph: nx.MultiDiGraph, out: Path) -> Written:
    ncols, ecols = node_columns(), edge_columns()
    nodes_path, edges_path = out / NODES_FILE, out / EDGES_FILE
    with nodes_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ncols)
        for n, d in graph.nodes(data=True):
            row = {**d, "key": n}
            w.writerow([_cell(row.get(c)) for c in ncols])
    with edges_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ecols)
        for u, v, k, d in graph.edges(keys=True, data=True):
            row = {**d, "source": u, "target": v, "type": k}
            w.writerow([_cell(row.get(c)) for c in ecols])
    return Written((nodes_path, edges_path))
