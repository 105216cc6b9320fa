"""Printing a :class:`QueryResult` as a table, JSON or CSV (shared by ``query`` and ``cypher``)."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from typing import Any

from rich.table import Table
from rich.text import Text

from graphbuild.commands.common import out
from graphbuild.store.base import QueryResult


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def result_as_json(result: QueryResult) -> str:
    """One JSON object per row, keyed by column, in a list."""
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str)


def result_as_csv(result: QueryResult) -> str:
    """CSV with a header row; list values joined by ``"; "``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(result.columns)
    for row in result.rows:
        w.writerow([_cell(v) for v in row])
    return buf.getvalue()


def print_result(result: QueryResult, fmt: OutputFormat, title: str | None = None) -> None:
    if fmt is OutputFormat.json:
        out.file.write(result_as_json(result) + "\n")
    elif fmt is OutputFormat.csv:
        out.file.write(result_as_csv(result))
    else:
        table = Table(title=title, header_style="bold", caption=f"{len(result.rows)} rows")
        for col in result.columns:
            table.add_column(col, overflow="fold")  # never cut keys or names with an ellipsis
        for row in result.rows:
            # Text(...) so that '[' in untrusted titles is shown, not read as rich markup
            table.add_row(*(Text(_cell(v)) for v in row))
        out.print(table)
