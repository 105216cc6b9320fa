"""``paperkg extract``: the extraction records, one JSON line per paper."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphbuild.commands.common import cli_command, err, progress_bar
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


@cli_command
def extract_command(
    inputs: Inputs,
    out_path: Annotated[Path, typer.Option("--out", "-o", help="Where to write the JSON Lines records.")] = Path(
        "mentions.jsonl"
    ),
    fmt: FormatOpt = None,
    on_error: OnErrorOpt = "stop",
    workers: WorkersOpt = 1,
    extractor: ExtractorOpt = "learned",
) -> None:
    """Extract methods, benchmarks, tasks and domains per paper (with evidence) to JSON Lines.

    Example: paperkg extract data/hf_trending_papers.txt --out mentions.jsonl

    Example: paperkg extract data/hf_trending_papers.txt --extractor rules --out rules.jsonl
    """
    from graphbuild.pipeline import extract, write_mentions

    on_error = check_on_error(on_error)
    extractor = check_extractor(extractor)
    with progress_bar("Extracting") as advance:
        result = extract(inputs, fmt=fmt, on_error=on_error, workers=workers, on_progress=advance,
                         extractor=extractor)
    n = write_mentions(result.extractions, out_path)
    print_ingest_report(result.report)
    mentions = sum(len(e.mentions) for e in result.extractions)
    err.print(f"Wrote {n} records ({mentions} mentions) to {out_path} in {result.seconds:.1f}s")
