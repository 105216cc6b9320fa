"""Every kind of bad input: one clear line naming file and line, exit 2; --on-error skip counts it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.errors import InputError
from graphbuild.ingest import IngestReport, read_papers

GOOD = '{"title": "Good paper %d", "abstract": "We use BERT."}\n'


def _jsonl(tmp_path: Path, lines: list[str], name: str = "papers.jsonl") -> Path:
    p = tmp_path / name
    p.write_text("".join(lines), encoding="utf-8")
    return p


def _cases(tmp_path: Path) -> dict[str, tuple[Path, int, str]]:
    """name → (file, bad line, expected message fragment); each file has good records around one bad one."""
    cases: dict[str, tuple[Path, int, str]] = {}
    cases["invalid_json"] = (_jsonl(tmp_path, [GOOD % 1, '{"title": "x", "abstract": \n', GOOD % 2], "j.jsonl"),
                             2, "invalid JSON")  # fmt: skip
    cases["missing_title"] = (_jsonl(tmp_path, [GOOD % 1, '{"abstract": "no title"}\n'], "t.jsonl"), 2,
                              "missing title")  # fmt: skip
    cases["empty_abstract"] = (_jsonl(tmp_path, [GOOD % 1, '{"title": "T", "abstract": "  "}\n', GOOD % 3],
                                      "e.jsonl"), 2, "empty or missing abstract")  # fmt: skip
    cases["missing_abstract"] = (_jsonl(tmp_path, ['{"title": "T"}\n', GOOD % 1], "m.jsonl"), 1,
                                 "empty or missing abstract")  # fmt: skip
    huge = json.dumps({"title": "Huge", "abstract": "word " * 1_048_576}) + "\n"  # 5 MiB
    cases["5mb_abstract"] = (_jsonl(tmp_path, [GOOD % 1, GOOD % 2, huge], "h.jsonl"), 3, "over the 100,000 limit")
    bad_utf8 = tmp_path / "u.jsonl"
    bad_utf8.write_bytes((GOOD % 1).encode() + b'{"title": "Caf\xe9", "abstract": "ok"}\n' + (GOOD % 2).encode())
    cases["invalid_utf8"] = (bad_utf8, 2, "invalid UTF-8")
    bib = tmp_path / "b.bib"
    bib.write_text(
        "@article{good1, title={Good}, abstract={We use {BERT}.}}\n"
        "@article{broken,\n  title = {Unbalanced {braces},\n  abstract = {text}\n"
        "@article{good2, title={Also good}, abstract={Fine.}}\n",
        encoding="utf-8",
    )
    cases["bibtex_unbalanced"] = (bib, 2, "unbalanced braces in entry 'broken'")
    trending = tmp_path / "x.txt"
    trending.write_text("Title one\nAbstract one.\nTitle two\n\nTitle three\nAbstract three.\n", encoding="utf-8")
    cases["trending_empty_abstract"] = (trending, 4, "empty abstract")
    csv_file = tmp_path / "c.csv"
    csv_file.write_text('title,abstract\n"Good","Text."\n"Bad row"\n"Good 2","More."\n', encoding="utf-8")
    cases["csv_short_row"] = (csv_file, 3, "expected 2 columns, found 1")
    return cases


CASES = ["invalid_json", "missing_title", "empty_abstract", "missing_abstract", "5mb_abstract",
         "invalid_utf8", "bibtex_unbalanced", "trending_empty_abstract", "csv_short_row"]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_stop_mode_names_file_and_line(tmp_path: Path, case: str) -> None:
    path, line, fragment = _cases(tmp_path)[case]
    with pytest.raises(InputError) as ei:
        list(read_papers([path]))
    assert str(ei.value).startswith(f"{path}:{line}: ")
    assert fragment in str(ei.value)


@pytest.mark.parametrize("case", CASES)
def test_skip_mode_counts_and_balances(tmp_path: Path, case: str) -> None:
    path, _line, fragment = _cases(tmp_path)[case]
    report = IngestReport()
    papers = list(read_papers([path], on_error="skip", report=report))
    assert report.skipped_total == 1
    assert report.balanced(), report.as_dict()
    assert len(papers) == report.kept >= 1
    assert fragment in report.examples[0]


@pytest.mark.parametrize("case", ["invalid_json", "5mb_abstract", "bibtex_unbalanced", "invalid_utf8"])
def test_cli_one_line_exit_2_no_traceback(tmp_path: Path, case: str) -> None:
    path, line, fragment = _cases(tmp_path)[case]
    result = CliRunner().invoke(app, ["build", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert f"{path.name}:{line}: " in result.output and fragment in result.output
    assert not (tmp_path / "out" / "graph.json").exists()


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress("".join(GOOD % i for i in range(2000)).encode())
    path = tmp_path / "p.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated gzip file"):
        list(read_papers([path]))
    report = IngestReport()
    papers = list(read_papers([path], on_error="skip", report=report))
    assert 0 < len(papers) < 2000
    assert report.skipped == {"truncated gzip file": 1} and report.balanced()


def test_csv_without_abstract_column(tmp_path: Path) -> None:
    path = tmp_path / "noabs.csv"
    path.write_text("title,year\nA paper,2020\n", encoding="utf-8")
    for mode in ("stop", "skip"):  # a header problem makes the whole file unreadable
        with pytest.raises(InputError) as ei:
            list(read_papers([path], on_error=mode))  # type: ignore[arg-type]
        assert str(ei.value).startswith(f"{path}:1: missing column 'abstract'")
        assert "found: title, year" in str(ei.value)
    result = CliRunner().invoke(app, ["extract", str(path), "--out", str(tmp_path / "m.jsonl")])
    assert result.exit_code == 2 and "missing column 'abstract'" in result.output


def test_missing_file_and_unknown_extension(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["build", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2 and "nope.jsonl: no such file" in result.output
    odd = tmp_path / "papers.xyz"
    odd.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(odd)])
    assert result.exit_code == 2 and "pass --format" in result.output


def test_skip_accounting_over_several_files(tmp_path: Path) -> None:
    cases = _cases(tmp_path)
    paths = [cases[c][0] for c in CASES]
    report = IngestReport()
    papers = list(read_papers(paths, on_error="skip", report=report))
    assert report.skipped_total == len(CASES)
    assert report.read == report.kept + report.skipped_total + report.merged
    assert len(papers) == report.kept
    assert report.merged > 0  # "Good paper 1" appears in several files
