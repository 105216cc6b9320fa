"""``paperkg stats``: counts and top entities of a built graph."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from graphbuild.commands.common import cli_command, out
from graphbuild.commands.graph_options import DEFAULT_GRAPH, GraphArg
from graphbuild.commands.result_output import (
    JsonFlag,
    ReportFormat,
    ReportFormatOption,
    print_table,
    result_table,
    rows_result,
)
from graphbuild.stats import GraphStats


def counts_table(s: GraphStats, title: str) -> Table:
    """Nodes per label and links per type (also the summary of `paperkg build`)."""
    t = Table(title=title, header_style="bold")
    t.add_column("what")
    t.add_column("count", justify="right")
    for label, n in s.nodes.items():
        t.add_row(f"{label} nodes", str(n))
    for rel, n in s.relationships.items():
        t.add_row(f"{rel} links", str(n))
    return t


@cli_command
def stats_command(
    graph: GraphArg = DEFAULT_GRAPH,
    top: Annotated[int, typer.Option("--top", "-n", min=0, help="How many top entities per type.")] = 10,
    fmt: ReportFormatOption = ReportFormat.table,
    as_json: JsonFlag = False,
) -> None:
    """Count nodes and links, and list the best-supported entities of each type.

    Example: paperkg stats out --top 5

    Example: paperkg stats --format json
    """
    from graphbuild.graph import load_graph
    from graphbuild.stats import graph_stats

    s = graph_stats(load_graph(graph), top_n=top)
    if as_json or fmt is ReportFormat.json:
        # plain write: rich would re-wrap and colour the JSON
        out.file.write(json.dumps(s.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    print_table(counts_table(s, "Counts"))
    for label, ents in s.top.items():
        if not ents:
            continue
        tt = result_table(rows_result((label, "papers"), ents), f"Top {label}s")
        tt.caption = None
        print_table(tt)
