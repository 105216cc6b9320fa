"""Shortcuts of the streaming extraction path: they must give what the slower path gives."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from graphbuild.extract.pipeline import ExtractorConfig
from graphbuild.extraction_cache import paper_hash, read_doc_inputs
from graphbuild.ingest import read_papers
from graphbuild.model import Paper
from graphbuild.streaming import extract_unit_here, read_papers_spilled, write_papers

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "mlanthology-sample.jsonl.gz"


def test_spilled_papers_come_back_equal(tmp_path: Path) -> None:
    papers = list(islice(read_papers([SAMPLE]), 50))
    papers += [
        Paper("odd\ud800id", "lone \udfff surrogate", "ünïcode “quotes” and \\ back\nslash", year=None,
              categories=("cs.LG", "stat.ML"), authors=("A. B.",), url=None, doi="10.1/x", source="f:1"),
        Paper("empty", "", "", year=2024),
    ]  # fmt: skip
    write_papers(tmp_path / "p.json.zst", papers)
    back = read_papers_spilled(tmp_path / "p.json.zst")
    assert back == papers
    assert all(isinstance(p.categories, tuple) and isinstance(p.authors, tuple) for p in back)
    write_papers(tmp_path / "none.json.zst", [])
    assert read_papers_spilled(tmp_path / "none.json.zst") == []


def test_in_process_resolution_inputs_equal_those_read_back_from_the_unit(tmp_path: Path) -> None:
    papers = list(islice(read_papers([SAMPLE]), 40))
    hashes = [paper_hash(p) for p in papers]
    unit, got_hashes, files, inputs = extract_unit_here(papers, hashes, str(tmp_path), ExtractorConfig())
    assert files is None and got_hashes == hashes
    read_back = read_doc_inputs(str(tmp_path), unit)
    assert inputs == read_back
    assert sum(len(d.mentions) for d in inputs) > 40 and any(d.pairs for d in inputs)  # a real comparison
