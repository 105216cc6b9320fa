"""Printing results as a table, JSON, JSON Lines, CSV or a chart: the one ``--format`` of query, cypher, stats, eval.

Tables are for people: ``query`` shows names and hides the columns that only hold node keys (``--keys``
shows them), identifiers are never wrapped mid-word, and the caption counts rows ("1 row", "5 rows").
json, jsonl and csv are for programs and always carry every column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from graphbuild.commands.common import out
from graphbuild.store.base import QueryResult


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    chart = "chart"  # an SVG picture (graphbuild/chart.py): papers per year, or a number per name


class ReportFormat(StrEnum):
    """For reports that are not rows (stats, eval): a table for people or JSON."""

    table = "table"
    json = "json"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="table (for reading), json (one array), jsonl (one object per line), csv (with a header) "
        "or chart (an SVG: papers per year, or bars by name; redirect it to a file).",
    ),
]
ReportFormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="table (for reading) or json (for programs).")
]
#: the old spelling of ``--format json`` on stats and eval, kept working but no longer shown
JsonFlag = Annotated[bool, typer.Option("--json", hidden=True, help="Same as --format json.")]

# a word this long is allowed to fold; shorter words always stay whole
_LONGEST_UNBROKEN = 40
# the width a table may take when the output is not a terminal (a pipe or a file): no wrapping at all
_UNBOUNDED = 100_000


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _rows(result: QueryResult) -> list[dict[str, Any]]:
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def result_as_json(result: QueryResult) -> str:
    """One JSON object per row, keyed by column, in a list."""
    return json.dumps(_rows(result), ensure_ascii=False, indent=2, default=str)


def result_as_jsonl(result: QueryResult) -> str:
    """One JSON object per row and line (nothing at all for no rows)."""
    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in _rows(result))


def result_as_csv(result: QueryResult) -> str:
    """CSV with a header row; list values joined by ``"; "``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(result.columns)
    for row in result.rows:
        w.writerow([_cell(v) for v in row])
    return buf.getvalue()


@cache
def _key_pattern() -> re.Pattern[str]:
    from graphbuild.schema import load_schema

    prefixes = "|".join(re.escape(spec.prefix) for spec in load_schema().nodes.values())
    return re.compile(rf"^(?:{prefixes}):\S+$")


def _is_key(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return bool(value) and all(_is_key(v) for v in value)
    return isinstance(value, str) and _key_pattern().match(value) is not None


def key_columns(result: QueryResult) -> set[int]:
    """Columns whose every non-empty cell is a node key (``method:transformer``) or a list of keys."""
    found = set()
    for i in range(len(result.columns)):
        cells = [row[i] for row in result.rows if row[i] is not None]
        if cells and all(_is_key(c) for c in cells):
            found.add(i)
    return found


def _min_width(cells: Iterable[str], header: str) -> int:
    words = [len(w) for c in cells for w in c.split()]
    return min(max([len(header), *words]), _LONGEST_UNBROKEN)


def result_table(result: QueryResult, title: str | None = None, *, keys: bool = True) -> Table:
    """A rich table of the rows; ``keys=False`` leaves out key-only columns (when others remain)."""
    hidden = set() if keys else key_columns(result)
    if len(hidden) == len(result.columns):
        hidden = set()  # nothing but keys: show them rather than an empty table
    shown = [i for i in range(len(result.columns)) if i not in hidden]
    table = Table(title=title, header_style="bold", caption=plural(len(result.rows), "row"))
    cells = [[_cell(row[i]) for i in shown] for row in result.rows]
    keyish = key_columns(result)
    for j, i in enumerate(shown):
        column = [r[j] for r in cells]
        numeric = bool(column) and all(isinstance(row[i], int | float) for row in result.rows if row[i] is not None)
        if i in keyish or numeric:
            # identifiers and numbers are never wrapped: a key cut in two cannot be copied
            table.add_column(result.columns[i], no_wrap=True, justify="right" if numeric else "left")
        else:
            # text wraps between words; a word shorter than _LONGEST_UNBROKEN is never cut
            table.add_column(result.columns[i], overflow="fold", min_width=_min_width(column, result.columns[i]))
    for row in cells:
        # Text(...) so that '[' in untrusted titles is shown, not read as rich markup
        table.add_row(*(Text(c) for c in row))
    return table


def print_table(table: Table, console: Console | None = None) -> None:
    """Print a table; when stdout is not a terminal (a pipe, a file) at its natural width, unwrapped."""
    from rich.measure import Measurement

    console = console or out
    if console.is_terminal:
        console.print(table)
    else:
        natural = Measurement.get(console, console.options.update_width(_UNBOUNDED), table).maximum
        # print(width=...) cannot exceed the console's width: a console as wide as the table does it
        wide = Console(file=console.file, width=max(console.width, natural), color_system=None, soft_wrap=True)
        wide.print(table)


def print_result(result: QueryResult, fmt: OutputFormat, title: str | None = None, *, keys: bool = True) -> None:
    if fmt is OutputFormat.json:
        out.file.write(result_as_json(result) + "\n")
    elif fmt is OutputFormat.jsonl:
        out.file.write(result_as_jsonl(result))
    elif fmt is OutputFormat.csv:
        out.file.write(result_as_csv(result))
    elif fmt is OutputFormat.chart:
        from graphbuild.chart import result_chart

        out.file.write(result_chart(result.columns, result.rows, title or "paperkg"))
    else:
        print_table(result_table(result, title, keys=keys))


def rows_result(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> QueryResult:
    """A :class:`QueryResult` from plain rows (for commands whose output is not a query's)."""
    return QueryResult(tuple(columns), tuple(tuple(r) for r in rows))
