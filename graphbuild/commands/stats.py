"""``paperkg stats``: counts and top entities of a built graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graphbuild.commands.common import cli_command, out
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
    graph: Annotated[Path, typer.Argument(help="graph.json or a `paperkg build` output directory.")] = Path("out"),
    top: Annotated[int, typer.Option("--top", min=0, help="How many top entities per type.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Node and link counts, and the best-supported entities per type.

    Example: paperkg stats out --top 5
    """
    from graphbuild.graph import load_graph
    from graphbuild.stats import graph_stats

    s = graph_stats(load_graph(graph), top_n=top)
    if as_json:
        out.print_json(json.dumps(s.as_dict()))
        return
    out.print(counts_table(s, "Counts"))
    for label, ents in s.top.items():
        if not ents:
            continue
        tt = Table(title=f"Top {label}s", header_style="bold")
        tt.add_column(label)
        tt.add_column("papers", justify="right")
        for name, n in ents:
            tt.add_row(name, str(n))
        out.print(tt)
