"""The streaming build equals the in-memory build; shard boundaries, the extraction cache, stable keys."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from graphbuild.extract import to_record
from graphbuild.extract.pipeline import ExtractorConfig
from graphbuild.extract.pipeline import extract as extract_in_memory
from graphbuild.graph import build_graph, graphs_equal, load_graph
from graphbuild.pipeline import build, extract, load_papers
from graphbuild.tables import load_tables_graph, read_graph_streams

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "hf_trending_papers.txt"
DEV = ROOT / "tests" / "gold" / "dev_papers.jsonl"
OUTPUTS = ("graph.json", "keys.parquet", "view.html", "tables")


def _in_memory(path: Path):
    papers, _ = load_papers([path])
    return extract_in_memory(papers)


def _same_files(a: Path, b: Path, names=OUTPUTS) -> bool:
    for name in names:
        pa, pb = a / name, b / name
        files_a = sorted(p.relative_to(pa) for p in pa.rglob("*")) if pa.is_dir() else [Path()]
        files_b = sorted(p.relative_to(pb) for p in pb.rglob("*")) if pb.is_dir() else [Path()]
        if files_a != files_b:
            return False
        for rel in files_a:
            if (pa / rel).is_file() and _bytes(pa / rel) != _bytes(pb / rel):
                return False
    return True


def _bytes(p: Path) -> bytes:
    data = p.read_bytes()
    if p.suffix == ".html":  # the page records how long its layout took
        data = re.sub(rb'"layoutSeconds":[0-9.e-]+', b"", data)
    return data


@pytest.mark.parametrize(("corpus", "shard_size", "workers"), [(SAMPLE, 2000, 1), (SAMPLE, 37, 2), (DEV, 5, 1)])
def test_streaming_build_equals_the_in_memory_build(tmp_path: Path, corpus: Path, shard_size: int,
                                                    workers: int) -> None:
    expected = _in_memory(corpus)
    out = tmp_path / "out"
    result = build([corpus], out, shard_size=shard_size, workers=workers, view=False)
    assert graphs_equal(load_graph(out), build_graph(expected))
    assert graphs_equal(load_tables_graph(out), build_graph(expected))
    assert result.extraction.papers == len(expected) and result.extraction.extracted == len(expected)
    streamed = extract([corpus], shard_size=shard_size, workers=workers).extractions
    assert [to_record(e) for e in streamed] == [to_record(e) for e in expected]
    n, nodes, edges = read_graph_streams(out)
    g = build_graph(expected)
    assert n == g.number_of_nodes() and dict(nodes) == dict(g.nodes(data=True))
    assert sorted((u, v, t) for u, v, t, _ in edges) == sorted(g.edges(keys=True))


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


ROT_USED = {"id": "p1", "title": "Aligning distributions with ROT",
            "abstract": "We apply the ROT method to align two distributions. ROT outperforms baselines on CIFAR-10."}
OTHER = {"id": "p2", "title": "Another study", "abstract": "We compare ROT against PPO on the Atari benchmark."}
ROT_DEFINED = {"id": "p3", "title": "Regularized Optimal Transport for domain adaptation",
               "abstract": "We propose Regularized Optimal Transport (ROT), a method for domain adaptation. "
               "ROT improves accuracy on Office-31."}  # fmt: skip


def test_shard_boundaries_change_nothing(tmp_path: Path) -> None:
    # the acronym is used in shards 1-2 and defined in shard 3; a duplicate of paper 1 arrives in shard 4
    dup = {**ROT_USED, "id": "p1-again"}
    corpus = _write(tmp_path / "c.jsonl", [ROT_USED, OTHER, ROT_DEFINED, dup])
    one = build([corpus], tmp_path / "one", shard_size=100)
    each = build([corpus], tmp_path / "each", shard_size=1)
    assert one.report.merged == each.report.merged == 1
    assert _same_files(tmp_path / "one", tmp_path / "each")
    assert one.build_id == each.build_id
    g = load_graph(tmp_path / "each")
    assert g.nodes["method:regularized-optimal-transport"]["paper_count"] == 2  # ROT (p1) joined its long form (p3)
    assert graphs_equal(g, build_graph(_in_memory(corpus)))


def test_rebuild_reuses_the_cache_and_reextracts_only_what_changed(tmp_path: Path) -> None:
    papers = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    corpus = _write(tmp_path / "c.jsonl", papers[:30])
    out = tmp_path / "out"
    first = build([corpus], out, shard_size=8, view=False)
    assert (first.extraction.extracted, first.extraction.reused) == (30, 0)
    again = build([corpus], out, shard_size=8, view=False)
    assert (again.extraction.extracted, again.extraction.reused) == (0, 30)
    assert again.build_id == first.build_id
    # one changed abstract and six new papers: seven extracted, the rest from the cache
    papers[3] = {**papers[3], "abstract": papers[3]["abstract"] + " We also evaluate on ImageNet."}
    _write(corpus, papers[:36])
    grown = build([corpus], out, shard_size=8, view=False)
    assert (grown.extraction.extracted, grown.extraction.reused) == (7, 29)
    # the garbage collection after a build (its memory released first) kept every unit it used
    assert build([corpus], out, shard_size=8, view=False).extraction.reused == 36
    fresh = build([corpus], tmp_path / "fresh", shard_size=8, view=False)
    assert graphs_equal(load_graph(out), load_graph(tmp_path / "fresh"))
    assert fresh.extraction.extracted == 36


def test_a_changed_extractor_invalidates_the_cache(tmp_path: Path) -> None:
    from graphbuild.extraction_cache import extractor_version

    corpus = _write(tmp_path / "c.jsonl", [ROT_USED, OTHER, ROT_DEFINED])
    out = tmp_path / "out"
    build([corpus], out, view=False)
    shipped = ROOT / "graphbuild" / "data" / "extract" / "patterns.yaml"
    patterns = tmp_path / "patterns.yaml"
    patterns.write_text(shipped.read_text(encoding="utf-8") + "\n# a changed data file\n", encoding="utf-8")
    config = ExtractorConfig(patterns_file=str(patterns))
    assert extractor_version(config) != extractor_version(ExtractorConfig())
    rebuilt = build([corpus], out, view=False, config=config)
    assert (rebuilt.extraction.extracted, rebuilt.extraction.reused) == (3, 0)
    # the old version's units are gone from the cache, the new ones are there
    assert [p.name for p in (out / "cache").iterdir()] == [extractor_version(config)]


def test_keys_stay_stable_when_the_corpus_grows(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([_write(tmp_path / "v1.jsonl", [ROT_USED, OTHER])], out, view=False)
    assert "method:rot" in load_graph(out)
    # a new paper defines ROT: a fresh build names the entity after its long form ...
    v2 = _write(tmp_path / "v2.jsonl", [ROT_USED, OTHER, ROT_DEFINED])
    build([v2], tmp_path / "fresh", view=False)
    assert "method:rot" not in load_graph(tmp_path / "fresh")
    # ... a rebuild keeps the key the entity had, with the better name
    build([v2], out, view=False)
    g = load_graph(out)
    assert g.nodes["method:rot"]["name"] == "Regularized Optimal Transport"
    assert g.nodes["method:rot"]["paper_count"] == 2
    assert "method:regularized-optimal-transport" not in g


def test_a_killed_build_is_resumed_from_its_cache(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    papers = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    corpus = _write(tmp_path / "c.jsonl", papers)
    out = tmp_path / "out"
    cmd = [str(Path(sys.executable).parent / "paperkg"), "build", str(corpus), "--out", str(out), "--shard-size", "4",
           "--no-view"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    units: list[Path] = []
    while time.monotonic() < deadline and proc.poll() is None:
        units = list((out / "cache").glob("*/*.papers.parquet"))
        if len(units) >= 2:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    assert not (out / "graph.json").exists()
    resumed = build([corpus], out, shard_size=4, view=False)
    assert resumed.extraction.reused >= 8  # at least the two finished units
    assert resumed.extraction.extracted + resumed.extraction.reused == len(papers)
    build([corpus], tmp_path / "fresh", shard_size=4, view=False)
    assert _same_files(out, tmp_path / "fresh", ("graph.json", "tables"))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary files left"
    shutil.rmtree(tmp_path / "fresh")
