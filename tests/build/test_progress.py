"""Build progress tells the truth: a total before the end, monotone updates reaching it, a line per stage."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.pipeline import build

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "hf_trending_papers.txt"


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def start(self, stage, total=None):
        self.events.append(("start", stage, total))

    def total(self, total):
        self.events.append(("total", total))

    def update(self, completed, note=""):
        self.events.append(("update", completed, note))

    def done(self, stage, seconds, note=""):
        self.events.append(("done", stage, seconds, note))


def _stage(events: list[tuple], name: str) -> list[tuple]:
    i = events.index(next(e for e in events if e[:2] == ("start", name)))
    j = events.index(next(e for e in events if e[:2] == ("done", name)))
    return events[i : j + 1]


def test_every_stage_reports_a_total_and_reaches_it(tmp_path: Path) -> None:
    rec = Recorder()
    build([SAMPLE], tmp_path / "out", shard_size=50, progress=rec)
    done = [e[1] for e in rec.events if e[0] == "done"]
    # the output stages run one at a time after assembly (their order is not part of the contract)
    assert done[:3] == ["extract", "resolve", "assemble"]
    assert sorted(done[3:]) == ["embedded", "graph.json", "view"]
    assert all(e[2] >= 0 for e in rec.events if e[0] == "done")
    for name, total in (("extract", 249), ("assemble", 249)):
        events = _stage(rec.events, name)
        totals = [e[1] for e in events if e[0] == "total"]
        assert totals and totals[0] == total  # known before the first paper is extracted
        done_so_far = [e[1] for e in events if e[0] == "update" and e[1] is not None]
        assert len(done_so_far) >= 5 and done_so_far == sorted(done_so_far)
        assert done_so_far[-1] == total
    extract_done = next(e for e in rec.events if e[:2] == ("done", "extract"))
    assert "249 papers: 249 extracted, 0 reused" in extract_done[3]


def test_build_prints_one_line_per_stage_with_timings(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["build", str(SAMPLE), "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    stage_lines = [line for line in r.output.splitlines() if line.startswith("✓ ")]
    names = [line.split()[1] for line in stage_lines]
    assert names[:3] == ["extract", "resolve", "assemble"]
    assert sorted(names[3:]) == ["embedded", "graph.json", "view"]
    assert all(line.split()[3] == "s" and float(line.split()[2]) >= 0 for line in stage_lines)
    assert "Extracted 249 papers, reused 0" in r.output
