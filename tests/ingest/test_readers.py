"""Each reader on good input: fields, ids, years, normalization."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from graphbuild.errors import UnsupportedFormatError
from graphbuild.ingest import IngestReport, detect_format, read_papers

FIX = Path(__file__).parent.parent / "fixtures" / "ingest"


def _read(*names: str, **kw: object) -> list:
    return list(read_papers([FIX / n for n in names], **kw))  # type: ignore[arg-type]


def test_trending_skips_header_noise_and_glued_subscribe() -> None:
    papers = _read("trending.txt")
    assert [p.title for p in papers] == [
        "A Generalist Dynamics Model for Control",
        "ManiSkill-HAB: A Benchmark for Low-Level Manipulation",
        "Sharpness-Aware Minimization Improves Generalization",
    ]
    assert papers[0].source.endswith("trending.txt:3")
    assert papers[2].source.endswith("trending.txt:8")  # blank separator line allowed
    assert papers[1].abstract.startswith("High-quality benchmarks")


def test_sample_corpus_reads_249_papers() -> None:
    report = IngestReport()
    papers = list(read_papers([Path("data/hf_trending_papers.txt")], report=report))
    assert len(papers) == 249 and report.kept == 249 and report.balanced()
    assert papers[0].title == "A Generalist Dynamics Model for Control"
    assert not any(p.title.startswith(("Subscribe", "Get trending")) for p in papers)


def test_arxiv_snapshot_schema() -> None:
    new, old = _read("arxiv.jsonl")
    assert new.id == "arxiv:2301.12345"
    assert new.year == 2023  # first version, not update_date
    assert new.categories == ("cs.LG", "cs.CV")
    assert new.authors == ("Ada Lovelace", "Alan Turing", "Grace Hopper")
    # LaTeX residue and whitespace normalized for extraction, original kept for evidence
    assert new.title_norm == "Deep Residual Learning for O(n) Things"
    assert new.abstract_norm == "We train ResNet-50 on ImageNet with k=3 heads."
    assert "\\emph{ResNet-50}" in new.abstract
    assert old.id == "arxiv:cs/0112017" and old.year == 2001


def test_plain_jsonl_ids() -> None:
    a, b, c = _read("plain.jsonl")
    assert a.id == "arxiv:1706.03762" and a.year == 2017 and a.categories == ("cs.CL",)
    assert b.id == "my-paper-1"
    assert c.id.startswith("t:") and len(c.id) == 14 and c.year is None


def test_csv_quoted_multiline_and_doi() -> None:
    a, b = _read("papers.csv")
    assert a.title == "Proximal Policy Optimization Algorithms" and a.year == 2017
    assert b.id == "doi:10.1145/1234.5678"  # a DOI is never mistaken for an arXiv id
    assert b.abstract_norm == 'An abstract spanning two lines, "quoted".'
    assert b.categories == ("cs.CL", "cs.AI")
    assert b.source.endswith("papers.csv:3")


def test_bibtex_entries() -> None:
    he, vaswani = _read("refs.bib")
    assert he.id == "doi:10.1109/cvpr.2016.90" and he.year == 2016
    assert he.title_norm == "Deep Residual Learning for Image Recognition"
    assert he.authors[0] == "Kaiming He"
    assert "ImageNet dataset" in he.abstract_norm
    assert vaswani.id == "arxiv:1706.03762"
    assert vaswani.abstract_norm.endswith("based on recurrent networks.")
    assert he.source.endswith("refs.bib:2")


@pytest.mark.parametrize("name", ["trending.txt", "arxiv.jsonl", "plain.jsonl", "papers.csv", "refs.bib"])
def test_gzip_gives_the_same_papers(tmp_path: Path, name: str) -> None:
    gz = tmp_path / (name + ".gz")
    with (FIX / name).open("rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    plain = _read(name)
    zipped = list(read_papers([gz]))
    assert [(p.id, p.title, p.abstract) for p in zipped] == [(p.id, p.title, p.abstract) for p in plain]


def test_several_files_at_once_and_cross_file_duplicates() -> None:
    report = IngestReport()
    papers = list(read_papers([FIX / "plain.jsonl", FIX / "refs.bib", FIX / "trending.txt"], report=report))
    # "Attention Is All You Need" is in plain.jsonl and refs.bib (same arXiv id): merged once
    assert report.read == 3 + 2 + 3
    assert report.merged == 1 and report.kept == 7 and report.balanced()
    assert sum(p.title == "Attention Is All You Need" for p in papers) == 1


def test_duplicate_by_normalized_title(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    f.write_text(
        '{"title": "Deep  Learning: A Survey", "abstract": "x y"}\n'
        '{"title": "deep learning - a survey", "abstract": "other"}\n'
        '{"title": "Deep Learning: A Survey!", "abstract": "third", "id": "z"}\n',
        encoding="utf-8",
    )
    report = IngestReport()
    papers = list(read_papers([f], report=report))
    assert len(papers) == 1 and report.merged == 2 and report.balanced()


def test_ids_are_stable_across_runs_and_whitespace() -> None:
    first = [p.id for p in _read("trending.txt", "plain.jsonl")]
    second = [p.id for p in _read("trending.txt", "plain.jsonl")]
    assert first == second
    from graphbuild.ingest.normalize import paper_id

    assert paper_id(title="A  Generalist Dynamics Model for Control ") == first[0]
    assert paper_id(title="a generalist dynamics model for control") == first[0]


def test_format_by_extension_and_override(tmp_path: Path) -> None:
    assert detect_format(Path("x.jsonl.gz")) == "jsonl"
    assert detect_format(Path("x.BIB")) == "bibtex"
    assert detect_format(Path("x.data"), "csv") == "csv"
    with pytest.raises(UnsupportedFormatError, match="pass --format"):
        detect_format(Path("x.data"))
    f = tmp_path / "papers.data"
    f.write_text((FIX / "plain.jsonl").read_text("utf-8"), encoding="utf-8")
    assert len(list(read_papers([f], fmt="jsonl"))) == 3


def test_a_bad_last_record_stops_before_any_paper_and_reading_streams(tmp_path: Path, monkeypatch) -> None:
    """Stop mode checks every record first (no paper is extracted from a file that fails at its end);
    past the first pass's holding budget, reading holds one record at a time, not the papers read so far."""
    import tracemalloc

    import graphbuild.ingest
    from graphbuild.errors import InputError

    monkeypatch.setattr(graphbuild.ingest, "HOLD_CHARS", 20_000)  # ~5 of the 400 papers

    f = tmp_path / "big.jsonl"
    abstract = "We propose a method. " * 200  # ~4 KB: papers dominate memory if they were held
    with f.open("w", encoding="utf-8") as out:
        for i in range(400):
            out.write(f'{{"title": "Paper {i}", "abstract": "{abstract}{i}"}}\n')
        out.write("{broken\n")
    with pytest.raises(InputError, match=r"big.jsonl:401: invalid JSON"):
        next(read_papers([f]))
    tracemalloc.start()
    try:
        n = sum(1 for _ in read_papers([f], on_error="skip"))
        streaming_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        held = list(read_papers([f], on_error="skip"))
        holding_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert n == len(held) == 400
    assert streaming_peak < holding_peak / 5, (streaming_peak, holding_peak)
