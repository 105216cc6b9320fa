"""build / stats / extract end to end through the CLI (CliRunner), on fixture files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.graph import load_graph
from tests.hardening.report_table import ingest_counts

FIX = Path(__file__).parent.parent / "fixtures" / "ingest"
runner = CliRunner()


def test_build_writes_graph_and_prints_counts(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = runner.invoke(app, ["build", str(FIX / "trending.txt"), str(FIX / "plain.jsonl"), "--out", str(out),
                            "--no-embedded"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert (out / "view.html").stat().st_size > 10_000
    g = load_graph(out)
    papers = [n for n, d in g.nodes(data=True) if d["label"] == "Paper"]
    assert len(papers) == 6
    assert "Paper nodes" in r.output and "6" in r.output
    # every link carries provenance that points into the paper's text
    for _u, _v, d in g.edges(data=True):
        if d["type"] == "IN_DOMAIN":
            continue
        assert d["field"] in ("title", "abstract") and d["surface"] in d["evidence"]
        assert 0 <= d["start"] < d["end"] and d["count"] >= 1 and 0 < d["confidence"] <= 1


def test_build_skip_mode_reports_counts(tmp_path: Path) -> None:
    bad = tmp_path / "mixed.jsonl"
    bad.write_text('{"title": "Fine", "abstract": "We evaluate BERT on GLUE."}\n{oops\n', encoding="utf-8")
    r = runner.invoke(app, ["build", str(bad), "--out", str(tmp_path / "o"), "--on-error", "skip", "--no-embedded"])
    assert r.exit_code == 0, r.output
    assert "invalid JSON" in r.output and "mixed.jsonl:2" in r.output
    assert ingest_counts(r.stderr) == {"read": 2, "kept": 1, "duplicates merged": 0, "skipped": 1}
    assert "skipped 1 × invalid JSON" in r.stderr
    r = runner.invoke(app, ["build", str(bad), "--out", str(tmp_path / "o"), "--on-error", "maybe"])
    assert r.exit_code == 2 and "--on-error must be 'stop' or 'skip'" in r.output


def test_stats_accepts_directory_or_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(FIX / "refs.bib"), "--out", str(out), "--no-embedded"]).exit_code == 0
    by_dir = runner.invoke(app, ["stats", str(out), "--json"])
    by_file = runner.invoke(app, ["stats", str(out / "graph.json"), "--json"])
    assert by_dir.exit_code == 0 and by_dir.output == by_file.output
    data = json.loads(by_dir.output)
    assert data["nodes"]["Paper"] == 2
    missing = runner.invoke(app, ["stats", str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "no graph file here" in missing.output


def test_extract_record_format(tmp_path: Path) -> None:
    target = tmp_path / "m.jsonl"
    r = runner.invoke(app, ["extract", str(FIX / "trending.txt"), "--out", str(target)])
    assert r.exit_code == 0, r.output
    records = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert len(records) == 3
    for rec in records:
        assert set(rec) == {"paper", "mentions", "domains"}
        assert {"id", "title", "year", "source"} <= set(rec["paper"])
        scores = [d["score"] for d in rec["domains"]]
        assert scores == sorted(scores, reverse=True) and 1 <= len(scores) <= 4
        for m in rec["mentions"]:
            assert m["type"] in ("method", "benchmark", "task")
            assert m["role"] in ("proposed", "used", "introduced", "addressed")
            assert {"name", "aliases", "surface", "field", "start", "end", "sentence", "rule", "confidence"} <= set(m)
    sam = records[2]
    assert any(m["name"] in ("SAM", "Sharpness-Aware Minimization") and m["role"] == "proposed"
               for m in sam["mentions"])  # fmt: skip


def test_every_command_has_help_with_example() -> None:
    from typer.main import get_command

    from graphbuild.cli import app as cli_app

    group = get_command(cli_app)
    for name in group.list_commands(None):  # type: ignore[arg-type]
        r = runner.invoke(app, [name, "--help"])
        assert r.exit_code == 0, name
        assert "Example" in r.output, f"`paperkg {name} --help` shows no example"
