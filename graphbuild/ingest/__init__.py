"""Reading papers from files: one reader per format, one validator, one de-duplicator.

>>> report = IngestReport()
>>> papers = list(read_papers(["data/hf_trending_papers.txt"], report=report))  # doctest: +SKIP

Every record read is accounted for: ``read == kept + skipped + merged``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from graphbuild.errors import InputError, UnsupportedFormatError
from graphbuild.ingest.normalize import title_fingerprint
from graphbuild.ingest.records import to_paper
from graphbuild.ingest.source import BadRecord, RawRecord, is_gzip
from graphbuild.model import Paper

log = logging.getLogger(__name__)

Format = Literal["trending", "jsonl", "csv", "bibtex"]
OnError = Literal["stop", "skip"]
FORMATS: tuple[str, ...] = ("trending", "jsonl", "csv", "bibtex")
_EXTENSIONS: dict[str, Format] = {
    ".txt": "trending", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv", ".bib": "bibtex", ".bibtex": "bibtex",
}  # fmt: skip


def _reader(fmt: Format) -> Callable[[Path], Iterator[RawRecord | BadRecord]]:
    if fmt == "trending":
        from graphbuild.ingest.trending import read_trending

        return read_trending
    if fmt == "jsonl":
        from graphbuild.ingest.jsonl import read_jsonl

        return read_jsonl
    if fmt == "csv":
        from graphbuild.ingest.csv_reader import read_csv

        return read_csv
    from graphbuild.ingest.bibtex import read_bibtex

    return read_bibtex


def detect_format(path: Path, given: str | None = None) -> Format:
    """``--format`` if given, else the extension (``.gz`` looked through)."""
    if given:
        if given not in FORMATS:
            raise UnsupportedFormatError(str(path), None, f"unknown format {given!r}; use one of {', '.join(FORMATS)}")
        return given  # type: ignore[return-value]
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if suffixes and suffixes[-1] in _EXTENSIONS:
        return _EXTENSIONS[suffixes[-1]]
    raise UnsupportedFormatError(
        str(path), None,
        f"cannot tell the format from the name {path.name!r}; pass --format "
        f"({', '.join(FORMATS)}) or use .txt/.jsonl/.csv/.bib[.gz]",
    )  # fmt: skip


@dataclass
class IngestReport:
    """Counts of one ingest run (mutable: filled while papers stream)."""

    read: int = 0
    kept: int = 0
    merged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)  # first few "file:line: reason"
    files: int = 0

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def balanced(self) -> bool:
        return self.read == self.kept + self.skipped_total + self.merged

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "read": self.read,
            "kept": self.kept,
            "merged_duplicates": self.merged,
            "skipped": self.skipped_total,
            "skipped_reasons": dict(self.skipped),
            "skipped_examples": self.examples,
        }


def _reason_kind(reason: str) -> str:
    """Group reasons for the report ('invalid JSON: Expecting...' → 'invalid JSON')."""
    head = reason.split(":", 1)[0] if ":" in reason[:40] else reason
    return head.split(" (")[0].split(",")[0][:60]


def read_papers(
    paths: Iterable[str | Path],
    *,
    fmt: str | None = None,
    on_error: OnError = "stop",
    report: IngestReport | None = None,
) -> Iterator[Paper]:
    """Stream validated, de-duplicated papers from several files.

    ``on_error="stop"`` raises :class:`InputError` (``file:line: reason``) at the
    first bad record; ``"skip"`` skips it and counts it in ``report``.
    Duplicates (same id or same normalized title) keep the first occurrence.
    """
    report = report if report is not None else IngestReport()
    seen_ids: set[str] = set()
    seen_titles: set[str] = set()
    for raw_path in paths:
        path = Path(raw_path)
        if not path.is_file():
            raise InputError(str(path), None, "no such file")
        chosen = detect_format(path, fmt)
        report.files += 1
        log.info("reading %s as %s%s", path, chosen, " (gzip)" if is_gzip(path) else "")
        for item in _reader(chosen)(path):
            report.read += 1
            paper = to_paper(item) if isinstance(item, RawRecord) else item
            if isinstance(paper, BadRecord):
                if on_error == "stop":
                    raise paper.error()
                report.skipped[_reason_kind(paper.reason)] += 1
                if len(report.examples) < 20:
                    report.examples.append(f"{paper.path}:{paper.line}: {paper.reason}")
                log.warning("skipped %s:%s: %s", paper.path, paper.line, paper.reason)
                continue
            fp = title_fingerprint(paper.title)
            if paper.id in seen_ids or fp in seen_titles:
                report.merged += 1
                log.info("duplicate of an earlier paper merged: %s (%s)", paper.source, paper.id)
                continue
            seen_ids.add(paper.id)
            seen_titles.add(fp)
            report.kept += 1
            yield paper
