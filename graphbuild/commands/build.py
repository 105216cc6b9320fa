"""``paperkg build``: papers in, graph out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphbuild.commands.common import cli_command, err, out
from graphbuild.commands.ingest_options import (
    ExtractorOpt,
    FormatOpt,
    Inputs,
    OnErrorOpt,
    SchedulerOpt,
    ShardSizeOpt,
    WorkersOpt,
    check_extractor,
    check_on_error,
    print_ingest_report,
)


@cli_command
def build_command(
    inputs: Inputs,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Output directory (graph.json, embedded DB, view.html, tables/).")
    ] = Path("out"),
    fmt: FormatOpt = None,
    on_error: OnErrorOpt = "stop",
    workers: WorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    shard_size: ShardSizeOpt = 2000,
    extractor: ExtractorOpt = "learned",
    embedded: Annotated[bool, typer.Option(help="Also write the embedded (LadybugDB) database.")] = True,
    view: Annotated[bool, typer.Option(help="Also write the interactive viewer OUT/view.html.")] = True,
    cache: Annotated[
        str | None,
        typer.Option(
            "--cache",
            help="Where extraction results are cached (default OUT/cache): a folder, or an fsspec URL "
            "(s3://..., gs://...) that Dask workers write to directly.",
        ),
    ] = None,
    neo4j_admin: Annotated[
        bool, typer.Option("--neo4j-admin", help="Also write OUT/neo4j-admin/: CSVs for `neo4j-admin database import`.")
    ] = False,
) -> None:
    """Build the knowledge graph: ingest, extract, resolve, save OUT/graph.json.

    All or nothing: an interrupted or failed build leaves the previous one. Rebuilding into the same
    OUT extracts only new or changed papers and keeps entity keys.

    Example: paperkg build data/hf_trending_papers.txt --out out
    """
    from graphbuild.commands.stage_progress import StageProgress
    from graphbuild.commands.stats import counts_table
    from graphbuild.extract.pipeline import ExtractorConfig
    from graphbuild.gc_pause import tune_worker_gc
    from graphbuild.pipeline import build
    from graphbuild.stats import GraphStats

    on_error = check_on_error(on_error)
    config = ExtractorConfig(extractor=check_extractor(extractor))
    _stop_on_sigterm()
    tune_worker_gc()  # the paperkg process itself: fewer young-generation collections over the name table
    with StageProgress() as progress:
        result = build(inputs, out_dir, fmt=fmt, on_error=on_error, workers=workers, scheduler=scheduler,
                       shard_size=shard_size, embedded=embedded, view=view, neo4j_admin=neo4j_admin, cache=cache,
                       progress=progress, config=config)  # fmt: skip
    print_ingest_report(result.report)
    ex = result.extraction
    where = cache or out_dir / "cache"
    err.print(f"Extracted {ex.extracted:,} papers, reused {ex.reused:,} from the cache in {where}.",
              highlight=False, markup=False)  # fmt: skip
    stats = GraphStats(result.counts.nodes, result.counts.relationships, {})
    out.print(counts_table(stats, f"Graph written to {result.graph_path}"))
    if result.embedded_path:
        err.print(f"Embedded database: {result.embedded_path}", highlight=False, markup=False)
    if result.view_path:
        err.print(f"Viewer: {result.view_path} ({result.view_note})", highlight=False, markup=False)


def _stop_on_sigterm() -> None:
    """SIGTERM (``kill``, ``docker stop``) ends a build like Ctrl-C: its temporary files are removed and the
    previous build stays. (The paperkg process only: a library call never installs signal handlers.)"""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
