"""``paperkg build``: papers in, graph out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphbuild.commands.common import cli_command, err, out, progress_bar
from graphbuild.commands.ingest_options import (
    ExtractorOpt,
    FormatOpt,
    Inputs,
    OnErrorOpt,
    WorkersOpt,
    check_extractor,
    check_on_error,
    print_ingest_report,
)
from graphbuild.commands.stats import counts_table
from graphbuild.stats import graph_stats


@cli_command
def build_command(
    inputs: Inputs,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output directory (graph.json, embedded DB).")] = Path(
        "out"
    ),
    fmt: FormatOpt = None,
    on_error: OnErrorOpt = "stop",
    workers: WorkersOpt = 1,
    extractor: ExtractorOpt = "learned",
    embedded: Annotated[bool, typer.Option(help="Also write the embedded (LadybugDB) database.")] = True,
    view: Annotated[bool, typer.Option(help="Also write the interactive viewer OUT/view.html.")] = True,
) -> None:
    """Build the knowledge graph: ingest, extract, resolve, save OUT/graph.json.

    Example: paperkg build data/hf_trending_papers.txt --out out
    """
    from graphbuild.pipeline import build

    on_error = check_on_error(on_error)
    extractor = check_extractor(extractor)
    with progress_bar("Extracting") as advance:
        result = build(inputs, out_dir, fmt=fmt, on_error=on_error, workers=workers, embedded=embedded, view=view,
                       on_progress=advance, extractor=extractor)  # fmt: skip
    print_ingest_report(result.report)
    out.print(counts_table(graph_stats(result.graph), f"Graph written to {result.graph_path}"))
    if result.embedded_path:
        err.print(f"Embedded database: {result.embedded_path}")
    if result.view_path:
        err.print(f"Viewer: {result.view_path}")
