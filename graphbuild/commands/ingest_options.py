"""Options shared by every command that reads papers (build, extract)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graphbuild.commands.common import err
from graphbuild.errors import one_line
from graphbuild.ingest import IngestReport

Inputs = Annotated[
    list[Path],
    typer.Argument(
        help="Input files or folders (every supported file inside, recursively): .txt (trending-papers), "
        ".jsonl (arXiv or plain), .csv, .bib; .gz too."
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", "-f", help="Input format when the extension does not tell: trending, jsonl, csv, bibtex."),
]
OnErrorOpt = Annotated[
    str,
    typer.Option(
        "--on-error",
        help="stop: the first bad record ends the run (file:line, exit 2); skip: skip and count bad records.",
        case_sensitive=False,
    ),
]
WorkersOpt = Annotated[int, typer.Option("--workers", "-j", min=1, help="Extraction processes (same output).")]
ExtractorOpt = Annotated[
    str,
    typer.Option("--extractor", help="learned: rules and the learned span tagger (default); rules: rules only."),
]


def check_extractor(value: str) -> str:
    from graphbuild.errors import ConfigError
    from graphbuild.extract.pipeline import EXTRACTORS

    if value not in EXTRACTORS:
        raise ConfigError(f"--extractor must be one of {', '.join(EXTRACTORS)}, got {value!r}")
    return value
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Extract on a Dask cluster: tcp://HOST:8786 (a running scheduler) or local:N (N local Dask "
        "workers); same output as a local run. Needs paperkg[dask].",
    ),
]


def check_on_error(value: str) -> str:
    from graphbuild.errors import ConfigError

    v = value.lower()
    if v not in ("stop", "skip"):
        raise ConfigError(f"--on-error must be 'stop' or 'skip', not {value!r}")
    return v


def print_ingest_report(report: IngestReport) -> None:
    """read / kept / merged / skipped (with reasons), repairs and merge conflicts on stderr."""
    files = f"{report.files} file{'s' if report.files != 1 else ''}"
    t = Table(title=f"Input records ({files} read)", show_header=True, header_style="bold")
    t.add_column("read", justify="right")
    t.add_column("kept", justify="right")
    t.add_column("duplicates merged", justify="right")
    t.add_column("skipped", justify="right")
    t.add_row(str(report.read), str(report.kept), str(report.merged), str(report.skipped_total))
    err.print(t)
    for reason, n in report.skipped.most_common():
        err.print(f"  skipped {n} × {one_line(reason)}", highlight=False, markup=False)
    for line in report.examples[:5]:
        err.print(f"    e.g. {one_line(line)}", highlight=False, markup=False)
    for what, n in report.repaired.most_common():
        err.print(f"  repaired {n} × {one_line(what)} (record kept)", highlight=False, markup=False)
    if report.conflicts:
        err.print(
            f"  {report.conflicts} merged duplicate(s) disagreed with the record kept; their values are in its "
            f"source, e.g. {one_line(report.conflict_examples[0])}",
            highlight=False, markup=False,
        )  # fmt: skip


ShardSizeOpt = Annotated[
    int,
    typer.Option("--shard-size", min=1, help="Papers per extraction task (memory grows with it, not with the corpus)."),
]
