"""``paperkg load``: merge a built graph into a Neo4j database."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graphbuild.commands.common import cli_command, err, out, progress_bar
from graphbuild.schema import load_schema


@cli_command
def load_command(
    graph: Annotated[Path, typer.Argument(help="graph.json or a `paperkg build` output directory.")] = Path("out"),
    uri: Annotated[
        str | None, typer.Option("--uri", help="Bolt URI (env NEO4J_URI; default bolt://localhost:7687).")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="User name (env NEO4J_USERNAME; default neo4j).")] = None,
    password: Annotated[str | None, typer.Option("--password", help="Password (env NEO4J_PASSWORD).")] = None,
    database: Annotated[
        str | None, typer.Option("--database", help="Database name (env NEO4J_DATABASE; default: server default).")
    ] = None,
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", min=1, help="Rows per transaction (default 5000).")
    ] = None,
    writers: Annotated[
        int | None,
        typer.Option(
            "--writers",
            min=1,
            help="Sessions writing at once on a first load (CREATE path; default 2); more may help a bigger server.",
        ),
    ] = None,
    wipe: Annotated[
        bool, typer.Option("--wipe", help="First delete every node with a paperkg label (asks first).")
    ] = False,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="Add to what the database holds and remove nothing (by default paperkg nodes and links of "
            "other builds are removed, so the database equals this graph).",
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before --wipe.")] = False,
) -> None:
    """Load the graph into Neo4j; re-running it is safe.

    Constraints first, then nodes, the full-text index and relationships in batched transactions;
    counts are read back and checked. Every element carries the build's id, and paperkg nodes and links
    of other builds are removed at the end (unless --merge), so loading a rebuilt graph leaves exactly
    that graph. Nothing is duplicated.

    Example: NEO4J_PASSWORD=secret paperkg load out --uri bolt://localhost:7687
    """
    from graphbuild.gc_pause import gc_paused
    from graphbuild.graph import load_graph
    from graphbuild.pipeline import read_manifest
    from graphbuild.store.neo4j import DEFAULT_BATCH_SIZE, DEFAULT_WRITERS, Neo4jStore
    from graphbuild.store.neo4j_connect import resolve_options
    from graphbuild.tables import TableSource, has_tables

    if has_tables(graph):  # a build directory: streamed from its tables, never all in memory
        manifest = read_manifest(graph) or {}
        source = TableSource(graph, build_id=manifest.get("build_id"))
    else:
        source = load_graph(graph)
    options = resolve_options(uri, user, password, database)
    size, writers = batch_size or DEFAULT_BATCH_SIZE, writers or DEFAULT_WRITERS
    with Neo4jStore.from_options(options, batch_size=size, writers=writers) as store:
        if wipe:
            if not yes and not typer.confirm(
                f"Delete all paperkg nodes ({', '.join(load_schema().nodes)}) in {store.where}?", err=True
            ):
                err.print("Aborted; nothing deleted or loaded.")
                raise typer.Exit(1)
            deleted = store.wipe()
            err.print(f"Deleted {deleted} paperkg nodes from {store.where}.")
        if isinstance(source, TableSource):
            n_nodes = sum(source.expected_nodes().values())
            n_links = sum(source.expected_relationships().values())
        else:
            n_nodes, n_links = source.number_of_nodes(), source.number_of_edges()
        # a graph read whole: its row lists make no cycles, and the collector would only rescan them. Streamed
        # tables keep no such lists, while the driver leaves reference cycles behind every transaction: with
        # the collector paused they piled up to 1.4 GB over a 157k-paper load
        pause = nullcontext() if isinstance(source, TableSource) else gc_paused()
        with progress_bar(f"Loading into {options.uri}", total=n_nodes + n_links) as advance, pause:
            report = store.write_graph(source, progress=advance, prune=not merge)

    t = Table(title=f"Neo4j {store.where}", header_style="bold")
    t.add_column("label / type")
    t.add_column("in graph", justify="right")
    t.add_column("in database", justify="right")
    for name, n in report.expected_nodes.items():
        t.add_row(name, str(n), str(report.nodes.get(name, 0)))
    for name, n in report.expected_relationships.items():
        t.add_row(name, str(n), str(report.relationships.get(name, 0)))
    out.print(t)
    out.print(
        f"Created {report.nodes_created} nodes and {report.relationships_created} relationships "
        f"in {report.seconds:.1f}s; all {n_nodes} nodes and {n_links} relationships of the graph are in the "
        "database" + ("." if merge else ", and nothing else of paperkg's (other builds' elements removed).")
    )
