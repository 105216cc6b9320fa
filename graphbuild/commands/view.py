"""``paperkg view``: write the interactive viewer (one offline HTML file) for a graph or a selection of it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphbuild.commands import selection_options as so
from graphbuild.commands.common import cli_command, err, out
from graphbuild.errors import ConfigError


@cli_command
def view_command(
    graph: Annotated[Path, typer.Argument(help="graph.json or a `paperkg build` output directory.")] = Path("out"),
    out_path: Annotated[
        Path, typer.Option("--out", "-o", metavar="PATH", help="HTML file to write (- for stdout).")
    ] = Path("view.html"),
    full: Annotated[
        bool, typer.Option("--full", help="Draw every paper and entity, however many (default: up to a few thousand).")
    ] = False,
    overview: Annotated[
        bool,
        typer.Option(
            "--overview", help="Draw the entity map (entities linked by shared papers), however small the graph."
        ),
    ] = False,
    renderer: Annotated[
        str,
        typer.Option("--renderer", metavar="R", help="auto (sigma.js), sigma or pyvis (vis-network)."),
    ] = "auto",
    title: Annotated[str | None, typer.Option("--title", help="Page title (default: the graph's path).")] = None,
    open_page: Annotated[bool, typer.Option("--open", help="Open the page in the default browser.")] = False,
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
    """Write an interactive, self-contained HTML viewer: map, search, year range, evidence on click.

    Above a few thousand nodes the page is an overview map: the best-supported methods, benchmarks,
    tasks and domains, linked by the papers they share, clustered and coloured by cluster; papers
    open from the side panel. --full draws every paper instead; selection options (--focus,
    --domain, --min-papers, ...) draw a part of the graph. The page makes no network request.

    Example: paperkg view out --out view.html

    Example: paperkg view out --focus "DeepMind Control Suite" --hops 2 --out dmc.html

    Example: paperkg view out --overview --min-papers 2 --out map.html
    """
    from graphbuild.graph import load_graph, resolve_graph_path
    from graphbuild.subgraph import resolve_names, select
    from graphbuild.tables import has_tables, read_graph_streams
    from graphbuild.view import choose_mode, choose_renderer, render_overview, render_view

    if full and overview:
        raise ConfigError("--full and --overview exclude each other: pick one (or neither: chosen by size)")
    choose_renderer(0, renderer)  # reject a bad --renderer before loading anything
    selection = so.selection_from_options(
        focus, hops, types, min_papers, min_confidence, domain, year_from, year_to, roles, limit
    )
    build_dir = resolve_graph_path(graph).parent
    mode = "full" if full else "overview" if overview else "auto"
    page_title = title or f"paperkg: {graph}"
    report = None
    if selection.is_everything and not full and has_tables(build_dir):
        # a build's tables stream the overview's input: a map of any size without loading the graph
        count, nodes, edges = read_graph_streams(build_dir)
        if choose_mode(count, mode) == "overview":
            report = render_overview(nodes, edges, out_path, title=page_title, renderer=renderer)  # type: ignore[arg-type]
    if report is None:
        g = load_graph(graph)
        start = None
        if not selection.is_everything:
            anchors = resolve_names(g, selection.focus) if selection.focus else []
            g = select(g, selection)
            start = next((a for a in anchors if a in g), None)
        if g.number_of_nodes() == 0:
            err.print("Warning: the selection is empty; the page will show no nodes.")
        report = render_view(g, out_path, renderer=renderer, title=page_title, focus=start, mode=mode)  # type: ignore[arg-type]
    what = (
        f"overview map of {report.nodes:,} entities from {report.graph_nodes:,} nodes"
        if report.mode == "overview"
        else f"{report.nodes:,} nodes, {report.edges:,} links"
    )
    # with --out - the page is on stdout, so the summary goes to stderr
    console = err if str(out_path) == "-" else out
    where = "stdout" if str(out_path) == "-" else str(report.path)
    console.print(
        f"Wrote {where} ({report.renderer}, {what}, {report.size_bytes / 1e6:.1f} MB) "
        f"in {report.build_seconds:.1f} s",
        highlight=False,
        markup=False,
    )
    if report.mode == "overview" and not overview:
        console.print(
            "The graph is large, so the page is an overview map; --full draws every paper, "
            "--focus/--domain/--min-papers a part of the graph.",
            highlight=False,
        )
    if not report.links_shown:
        console.print(
            "Links start hidden (too many to draw every frame); tick 'links' in the page to draw them. "
            "A selected or hovered node always shows its own links.",
            highlight=False,
        )
    if open_page and str(out_path) != "-":
        import webbrowser

        webbrowser.open(report.path.resolve().as_uri())
