"""Shards held in memory (extraction in this process) give what spilled shards give, and still fill the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

import graphbuild.streaming
from graphbuild.extract import to_record
from graphbuild.pipeline import build, extract

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "hf_trending_papers.txt"


def _shard_files(work: Path) -> list[Path]:
    return sorted(work.rglob("papers-*.json.zst"))


@pytest.mark.parametrize("held", [100, 10**9])  # some shards held, the rest spilled / every shard held
def test_held_shards_give_the_spilled_records(monkeypatch: pytest.MonkeyPatch, held: int) -> None:
    monkeypatch.setattr(graphbuild.streaming, "MEMORY_PAPERS", 0)
    spilled = [to_record(e) for e in extract([SAMPLE], shard_size=37).extractions]
    monkeypatch.setattr(graphbuild.streaming, "MEMORY_PAPERS", held)
    got = [to_record(e) for e in extract([SAMPLE], shard_size=37).extractions]
    assert got == spilled and len(got) == 249
    assert sum(len(r["mentions"]) for r in got) > 500  # a real comparison


def test_a_held_build_writes_its_cache_and_equals_a_spilled_one(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(graphbuild.streaming, "MEMORY_PAPERS", 0)
    build([SAMPLE], tmp_path / "spilled", shard_size=50, view=False, embedded=False)
    monkeypatch.setattr(graphbuild.streaming, "MEMORY_PAPERS", 10**9)
    held = build([SAMPLE], tmp_path / "held", shard_size=50, view=False, embedded=False)
    assert held.extraction.extracted == 249 and held.extraction.units == 5
    for name in ("graph.json", "keys.parquet"):
        assert (tmp_path / "held" / name).read_bytes() == (tmp_path / "spilled" / name).read_bytes()
    # every unit was written (and kept by the cache's garbage collection): a rebuild extracts nothing
    again = build([SAMPLE], tmp_path / "held", shard_size=50, view=False, embedded=False)
    assert again.extraction.extracted == 0 and again.extraction.reused == 249
    assert (tmp_path / "held" / "graph.json").read_bytes() == (tmp_path / "spilled" / "graph.json").read_bytes()


def test_held_shards_are_not_spilled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graphbuild.extract.pipeline import ExtractorConfig
    from graphbuild.streaming import extract_stream

    monkeypatch.setattr(graphbuild.streaming, "MEMORY_PAPERS", 100)
    run = extract_stream([SAMPLE], tmp_path / "work", tmp_path / "cache", shard_size=37, config=ExtractorConfig(),
                         persist=False)  # fmt: skip
    # 100 papers fit: the first two shards of 37 are held, the other five spilled; nothing in the cache
    assert len(_shard_files(tmp_path / "work")) == 5
    assert [s.papers is not None for s in run.shards] == [True, True] + [False] * 5
    assert run.counts.units == 7 and len(list((tmp_path / "cache").rglob("*.papers.parquet"))) == 5
