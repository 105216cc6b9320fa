"""Issue 17, items 1-4, 8, 11: hostile records meet one validation boundary — never a traceback,
nothing silently stringified, dropped or merged away."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from graphbuild.errors import InputError
from graphbuild.ingest import IngestReport, read_papers

ABSTRACT = "We propose X."


def _read(paths: list[Path], mode: str = "skip") -> tuple[list, IngestReport]:
    report = IngestReport()
    papers = list(read_papers(paths, on_error=mode, report=report))  # type: ignore[arg-type]
    assert report.balanced(), report.as_dict()
    return papers, report


# ----------------------------------------------------------------------------- item 1: bad bytes, surrogates


def test_latin1_bytes_outside_title_and_abstract_are_replaced_and_counted(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_bytes(
        b'{"title": "A", "abstract": "We propose X.", "authors": "Jo\xe9 Smith"}\n'
        b'{"title": "B", "abstract": "We use Y.", "url": "http://x.org/\xff", "categories": "cs.LG \xfe"}\n'
    )
    for mode in ("stop", "skip"):  # the record is usable: both modes keep it
        papers, report = _read([f], mode)
        assert [p.title for p in papers] == ["A", "B"]
        assert papers[0].authors == ("Jo\ufffd Smith",)
        assert papers[1].url == "http://x.org/\ufffd" and papers[1].categories == ("cs.LG", "\ufffd")
        assert report.repaired["authors: invalid UTF-8 or lone surrogate replaced by U+FFFD"] == 1
        assert sum(report.repaired.values()) == 3
        # every text is encodable again (graph.json, the stores and the viewer write UTF-8)
        for p in papers:
            json.dumps(p.__dict__, ensure_ascii=False).encode("utf-8")


def test_latin1_bytes_in_csv_fields(tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_bytes(b'title,abstract,authors\n"A","We propose X.","Jo\xe9 Smith"\n')
    (paper,), report = _read([f], "stop")
    assert paper.authors == ("Jo\ufffd Smith",) and report.repaired


@pytest.mark.parametrize("field", ["title", "abstract"])
def test_lone_surrogate_escapes_in_title_or_abstract_are_bad_records(tmp_path: Path, field: str) -> None:
    rec = {"title": "A", "abstract": ABSTRACT}
    rec[field] = "Broken \ud800 text"
    f = tmp_path / "s.jsonl"
    f.write_text(json.dumps(rec) + "\n" + json.dumps({"title": "Fine", "abstract": ABSTRACT}) + "\n", "utf-8")
    with pytest.raises(InputError, match=rf"s.jsonl:1: {field}: lone surrogate \(U\+D800 at character 7"):
        _read([f], "stop")
    papers, report = _read([f])
    assert [p.title for p in papers] == ["Fine"] and report.skipped == {f"{field}: lone surrogate": 1}


def test_invalid_utf8_in_title_is_a_bad_record_with_the_byte(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_bytes(b'title,abstract\n"Caf\xe9","Text."\n"Good","Text."\n')
    with pytest.raises(InputError, match=r"t.csv:2: title: invalid UTF-8 \(byte 0xe9 at character 3"):
        _read([f], "stop")
    papers, report = _read([f])
    assert len(papers) == 1 and report.skipped == {"title: invalid UTF-8": 1}


def test_nul_and_escape_characters_are_replaced_and_counted(tmp_path: Path) -> None:
    f = tmp_path / "n.jsonl"
    f.write_text(json.dumps({"title": "A\x00B \x1b[31mred", "abstract": "We use\x00 BERT."}) + "\n", "utf-8")
    (paper,), report = _read([f], "stop")
    assert paper.title == "A B [31mred" and "\x00" not in paper.abstract
    assert report.repaired == {"title: control characters replaced by spaces": 1,
                               "abstract: control characters replaced by spaces": 1}  # fmt: skip


def test_only_control_characters_is_an_empty_abstract(tmp_path: Path) -> None:
    f = tmp_path / "c.jsonl"
    f.write_text(json.dumps({"title": "A", "abstract": "\x01\x03\x02\x05"}) + "\n", "utf-8")
    with pytest.raises(InputError, match=r"c.jsonl:1: empty or missing abstract"):
        _read([f], "stop")


# ----------------------------------------------------------------------------- item 2: authors_parsed


@pytest.mark.parametrize(
    "parsed",
    [[None], [1, 2], [{}], [[["nested"]]], "Smith", {"a": 1}, [["Smith", 5]], [[]], 7],
    ids=["null", "ints", "object", "nested", "text", "dict", "int-part", "empty-name", "number"],
)
def test_malformed_authors_parsed_falls_back_to_authors(tmp_path: Path, parsed: object) -> None:
    f = tmp_path / "p.jsonl"
    rec = {"title": "A", "abstract": ABSTRACT, "authors": "Ada Lovelace and Alan Turing", "authors_parsed": parsed}
    f.write_text(json.dumps(rec) + "\n", "utf-8")
    (paper,), report = _read([f], "stop")
    assert paper.authors == ("Ada Lovelace", "Alan Turing")
    assert report.repaired == {
        "authors_parsed: not a list of [last, first, suffix] name lists; used 'authors' instead": 1
    }


def test_well_formed_authors_parsed(tmp_path: Path) -> None:
    f = tmp_path / "p.jsonl"
    rec = {"title": "A", "abstract": ABSTRACT, "authors_parsed": [["Lovelace", "Ada", ""], ["Turing", None, ""]]}
    f.write_text(json.dumps(rec) + "\n", "utf-8")
    (paper,), report = _read([f], "stop")
    assert paper.authors == ("Ada Lovelace", "Turing") and not report.repaired


# ----------------------------------------------------------------------------- item 3: JSON limits


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"title": "A", "abstract": "x", "year": ' + "9" * 5000 + "}", "invalid JSON: Exceeds the limit"),
        ('{"title": "A", "abstract": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}",
         "invalid JSON: nested too deeply"),
        ('{"title": "A", "abstract": "x", "extra": ' + '{"a":' * 50_000 + "1" + "}" * 50_000 + "}",
         "invalid JSON: nested too deeply"),
    ],
    ids=["huge-int", "deep-list", "deep-object"],
)
def test_json_limits_are_bad_records(tmp_path: Path, line: str, reason: str) -> None:
    f = tmp_path / "j.jsonl"
    f.write_text(json.dumps({"title": "Good", "abstract": ABSTRACT}) + "\n" + line + "\n", "utf-8")
    with pytest.raises(InputError, match=f"j.jsonl:2: {reason}"):
        _read([f], "stop")
    papers, report = _read([f])
    assert len(papers) == 1 and report.skipped_total == 1


# ----------------------------------------------------------------------------- item 4: CSV line endings


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"], ids=["cr", "crlf", "lf"])
def test_csv_any_line_ending(tmp_path: Path, ending: str) -> None:
    f = tmp_path / "e.csv"
    rows = ["title,abstract", '"First","We use BERT."', '"Second","Two' + ending + 'lines."', "Third,Plain."]
    f.write_bytes(ending.join(rows).encode() + ending.encode())
    papers, report = _read([f], "stop")
    assert [p.title for p in papers] == ["First", "Second", "Third"]
    assert papers[1].abstract_norm == "Two lines."
    assert report.read == 3


def test_cr_only_jsonl_and_text(tmp_path: Path) -> None:
    j = tmp_path / "cr.jsonl"
    j.write_bytes(b'{"title": "A", "abstract": "x y"}\r{"title": "B", "abstract": "z w"}\r')
    t = tmp_path / "cr.txt"
    t.write_bytes(b"Title one\rAbstract one.\rTitle two\rAbstract two.\r")
    papers, _ = _read([j, t], "stop")
    assert [p.title for p in papers] == ["A", "B", "Title one", "Title two"]


# ----------------------------------------------------------------------------- item 8: silent losses


def test_csv_unclosed_quote_is_an_error_naming_its_line_not_a_merge(tmp_path: Path) -> None:
    f = tmp_path / "q.csv"
    rows = [f"Title {i},Abstract {i}." for i in range(1, 7)]
    rows[4] = 'Title 5,"Abstract 5 with a quote that never closes.'
    f.write_text("title,abstract\n" + "\n".join(rows) + "\n", "utf-8")
    with pytest.raises(InputError, match=r"q.csv:6: malformed CSV: a quote opened on line 6 is never closed"):
        _read([f], "stop")
    papers, report = _read([f])
    assert report.read == 6 and report.kept == 5 and report.skipped_total == 1
    assert [p.title for p in papers] == ["Title 1", "Title 2", "Title 3", "Title 4", "Title 6"]


def test_csv_text_after_a_closing_quote_resumes_on_the_next_line(tmp_path: Path) -> None:
    f = tmp_path / "q.csv"
    f.write_text('title,abstract\n"A","x"\n"B "oops" C","y"\n"D","z"\n', "utf-8")
    papers, report = _read([f])
    assert [p.title for p in papers] == ["A", "D"] and report.read == 3 and report.skipped_total == 1


def test_csv_quote_spanning_too_many_lines(tmp_path: Path) -> None:
    from graphbuild.ingest.csv_reader import MAX_RECORD_LINES

    f = tmp_path / "q.csv"
    good = "".join(f'"T{i}","Abstract {i}."\n' for i in range(MAX_RECORD_LINES + 5))
    f.write_text('title,abstract\n"Bad","open\n' + good, "utf-8")
    papers, report = _read([f])
    assert report.skipped_total == 1 and len(papers) == MAX_RECORD_LINES + 5


def test_csv_duplicated_header_column_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "h.csv"
    f.write_text("title,abstract,title\nA,Text.,B\n", "utf-8")
    for mode in ("stop", "skip"):
        with pytest.raises(InputError, match=r"h.csv:1: column 'title' appears more than once"):
            _read([f], mode)


def test_csv_semicolon_and_tab_delimiters(tmp_path: Path) -> None:
    a = tmp_path / "semi.csv"
    a.write_text("title;abstract;year\nA;We use BERT.;2020\n", "utf-8")
    b = tmp_path / "tab.csv"
    b.write_text("title\tabstract\nB\tWe use GPT.\n", "utf-8")
    papers, _ = _read([a, b], "stop")
    assert [(p.title, p.year) for p in papers] == [("A", 2020), ("B", None)]


@pytest.mark.parametrize(
    ("title", "kind"),
    [(123, "a number"), ({"a": 1}, "an object"), (True, "a boolean"), (float("nan"), "a number"),
     (["A", "B"], "a list")],
    ids=["number", "object", "boolean", "nan", "list"],
)
def test_titles_that_are_not_text_are_rejected_not_stringified(tmp_path: Path, title: object, kind: str) -> None:
    f = tmp_path / "t.jsonl"
    f.write_text(json.dumps({"title": title, "abstract": ABSTRACT}) + "\n", "utf-8")
    with pytest.raises(InputError, match=f"t.jsonl:1: title must be text, got {kind}"):
        _read([f], "stop")
    papers, report = _read([f])
    assert papers == [] and report.skipped == {"title must be text": 1}


def test_other_fields_of_the_wrong_type_are_ignored_and_counted(tmp_path: Path) -> None:
    f = tmp_path / "t.jsonl"
    rec = {"title": "A", "abstract": ABSTRACT, "year": {"y": 2020}, "url": 5, "doi": ["10.1/x"],
           "categories": [1, "cs.LG"], "id": True}  # fmt: skip
    f.write_text(json.dumps(rec) + "\n", "utf-8")
    (paper,), report = _read([f], "stop")
    assert paper.year is None and paper.url is None and paper.doi is None and paper.categories == ("cs.LG",)
    assert paper.id.startswith("t:")  # a boolean is no id
    assert set(report.repaired) == {
        "year: expected a year, got an object; ignored", "url: expected text, got a number; ignored",
        "doi: expected text, got a list; ignored", "categories: list item is a number, not text; item ignored",
        "id: expected text, got a boolean; ignored",
    }  # fmt: skip


def test_numeric_ids_and_years(tmp_path: Path) -> None:
    f = tmp_path / "n.jsonl"
    a = {"title": "A", "abstract": ABSTRACT, "id": 1234, "year": 2019.0}
    b = {"title": "B", "abstract": ABSTRACT, "year": 99999999999999999999}
    f.write_text(json.dumps(a) + "\n" + json.dumps(b) + "\n", "utf-8")
    (a, b), report = _read([f], "stop")
    assert (a.id, a.year, b.year) == ("1234", 2019, None)
    assert report.repaired == {"year: year out of range 1800-2099; ignored": 1}


def test_bibtex_parenthesised_misc_thing_and_two_on_one_line(tmp_path: Path) -> None:
    f = tmp_path / "r.bib"
    f.write_text(
        "% a comment mentioning someone@example.org\n"
        '@article(paren, title = {Paren (form)}, abstract = "We use (BERT) here.")\n'
        "@misc-thing{mt, title={Misc thing}, abstract={Abstract of misc.}}\n"
        "@article{a1, title={One}, abstract={First.}} @inproceedings{a2, title={Two}, abstract={Second.}}\n"
        "@comment{ignored {x}}\n@string{jan = \"January\"}\n",
        "utf-8",
    )
    papers, report = _read([f], "stop")
    assert [p.title for p in papers] == ["Paren (form)", "Misc thing", "One", "Two"]
    assert papers[0].abstract == "We use (BERT) here."
    assert report.read == 4 and report.kept == 4


def test_bibtex_unclosed_parenthesis_entry(tmp_path: Path) -> None:
    f = tmp_path / "r.bib"
    f.write_text("@article(open, title = {A}, abstract = {B}\n@article{ok, title={C}, abstract={D}}\n", "utf-8")
    papers, report = _read([f])
    assert [p.title for p in papers] == ["C"]
    assert "unbalanced braces in entry 'open'" in report.examples[0]


def test_titles_without_letters_are_not_merged_together(tmp_path: Path) -> None:
    f = tmp_path / "q.jsonl"
    f.write_text("".join(json.dumps({"title": t, "abstract": ABSTRACT + t}) + "\n" for t in ["???", "!!!", "…"]),
                 "utf-8")  # fmt: skip
    papers, report = _read([f], "stop")
    assert len(papers) == 3 and len({p.id for p in papers}) == 3 and report.merged == 0


# ----------------------------------------------------------------------------- item 11: merged, not dropped


def test_duplicates_are_merged_field_by_field_with_conflicts_as_provenance(tmp_path: Path) -> None:
    a = tmp_path / "a.jsonl"
    a.write_text(json.dumps({"title": "Deep Nets", "abstract": "We use X.", "year": 2019}) + "\n", "utf-8")
    b = tmp_path / "b.csv"
    row = '"deep nets","Other text.",10.1145/abc,2020,https://x.org/p,"Ada Lovelace, Alan Turing"'
    b.write_text("title,abstract,doi,year,url,authors\n" + row + "\n", "utf-8")
    (paper,), report = _read([a, b], "stop")
    assert paper.doi == "10.1145/abc" and paper.url == "https://x.org/p"
    assert paper.authors == ("Ada Lovelace", "Alan Turing")
    assert paper.year == 2019  # the first record's value is kept ...
    assert paper.source == f"{a}:1; {b}:2 (year=2020)"  # ... the other one is provenance
    assert paper.abstract == "We use X." and paper.id.startswith("t:")  # the first record's text and id
    assert report.merged == 1 and report.conflicts == 1
    assert report.conflict_examples == [f"{b}:2: year=2020 (kept {a}:1's)"]


def test_a_duplicates_id_and_title_join_its_group(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    f.write_text(
        json.dumps({"title": "First", "abstract": "a b"}) + "\n"
        + json.dumps({"title": "first", "abstract": "c d", "id": "x-1"}) + "\n"  # same title
        + json.dumps({"title": "Other title", "abstract": "e f", "id": "x-1", "year": 2020}) + "\n",  # same id
        "utf-8",
    )
    (paper,), report = _read([f], "stop")
    assert report.merged == 2 and paper.year == 2020


# ----------------------------------------------------------------------------- folders as input


def test_a_folder_is_read_recursively_sorted_with_gz(tmp_path: Path) -> None:
    d = tmp_path / "corpus"
    (d / "sub").mkdir(parents=True)
    (d / "b.jsonl").write_text(json.dumps({"title": "B", "abstract": ABSTRACT}) + "\n", "utf-8")
    (d / "a.csv").write_text('title,abstract\n"A","We use X."\n', "utf-8")
    with gzip.open(d / "sub" / "c.jsonl.gz", "wt", encoding="utf-8") as g:
        g.write(json.dumps({"title": "C", "abstract": ABSTRACT}) + "\n")
    (d / "README.md").write_text("not an input", "utf-8")
    (d / ".hidden.jsonl").write_text("{broken", "utf-8")
    out = d / "out"  # a previous build's output inside the folder is not an input
    out.mkdir()
    (out / "graph.json").write_text('{"schema_version": 2, "nodes": []}', "utf-8")
    papers, report = _read([d], "stop")
    assert [p.title for p in papers] == ["A", "B", "C"]
    assert report.files == 3
    assert papers[2].source == f"{d}/sub/c.jsonl.gz:1"


def test_a_folder_without_inputs_and_a_missing_path(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"empty: no input files in this folder"):
        _read([tmp_path / "empty"])
    with pytest.raises(InputError, match=r"nope: no such file or folder"):
        _read([tmp_path / "nope"])


def test_the_same_file_twice_is_read_once(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"title": "A", "abstract": ABSTRACT}) + "\n", "utf-8")
    papers, report = _read([f, tmp_path, f])
    assert len(papers) == 1 and report.files == 1 and report.read == 1
