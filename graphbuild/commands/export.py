"""``paperkg export``: cut a subgraph out of a built graph and write it for another tool."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from graphbuild.commands import selection_options as so
from graphbuild.commands.common import cli_command, err, out, progress_bar
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
    graph: Annotated[Path, typer.Argument(help="graph.json or a `paperkg build` output directory.")],
    out_path: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            metavar="PATH",
            help="File to write (a directory for csv and neo4j-admin).",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        str | None, typer.Option("--format", "-F", metavar="F", help=_FORMAT_HELP, show_default=False)
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
            help="Export the nodes a named query returns (their keys in its rows) and the links among them; "
            "the selection options then apply to that subgraph. `paperkg query --list` shows the names.",
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
            metavar="SPEC",
            help="Where --query runs: embedded:DIR or a neo4j:// / bolt:// URI. "
            "Default: the embedded store of GRAPH's build directory.",
            rich_help_panel="Query",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write a subgraph as GraphML, GEXF (Gephi), JSON, CSV, Cypher, neo4j-admin CSV, VOSviewer JSON,
    BibTeX or Mermaid, then print what was written (nodes and links per type, size, path).

    Example: paperkg export out --focus "DeepMind Control Suite" --hops 2 --format gexf --out dmc.gexf

    Example: paperkg export out --domain "Reinforcement Learning" --year-from 2023 --out rl.bib

    Example: paperkg export out --query papers-on-benchmark --param benchmark=ImageNet --out imagenet.graphml
    """
    from graphbuild.errors import ConfigError
    from graphbuild.export import export_graph, format_from_path
    from graphbuild.graph import load_graph, resolve_graph_path
    from graphbuild.subgraph import describe_selection, select

    chosen = fmt or format_from_path(out_path)
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
    with progress_bar("Exporting", total=3) as advance:
        g = load_graph(graph)
        advance(1)
        if query:
            g = _query_subgraph(g, resolve_graph_path(graph).parent, query, param or [], store)
        sub = select(g, selection)
        advance(1)
        if sub.number_of_nodes() == 0:
            err.print(
                f"Warning: the selection ({describe_selection(selection)}) is empty", markup=False, highlight=False
            )
        summary = export_graph(sub, chosen, out_path)
        advance(1)
    out.print(summary.line(), markup=False, highlight=False)
    for note in summary.notes:
        out.print(note, markup=False, highlight=False)


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
