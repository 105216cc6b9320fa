"""``paperkg extract``: the extraction records, one JSON line per paper."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer

from graphbuild.commands.common import cli_command, err
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
def extract_command(
    inputs: Inputs,
    out_path: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the JSON Lines records; - for stdout.")
    ] = Path("mentions.jsonl"),
    fmt: FormatOpt = None,
    on_error: OnErrorOpt = "stop",
    workers: WorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    shard_size: ShardSizeOpt = 2000,
    extractor: ExtractorOpt = "learned",
) -> None:
    """Extract methods, benchmarks, tasks and domains per paper (with evidence) to JSON Lines.

    Example: paperkg extract data/hf_trending_papers.txt --out mentions.jsonl

    Example: paperkg extract data/hf_trending_papers.txt --extractor rules --out rules.jsonl

    Example: paperkg extract data/hf_trending_papers.txt --out - --on-error skip
    """
    import time

    from graphbuild.commands.stage_progress import StageProgress
    from graphbuild.errors import OutputError
    from graphbuild.extract.pipeline import ExtractorConfig
    from graphbuild.gc_pause import tune_worker_gc
    from graphbuild.pipeline import extract_records, write_mentions

    on_error = check_on_error(on_error)
    config = ExtractorConfig(extractor=check_extractor(extractor))
    to_stdout = str(out_path) == "-"  # the records on stdout, the report on stderr
    if not to_stdout and out_path.is_dir():
        raise OutputError(f"--out {out_path}: is a folder; extract writes one JSON Lines file (e.g. mentions.jsonl)")
    tune_worker_gc()
    t0 = time.perf_counter()
    # spill files beside the output (the system's temporary folder may be small); for stdout, in the cwd
    spill = Path.cwd() if to_stdout else out_path.absolute().parent
    work = spill / f".{'stdout' if to_stdout else out_path.name}.work-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    try:
        work.mkdir(parents=True)
    except OSError as e:
        raise OutputError(f"--out {out_path}: cannot write there ({e.strerror or e})") from None
    try:
        with StageProgress() as progress:
            records = extract_records(inputs, work, fmt=fmt, on_error=on_error, workers=workers,
                                      scheduler=scheduler, shard_size=shard_size, progress=progress,
                                      config=config)  # fmt: skip
            report = next(records)
            counted = _Counting(records)
            n = write_mentions(counted, sys.stdout.buffer if to_stdout else out_path)  # type: ignore[arg-type]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_ingest_report(report)  # type: ignore[arg-type]
    where = "stdout" if to_stdout else out_path
    err.print(f"Wrote {n} records ({counted.mentions} mentions) to {where} in {time.perf_counter() - t0:.1f}s",
              highlight=False, markup=False)  # fmt: skip


class _Counting:
    def __init__(self, records: object) -> None:
        self.records = records
        self.mentions = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        for ex in self.records:  # type: ignore[attr-defined]
            self.mentions += len(ex.mentions)
            yield ex
