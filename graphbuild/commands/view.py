"""``paperkg view``: write the interactive viewer (one offline HTML file) for a graph or a selection of it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphbuild.commands import selection_options as so
from graphbuild.commands.common import cli_command, err, out


@cli_command
def view_command(
    graph: Annotated[Path, typer.Argument(help="graph.json or a `paperkg build` output directory.")],
    out_path: Annotated[Path, typer.Option("--out", "-o", metavar="PATH", help="HTML file to write.")] = Path(
        "view.html"
    ),
    renderer: Annotated[
        str,
        typer.Option(
            "--renderer",
            metavar="R",
            help="auto (vis-network up to a few thousand nodes, sigma.js above), pyvis or sigma.",
        ),
    ] = "auto",
    title: Annotated[str | None, typer.Option("--title", help="Page title (default: the graph's path).")] = None,
    focus: so.Focus = None,
    hops: so.Hops = 1,
    types: so.Types = None,
    min_papers: so.MinPapers = 0,
    min_confidence: so.MinConfidence = 0.0,
    domain: so.Domain = None,
    year_from: so.YearFrom = None,
    year_to: so.YearTo = None,
    roles: so.Roles = None,
    limit: so.Limit = None,
) -> None:
    """Write an interactive, self-contained HTML viewer: search, filters, evidence on click.

    The page makes no network request. Selection options show a subgraph, opened on --focus.

    Example: paperkg view out --out view.html

    Example: paperkg view out/graph.json --focus "DeepMind Control Suite" --hops 2 --out dmc.html
    """
    from graphbuild.graph import load_graph
    from graphbuild.subgraph import resolve_names, select
    from graphbuild.view import choose_renderer, render_view

    choose_renderer(0, renderer)  # reject a bad --renderer before loading anything
    g = load_graph(graph)
    selection = so.selection_from_options(
        focus, hops, types, min_papers, min_confidence, domain, year_from, year_to, roles, limit
    )
    start = None
    if not selection.is_everything:
        anchors = resolve_names(g, selection.focus) if selection.focus else []
        g = select(g, selection)
        start = next((a for a in anchors if a in g), None)
    if g.number_of_nodes() == 0:
        err.print("Warning: the selection is empty; the page will show no nodes.")
    report = render_view(
        g,
        out_path,
        renderer=renderer,
        title=title or f"paperkg: {graph}",
        focus=start,  # type: ignore[arg-type]
    )
    out.print(
        f"Wrote {report.path} ({report.renderer}, {report.nodes:,} nodes, {report.edges:,} links, "
        f"{report.size_bytes / 1e6:.1f} MB) in {report.build_seconds:.1f} s",
        highlight=False,
    )
    if not report.links_shown:
        out.print(
            "Links start hidden (too many to draw every frame); tick 'links' in the page to draw them. "
            "A selected or hovered node always shows its own links.",
            highlight=False,
        )
