"""``paperkg export``: cut a subgraph out of a built graph and write it for another tool."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from graphbuild.commands import selection_options as so
from graphbuild.commands.common import cli_command, err, out, progress_bar
from graphbuild.commands.graph_options import DEFAULT_GRAPH, GraphArg
from graphbuild.export.dispatch import FORMATS

if TYPE_CHECKING:
    import networkx as nx

_FORMAT_HELP = (
    "Output format: "
    + ", ".join(FORMATS)
    + ". Default: from the --out extension (.graphml .gexf .json .vos.json .cypher .bib .mmd)."
)


@cli_command
def export_command(
    out_path: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            metavar="PATH",
            help="File to write, - for stdout (a directory for csv and neo4j-admin).",
            show_default=False,
        ),
    ],
    graph: GraphArg = DEFAULT_GRAPH,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", metavar="FORMAT", help=_FORMAT_HELP, show_default=False)
    ] = None,
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
    query: Annotated[
        str | None,
        typer.Option(
            "--query",
            metavar="NAME",
            help="Export the nodes a named query returns (the keys in its rows, and the papers, methods, "
            "benchmarks, tasks or domains its parameters name) and the links among them; the selection options "
            "then apply to that subgraph. `paperkg query --list` shows the names.",
            rich_help_panel="Query",
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            metavar="K=V",
            help="A query parameter as name=value (repeatable).",
            rich_help_panel="Query",
        ),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            "-s",
            metavar="SPEC",
            help="Where --query runs: embedded:DIR or a neo4j:// / bolt:// URI. "
            "Default: the embedded store of GRAPH's build directory.",
            rich_help_panel="Query",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export a subgraph for Gephi, VOSviewer, Neo4j, spreadsheets, BibTeX or Mermaid.

    Writes GraphML, GEXF, JSON, CSV, Cypher, neo4j-admin CSV, VOSviewer JSON, BibTeX or Mermaid, then
    prints what was written: nodes and links per type, size and path.

    Example: paperkg export out --focus "DeepMind Control Suite" --hops 2 --format gexf --out dmc.gexf

    Example: paperkg export out --domain "Reinforcement Learning" --out rl.bib

    Example: paperkg export out --types method,benchmark --min-papers 3 --format vosviewer --out map.json

    Example: paperkg export out --query papers-on-benchmark --param benchmark=ImageNet --out imagenet.graphml

    Example: paperkg export out --focus PPO --format mermaid --out -
    """
    from graphbuild.errors import ConfigError
    from graphbuild.export import export_selection, format_from_path
    from graphbuild.graph import load_graph, resolve_graph_path
    from graphbuild.subgraph import describe_selection

    to_stdout = str(out_path) == "-"
    chosen = fmt or (None if to_stdout else format_from_path(out_path))
    if chosen is None:
        raise ConfigError(
            f"--out {out_path}: cannot tell the format from the name; pass --format ({', '.join(FORMATS)})"
        )
    if chosen not in FORMATS:
        raise ConfigError(f"--format: unknown format {chosen!r}; choose from {', '.join(FORMATS)}")
    if (param or store) and not query:
        raise ConfigError("--param and --store only make sense with --query NAME")
    selection = so.selection_from_options(
        focus, hops, types, min_papers, min_confidence, domain, year_from, year_to, roles, limit
    )
    with progress_bar("Exporting", total=2) as advance:
        g = load_graph(graph)
        advance(1)
        if query:
            g = _query_subgraph(g, resolve_graph_path(graph).parent, query, param or [], store)
        summary = export_selection(g, selection, chosen, "-" if to_stdout else out_path)
        advance(1)
    if sum(summary.nodes.values()) == 0:
        what = f"--query {query} with " if query else ""
        err.print(f"Warning: {what}the selection ({describe_selection(selection)}) is empty; "
                  f"the {chosen} output holds nothing", markup=False, highlight=False)  # fmt: skip
    # with --out - the file is on stdout, so the summary goes to stderr
    console = err if to_stdout else out
    console.print(summary.line(), markup=False, highlight=False)
    for note in summary.notes:
        console.print(note, markup=False, highlight=False)


def _query_subgraph(
    g: nx.MultiDiGraph, build_dir: Path, name: str, params: list[str], store_spec: str | None
) -> nx.MultiDiGraph:
    from graphbuild.queries import parse_param_args
    from graphbuild.store import open_store
    from graphbuild.subgraph import query_subgraph

    store = open_store(store_spec or f"embedded:{build_dir}")
    try:
        return query_subgraph(g, store, name, parse_param_args(params))
    finally:
        store.close()
