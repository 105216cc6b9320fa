"""The first pass's held records: reading from memory gives exactly what reading the files twice gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import graphbuild.ingest
from graphbuild.ingest import IngestReport, read_papers

FIX = Path(__file__).parent.parent / "fixtures" / "ingest"


def _inputs(tmp_path: Path) -> list[Path]:
    a = tmp_path / "a.jsonl"
    rows = [
        {"id": "p1", "title": "Deep Nets", "abstract": "We use  X \\emph{here}.", "year": 2019},
        {"id": "p2", "title": "Bad year", "abstract": "A $\\alpha$-net on CIFAR-10.", "year": "not a year"},
        {"id": "p1", "title": "Deep nets", "abstract": "Other text.", "year": 2020, "doi": "10.1145/xyz"},
        {"id": "p3", "title": "", "abstract": "no title"},
    ]
    a.write_text("".join(json.dumps(r) + "\n" for r in rows) + "{broken\n", "utf-8")
    b = tmp_path / "b.csv"
    b.write_text('title,abstract,year\n"deep nets!","Third copy.",2021\n"Fresh","A fresh abstract.",2022\n', "utf-8")
    return [a, b, FIX / "plain.jsonl", FIX / "refs.bib", FIX / "trending.txt"]


def _read(paths: list[Path], hold_chars: int, monkeypatch: pytest.MonkeyPatch) -> tuple[list, dict, int, int]:
    """Papers, report, expected count, and how many times a file was opened by a reader."""
    monkeypatch.setattr(graphbuild.ingest, "HOLD_CHARS", hold_chars)
    opened = 0
    real = graphbuild.ingest._reader

    def counting(fmt):  # type: ignore[no-untyped-def]
        read = real(fmt)

        def wrapped(path, name):  # type: ignore[no-untyped-def]
            nonlocal opened
            opened += 1
            yield from read(path, name)

        return wrapped

    monkeypatch.setattr(graphbuild.ingest, "_reader", counting)
    report = IngestReport()
    papers = list(read_papers(paths, on_error="skip", report=report))
    return papers, report.as_dict(), report.expected, opened


@pytest.mark.parametrize("budget", [0, 60, 200])  # the files read again from the first record, or midway
def test_held_records_give_what_a_second_reading_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       budget: int) -> None:  # fmt: skip
    paths = _inputs(tmp_path)
    held, held_report, held_expected, held_opened = _read(paths, 10**9, monkeypatch)
    again, again_report, again_expected, again_opened = _read(paths, budget, monkeypatch)
    assert held_opened == len(paths) and again_opened == 2 * len(paths)  # each file once / twice
    assert held == again and held_report == again_report and held_expected == again_expected
    # a real comparison: merged duplicates (with a conflict), a skipped record, a repair, normalized text
    assert held_report["merged_duplicates"] == 3 and held_report["merge_conflicts"] >= 1
    assert held_report["skipped"] == 2 and held_report["repaired"]
    deep = next(p for p in held if p.id == "p1")
    assert deep.doi == "10.1145/xyz" and deep.abstract_norm == "We use X here."
    assert all(p.abstract_norm for p in held)


def test_a_bad_record_stops_before_any_paper_when_held(tmp_path: Path) -> None:
    from graphbuild.errors import InputError

    paths = _inputs(tmp_path)
    with pytest.raises(InputError, match=r"a.jsonl:4: missing title"):
        next(read_papers(paths))
