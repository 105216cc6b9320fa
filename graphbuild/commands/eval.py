"""``paperkg eval``: score extraction records against an annotated gold file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graphbuild.commands.common import cli_command, out
from graphbuild.commands.result_output import JsonFlag, ReportFormat
from graphbuild.evaluate import EvalReport, evaluate_files

_ROW_LABELS = {
    "method": "method",
    "benchmark": "benchmark",
    "task": "task",
    "entity": "entities",
    "domain": "domain",
}


@cli_command
def eval_command(
    predictions: Annotated[
        Path, typer.Argument(help="Extraction records to score (JSONL from `paperkg extract`).")
    ],
    gold: Annotated[
        Path, typer.Option("--gold", "-g", help="Gold file (JSON; format: tests/gold/README.md).")
    ],
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="table (for reading) or json (the whole report, per-paper diff too)."),
    ] = ReportFormat.table,
    as_json: JsonFlag = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Also print each paper's misses, extras and role errors.")
    ] = False,
) -> None:
    """Score extraction records against a gold file: precision, recall and F1 per type, and role accuracy.

    A prediction matches a gold entity if its name or a surface equals a gold name or alias, normalized.

    Borderline gold entities and the gold file's generic terms are neither rewarded nor penalized.

    Example: paperkg extract tests/gold/dev_papers.jsonl --out /tmp/pred.jsonl
    && paperkg eval --gold tests/gold/dev.json /tmp/pred.jsonl --diff
    """
    report = evaluate_files(gold, predictions)
    if as_json or fmt is ReportFormat.json:
        # plain print: rich would re-wrap and colour the JSON
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    out.print(score_table(report))
    if report.spans:
        out.print(span_table(report))
    out.print(_paper_summary(report), highlight=False)
    if diff:
        print_diff(report)


def score_table(report: EvalReport) -> Table:
    """The P/R/F1 table: one row per link type, micro-averaged over papers."""
    table = Table(
        title="paper→entity links",
        title_justify="left",
        caption="P/R/F1 micro-averaged over papers; entities = methods + benchmarks; tasks only where annotated;\n"
        "ign. = borderline/generic predictions (not scored); role acc. = share of matched links (n)",
        caption_justify="left",
    )
    for col in ("type", "TP", "FP", "FN", "ign.", "P", "R", "F1", "role acc."):
        table.add_column(col, justify="left" if col == "type" else "right", no_wrap=True)
    for type_, label in _ROW_LABELS.items():
        c = report.counts[type_]
        acc = report.role_accuracy(type_)
        matched = report.roles.get(type_, (0, 0))[1]
        role = "—" if type_ in ("domain", "task") else ("n/a" if acc is None else f"{acc:.3f} ({matched})")
        table.add_row(
            label,
            str(c.tp),
            str(c.fp),
            str(c.fn),
            str(c.ignored),
            f"{c.precision:.3f}",
            f"{c.recall:.3f}",
            f"[bold]{c.f1:.3f}[/]",
            role,
        )
    return table


def span_table(report: EvalReport) -> Table:
    """Mention-level scores, for golds with character offsets: exact spans and overlapping spans."""
    table = Table(title="mentions (gold with offsets)", title_justify="left",
                  caption="exact: same type, field, start and end; overlap: the spans share a character",
                  caption_justify="left")
    for col in ("type", "gold", "predicted", "exact P", "exact R", "exact F1", "overlap P", "overlap R"):
        table.add_column(col, justify="left" if col == "type" else "right", no_wrap=True)
    for t, c in report.spans.items():
        e = c.exact_counts
        table.add_row(t, str(c.gold), str(c.predicted), f"{e.precision:.3f}", f"{e.recall:.3f}",
                      f"[bold]{e.f1:.3f}[/]", f"{c.overlap_precision:.3f}", f"{c.overlap_recall:.3f}")
    return table


def _paper_summary(report: EvalReport) -> str:
    by_id = sum(p.matched_by == "id" for p in report.papers)
    by_title = sum(p.matched_by == "title" for p in report.papers)
    missing = len(report.papers_missing)
    text = (
        f"gold papers: {len(report.papers)} (paired by id: {by_id}, by title: {by_title}, "
        f"not predicted: {missing}); predicted papers not in gold: {report.unmatched_predictions}"
    )
    if missing:
        text += "\n[yellow]papers without a prediction count all their gold links as misses[/]"
    return text


def print_diff(report: EvalReport) -> None:
    """Each paper's misses (-), extras (+) and role errors (~)."""
    for p in report.papers:
        if p.clean:
            continue
        ident = f" [dim]\\[{p.id}][/]" if p.id else ""
        out.print()
        out.print(f"[bold]{_escape(p.title)}[/]{ident}", highlight=False)
        if p.matched_by is None:
            out.print("  [yellow](no prediction for this paper)[/]")
        for link in p.missed:
            role = f" ({link.role})" if link.role else ""
            out.print(f"  [red]- missed {link.type}:[/] {_escape(link.name)}{role}", highlight=False)
        for link in p.extra:
            role = f" ({link.role})" if link.role else ""
            note = f" [dim]— {_escape(link.note)}[/]" if link.note else ""
            out.print(f"  [green]+ extra {link.type}:[/] {_escape(link.name)}{role}{note}", highlight=False)
        for e in p.role_errors:
            name = e.gold_name if e.gold_name == e.pred_name else f"{e.gold_name} (as {e.pred_name})"
            out.print(
                f"  [yellow]~ role {e.type}:[/] {_escape(name)}: gold {e.gold_role}, predicted {e.pred_role}",
                highlight=False,
            )


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
