"""Reading papers from files: one reader per format, one validator, one de-duplicator.

>>> report = IngestReport()
>>> papers = list(read_papers(["data/hf_trending_papers.txt"], report=report))  # doctest: +SKIP

Every record read is accounted for: ``read == kept + skipped + merged``.

Inputs are files or folders (every supported file inside, recursively, in sorted order). Reading
takes two passes over the files: the first validates every record (so ``--on-error stop`` fails
before any paper is extracted) and finds duplicates — the same id or the same normalized title —
the second yields each paper once, its first record completed field by field from its duplicates
(DOI, year, URL, authors, categories the first record lacks). Between the passes, only ids and the
duplicates' few fields are held — and, while the texts read so far total at most :data:`HOLD_CHARS`
characters, the checked records themselves: the second pass then reads them from memory, not the
files again (reading and checking 20k abstracts twice was ~2% of a whole ``paperkg extract``).
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from graphbuild.errors import InputError, UnsupportedFormatError
from graphbuild.ingest.normalize import title_fingerprint
from graphbuild.ingest.records import Checked, check_record
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
#: fields a later duplicate may fill in when the first record lacks them
MERGED_FIELDS = ("doi", "year", "url", "authors", "categories")
#: a merged paper's ``source`` names at most this many records
MAX_SOURCES = 20
#: the first pass keeps its checked records for the second while their titles and abstracts total at most
#: this many characters (~50k abstracts; past it, they are dropped and the files are read again)
HOLD_CHARS = 64_000_000

Reader = Callable[[Path, str], Iterator[RawRecord | BadRecord]]


def _reader(fmt: Format) -> Reader:
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


def _format_of_name(path: Path) -> Format | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return _EXTENSIONS.get(suffixes[-1]) if suffixes else None


def detect_format(path: Path, given: str | None = None, name: str | None = None) -> Format:
    """``--format`` if given, else the extension (``.gz`` looked through). ``name``: the path as given."""
    where = name if name is not None else str(path)
    if given:
        if given not in FORMATS:
            raise UnsupportedFormatError(where, None, f"unknown format {given!r}; use one of {', '.join(FORMATS)}")
        return given  # type: ignore[return-value]
    found = _format_of_name(path)
    if found:
        return found
    raise UnsupportedFormatError(
        where, None,
        f"cannot tell the format from the name {path.name!r}; pass --format "
        f"({', '.join(FORMATS)}) or use .txt/.jsonl/.csv/.bib[.gz]",
    )  # fmt: skip


@dataclass(frozen=True)
class InputFile:
    """One file to read: its path, its name as the user gave it (for messages), its format."""

    path: Path
    name: str
    format: Format


def _is_build_output(folder: str, files: list[str]) -> bool:
    """A ``paperkg build`` output folder (its graph.json is not an input)."""
    if "graph.json" not in files:
        return False
    try:
        with open(os.path.join(folder, "graph.json"), "rb") as f:
            return f.read(20).startswith(b'{"schema_version"')
    except OSError:
        return False


def _walk(folder: Path, given: str, fmt: str | None) -> list[InputFile]:
    """Every supported file under ``folder``, sorted, recursively; hidden entries and build outputs skipped."""
    found: list[InputFile] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if _is_build_output(root, files):
            continue
        rel = os.path.relpath(root, folder)
        for f in sorted(files):
            if f.startswith("."):
                continue
            path = Path(root) / f
            chosen = _format_of_name(path)
            if chosen is None or (fmt and chosen != fmt) or not path.is_file():
                continue
            name = os.path.join(given, f) if rel == "." else os.path.join(given, rel, f)
            found.append(InputFile(path, name, chosen))
    return found


def expand_inputs(paths: Iterable[str | Path], fmt: str | None = None) -> list[InputFile]:
    """Files and folders as given → the files to read, in order, each once.

    A folder contributes every file with a supported extension inside it (recursively, sorted by
    path); with ``fmt``, only that format's files. A folder without any is an :class:`InputError`.
    """
    if fmt and fmt not in FORMATS:
        raise UnsupportedFormatError(str(fmt), None, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    out: list[InputFile] = []
    seen: set[Path] = set()
    for raw in paths:
        given = os.fspath(raw)
        path = Path(given)
        if path.is_dir():
            found = _walk(path, given, fmt)
            if not found:
                exts = ", ".join(sorted(e for e, f in _EXTENSIONS.items() if not fmt or f == fmt))
                raise InputError(given, None, f"no input files in this folder (looked for {exts}, also .gz, "
                                 "in every subfolder)")  # fmt: skip
        elif path.is_file():
            found = [InputFile(path, given, detect_format(path, fmt, given))]
        elif path.exists():
            raise InputError(given, None, "not a regular file or folder")
        else:
            raise InputError(given, None, "no such file or folder")
        for f in found:
            key = f.path.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


@dataclass
class IngestReport:
    """Counts of one ingest run (mutable: filled while papers stream)."""

    read: int = 0
    kept: int = 0
    merged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)  # first few "file:line: reason"
    files: int = 0
    #: "field: what was done" → records (values ignored or characters replaced; the record was kept)
    repaired: Counter[str] = field(default_factory=Counter)
    #: merged duplicates whose fields disagreed with the kept record (the values are in its ``source``)
    conflicts: int = 0
    conflict_examples: list[str] = field(default_factory=list)
    #: papers the reading will yield, known once the first pass is done (a progress total)
    expected: int | None = None

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
            "repaired": dict(self.repaired),
            "merge_conflicts": self.conflicts,
            "merge_conflict_examples": self.conflict_examples,
        }


def _reason_kind(reason: str) -> str:
    """Group reasons for the report ('invalid JSON: Expecting...' → 'invalid JSON'; a field's problem
    keeps the field: 'title: invalid UTF-8 (byte 0xe9 ...)' → 'title: invalid UTF-8')."""
    parts = reason.split(" (")[0].split(": ")
    kind = ": ".join(parts[:2]) if len(parts) > 1 and " " not in parts[0] else parts[0]
    return kind.split(",")[0][:60]


def _records(files: list[InputFile]) -> Iterator[RawRecord | BadRecord]:
    for f in files:
        log.info("reading %s as %s%s", f.name, f.format, " (gzip)" if is_gzip(f.path) else "")
        yield from _reader(f.format)(f.path, f.name)


@dataclass
class _Plan:
    """What the first pass learnt: which records are duplicates of which, and their fields."""

    records: int = 0
    duplicate_of: dict[int, int] = field(default_factory=dict)  # record number → its group's first record
    later: dict[int, list[Paper]] = field(default_factory=dict)  # first record → its duplicates' papers
    repaired: Counter[str] = field(default_factory=Counter)  # repairs in duplicates (not validated again)
    kept: int = 0
    #: every record, checked, in order (None: past ``hold_chars``, the second pass reads the files again)
    held: list[Checked | BadRecord] | None = None


def _plan(files: list[InputFile], on_error: OnError, hold_chars: int) -> _Plan:
    plan = _Plan()
    by_id: dict[str, int] = {}
    by_title: dict[str, int] = {}
    held: list[Checked | BadRecord] | None = []
    chars = 0
    for k, item in enumerate(_records(files)):
        plan.records += 1
        # a held record is checked in full here (normalized text included): the second pass uses it as is
        checked = check_record(item, normalize=held is not None) if isinstance(item, RawRecord) else item
        if held is not None:
            if isinstance(checked, Checked):
                chars += len(checked.paper.title) + len(checked.paper.abstract)
            if chars > hold_chars:
                held = None
            else:
                held.append(checked)
        if isinstance(checked, BadRecord):
            if on_error == "stop":
                raise checked.error()
            continue
        p = checked.paper
        # a title without letters or digits has no fingerprint: it only merges by id
        fp = title_fingerprint(p.title)
        group = by_id.get(p.id)
        if group is None and fp:
            group = by_title.get(fp)
        if group is None:
            by_id[p.id] = k
            if fp:
                by_title[fp] = k
            plan.kept += 1
            continue
        plan.duplicate_of[k] = group
        plan.later.setdefault(group, []).append(p)
        plan.repaired.update(checked.repairs)
        # the duplicate's own id and title now name the same paper
        by_id.setdefault(p.id, group)
        if fp:
            by_title.setdefault(fp, group)
    plan.held = held
    return plan


def _drain(items: list[Checked | BadRecord]) -> Iterator[Checked | BadRecord]:
    """The items in order, each dropped from the list as it is taken (memory goes as the papers do)."""
    items.reverse()
    while items:
        yield items.pop()


def _same(name: str, a: object, b: object) -> bool:
    if name == "authors" or name == "categories":
        return [str(x).casefold() for x in a] == [str(x).casefold() for x in b]  # type: ignore[attr-defined]
    if name == "url" or name == "doi":
        return str(a).rstrip("/").casefold() == str(b).rstrip("/").casefold()
    return a == b


def _show(value: object) -> str:
    if isinstance(value, tuple):
        value = ", ".join(value)
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def merge_duplicates(first: Paper, later: list[Paper]) -> tuple[Paper, list[str]]:
    """``first`` with the fields it lacks taken from ``later`` records (in order), and its ``source``
    naming every record, each later one with the values that disagreed (``a.jsonl:1; b.csv:7 (year=2021)``).
    Returns the paper and one line per disagreeing record."""
    values = {name: getattr(first, name) for name in MERGED_FIELDS}
    sources = [first.source]
    conflicts = []
    for p in later:
        differ = []
        for name in MERGED_FIELDS:
            theirs = getattr(p, name)
            if theirs in (None, ()):
                continue
            if values[name] in (None, ()):
                values[name] = theirs
            elif not _same(name, values[name], theirs):
                differ.append(f"{name}={_show(theirs)}")
        if len(sources) < MAX_SOURCES:
            sources.append(p.source + (f" ({'; '.join(differ)})" if differ else ""))
        if differ:
            conflicts.append(f"{p.source}: {', '.join(differ)} (kept {first.source}'s)")
    if len(later) + 1 > MAX_SOURCES:
        sources.append(f"and {len(later) + 1 - MAX_SOURCES} more")
    return replace(first, **values, source="; ".join(sources)), conflicts


def read_papers(
    paths: Iterable[str | Path],
    *,
    fmt: str | None = None,
    on_error: OnError = "stop",
    report: IngestReport | None = None,
) -> Iterator[Paper]:
    """Stream validated, de-duplicated papers from files and folders.

    ``on_error="stop"`` raises :class:`InputError` (``file:line: reason``) at the
    first bad record, before any paper is yielded; ``"skip"`` skips it and counts it
    in ``report``. Duplicates (same id or same normalized title) are merged into the
    first occurrence, which keeps its id.
    """
    report = report if report is not None else IngestReport()
    files = expand_inputs(paths, fmt)
    report.files = len(files)
    plan = _plan(files, on_error, HOLD_CHARS)
    report.expected = plan.kept
    report.repaired.update(plan.repaired)
    seen = 0
    held = plan.held
    items: Iterator[RawRecord | BadRecord | Checked] = _drain(held) if held is not None else _records(files)
    plan.held = None
    for k, item in enumerate(items):
        seen += 1
        report.read += 1
        if k in plan.duplicate_of:
            report.merged += 1
            log.info("duplicate merged: %s", item.paper.source if isinstance(item, Checked) else item.path)
            continue
        checked = check_record(item) if isinstance(item, RawRecord) else item
        if isinstance(checked, BadRecord):
            if on_error == "stop":
                raise checked.error()
            report.skipped[_reason_kind(checked.reason)] += 1
            if len(report.examples) < 20:
                report.examples.append(f"{checked.path}:{checked.line}: {checked.reason}")
            log.warning("skipped %s:%s: %s", checked.path, checked.line, checked.reason)
            continue
        assert isinstance(checked, Checked)
        report.repaired.update(checked.repairs)
        paper = checked.paper
        if k in plan.later:
            paper, conflicts = merge_duplicates(paper, plan.later[k])
            report.conflicts += len(conflicts)
            report.conflict_examples.extend(conflicts[: max(0, 20 - len(report.conflict_examples))])
        report.kept += 1
        yield paper
    if seen != plan.records:
        raise InputError(
            files[-1].name if files else "input", None,
            f"the input changed while it was read ({plan.records} records, then {seen}); run again",
        )  # fmt: skip
