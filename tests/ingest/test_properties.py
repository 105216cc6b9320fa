"""Property tests of every reader (issue 17): whatever the file holds, reading never raises anything but
:class:`InputError` (and in skip mode only for a file-level problem such as a CSV header), every record
is accounted for (``read = kept + skipped + merged``), and the same records get the same ids.

Examples are bounded (``max_examples``) so the suite stays fast; the probe (scripts/probe_hostile.py)
throws a few hundred more at the command line.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphbuild.errors import InputError
from graphbuild.ingest import IngestReport, read_papers

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE_CHARS = ["\x00", "\x1b", "\ud800", "\udce9", "\r", "\n", '"', "'", "{", "}", "(", ")", "@", ",", ";",
                 "\t", "\u2028", "\u202e", "é", "\\", "$", "\ufeff"]  # fmt: skip
texts = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(HOSTILE_CHARS)), max_size=40)
words = st.text(alphabet=st.characters(whitelist_categories=("L", "N"), max_codepoint=0x2FF), min_size=1, max_size=12)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
              st.floats(allow_nan=True, allow_infinity=True), texts),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)  # fmt: skip
FIELDS = ["title", "abstract", "id", "year", "url", "doi", "categories", "authors", "authors_parsed", "versions"]
json_records = st.lists(st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=len(FIELDS)), max_size=8)
optional_fields = {"year": st.integers(1800, 2099).map(str), "doi": st.sampled_from(["", "10.1145/a.b"]),
                   "id": st.one_of(st.just(""), words)}  # fmt: skip
good_records = st.lists(
    st.fixed_dictionaries({"title": words, "abstract": st.lists(words, min_size=1, max_size=6).map(" ".join)},
                          optional=optional_fields),
    max_size=8,
)  # fmt: skip


def _read(path: Path, mode: str = "skip") -> tuple[list[Any], IngestReport]:
    report = IngestReport()
    try:
        papers = list(read_papers([path], on_error=mode, report=report))  # type: ignore[arg-type]
    except InputError:
        return [], report  # a file-level problem (e.g. a CSV header): one clear error, nothing half-read
    assert report.balanced(), report.as_dict()
    assert len(papers) == report.kept
    for p in papers:  # whatever was kept is clean text that every writer can encode
        for value in (p.title, p.abstract, p.source, p.url or "", *p.authors, *p.categories):
            value.encode("utf-8")
            assert "\x00" not in value and "\x1b" not in value
        assert p.title.strip() and p.abstract.strip()
        assert p.year is None or (isinstance(p.year, int) and 1800 <= p.year <= 2099)
    return papers, report


_WORKDIR = tempfile.TemporaryDirectory(prefix="paperkg-prop-")  # removed when the test run ends
_COUNTER = iter(range(10**9))


def _write(name: str, data: bytes | str) -> Path:
    d = Path(_WORKDIR.name) / str(next(_COUNTER))
    d.mkdir()
    path = d / name
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    path.write_bytes(data)
    return path


def _json_line(rec: dict[str, Any]) -> str:
    return json.dumps(rec, allow_nan=True)


@SETTINGS
@given(json_records)
def test_jsonl_any_values(records: list[dict[str, Any]]) -> None:
    path = _write("r.jsonl", "".join(_json_line(r) + "\n" for r in records))
    _, report = _read(path)
    assert report.read == len(records)  # one record per line, whatever it holds
    with contextlib.suppress(InputError):  # stop mode: papers, or one InputError
        list(read_papers([path]))


def _csv_text(records: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in records:
        w.writerow(["" if r.get(c) is None else str(r.get(c)) for c in columns])
    return buf.getvalue()


@SETTINGS
@given(json_records, st.sampled_from(["\n", "\r\n", "\r"]))
def test_csv_any_values_and_line_endings(records: list[dict[str, Any]], ending: str) -> None:
    text = _csv_text(records, ["title", "abstract", "year", "url", "authors"]).replace("\n", ending)
    _read(_write("r.csv", text))


@SETTINGS
@given(st.lists(st.tuples(texts, texts, st.sampled_from(["{", "("])), max_size=6), st.booleans())
def test_bibtex_any_values(entries: list[tuple[str, str, str]], one_line: bool) -> None:
    close = {"{": "}", "(": ")"}
    parts = [f"@article{o}k{i}, title = {{{t}}}, abstract = {{{a}}}{close[o]}" for i, (t, a, o) in enumerate(entries)]
    _read(_write("r.bib", (" " if one_line else "\n").join(parts) + "\n"))


@SETTINGS
@given(st.lists(st.tuples(texts, texts), max_size=8))
def test_trending_any_values(pairs: list[tuple[str, str]]) -> None:
    _read(_write("r.txt", "".join(f"{t}\n{a}\n" for t, a in pairs)))


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["r.jsonl", "r.csv", "r.bib", "r.txt", "r.jsonl.gz"]))
def test_any_bytes_in_any_format(data: bytes, name: str) -> None:
    _read(_write(name, data))


@SETTINGS
@given(good_records)
def test_same_records_same_ids_in_any_format_and_order(records: list[dict[str, str]]) -> None:
    jsonl = _write("r.jsonl", "".join(_json_line(r) + "\n" for r in records))
    csv_path = _write("r.csv", _csv_text(records, ["title", "abstract", "year", "doi", "id"]))
    a, ra = _read(jsonl, "stop")
    b, rb = _read(csv_path, "stop")
    assert [p.id for p in a] == [p.id for p in b]
    assert [p.id for p in a] == [p.id for p in _read(jsonl, "stop")[0]]  # and again
    assert ra.read == rb.read == len(records)
    # a record's id does not depend on its neighbours: read alone, each one gets the id it got in the file
    for p in a:
        line = int(p.source.split("; ")[0].rsplit(":", 1)[1])
        (alone,), _ = _read(_write("one.jsonl", _json_line(records[line - 1]) + "\n"), "stop")
        assert alone.id == p.id


def test_nan_and_infinity_fields() -> None:
    path = _write("n.jsonl", _json_line({"title": "A", "abstract": "b c", "year": math.nan, "id": math.inf}) + "\n")
    (paper,), report = _read(path, "stop")
    assert paper.year is None and paper.id.startswith("t:") and len(report.repaired) == 2
