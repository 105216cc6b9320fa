"""Extraction on a real Dask LocalCluster: the same bytes as a local run (≥ 5,000 real papers)."""

from __future__ import annotations

import gzip
from itertools import islice
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.pipeline import build

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "mlanthology.jsonl.gz"
N_PAPERS = 5000

pytestmark = pytest.mark.slow


def _files(out: Path) -> dict[str, bytes]:
    names = ["graph.json", "keys.parquet", *(str(p.relative_to(out)) for p in sorted((out / "tables").rglob("*")))]
    return {n: (out / n).read_bytes() for n in names if (out / n).is_file()}


def test_local_cluster_gives_the_bytes_of_a_local_run(tmp_path: Path) -> None:
    assert CORPUS.is_file(), f"{CORPUS}: the ML Anthology corpus (shared/ beside the checkout) is needed"
    corpus = tmp_path / "papers.jsonl.gz"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as src, gzip.open(corpus, "wt", encoding="utf-8") as dst:
        dst.writelines(islice(src, N_PAPERS + 50))  # a few have no abstract and are skipped
    local = build([corpus], tmp_path / "local", on_error="skip", embedded=False, view=False, shard_size=500)
    dask = build([corpus], tmp_path / "dask", on_error="skip", embedded=False, view=False, shard_size=500,
                 scheduler="local:2")  # fmt: skip
    assert local.extraction.papers >= N_PAPERS
    assert dask.extraction.extracted == local.extraction.extracted == local.extraction.papers
    assert dask.extraction.units >= 10  # the work was spread over many tasks
    a, b = _files(tmp_path / "local"), _files(tmp_path / "dask")
    assert a.keys() == b.keys() and len(a) > 10
    assert [n for n in a if a[n] != b[n]] == []
    assert dask.build_id == local.build_id


def test_a_bad_scheduler_is_one_line(tmp_path: Path) -> None:
    corpus = ROOT / "tests" / "gold" / "dev_papers.jsonl"
    r = CliRunner().invoke(app, ["build", str(corpus), "--out", str(tmp_path / "o"), "--scheduler", "local:x"])
    assert r.exit_code == 2 and "expected local:N" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "o").exists()
