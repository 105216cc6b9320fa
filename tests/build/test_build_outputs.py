"""All-or-nothing build outputs: temporary sibling + swap, lock file, SIGINT and disk full, --out a directory."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphbuild.build_dir import BuildDir
from graphbuild.cli import app
from graphbuild.errors import BuildLockedError, WriteFailedError
from graphbuild.pipeline import build

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "gold" / "dev_papers.jsonl"
PAPERKG = str(Path(sys.executable).parent / "paperkg")
runner = CliRunner()


def _corpus(tmp_path: Path, n: int, name: str = "c.jsonl") -> Path:
    lines = DEV.read_text(encoding="utf-8").splitlines()[:n]
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _snapshot(out: Path) -> dict[str, bytes]:
    """Every file of a build except the cache (which only ever grows)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "cache" not in p.relative_to(out).parts}  # fmt: skip


def _leftovers(parent: Path) -> list[str]:
    hidden = [p.name for p in parent.iterdir() if p.name.startswith(".")]
    tmp = [str(p) for p in parent.rglob("*") if ".paperkg-tmp-" in p.name or p.name.endswith(".tmp")]
    return hidden + tmp


def test_out_must_be_a_directory(tmp_path: Path) -> None:
    target = tmp_path / "run.v2"
    target.write_text("not a folder", encoding="utf-8")
    r = runner.invoke(app, ["build", str(_corpus(tmp_path, 2)), "--out", str(target), "--no-view"])
    assert r.exit_code == 2
    assert "--out must be a directory" in r.output and "Traceback" not in r.output
    assert target.read_text(encoding="utf-8") == "not a folder"
    # a new name with a suffix is a directory, not a file called run.v3
    r = runner.invoke(app, ["build", str(_corpus(tmp_path, 2)), "--out", str(tmp_path / "run.v3"), "--no-view"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "run.v3" / "graph.json").is_file()


def test_a_second_build_of_the_same_out_is_refused_while_one_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with BuildDir(out):
        r = runner.invoke(app, ["build", str(_corpus(tmp_path, 2)), "--out", str(out), "--no-view"])
        assert r.exit_code == 1
        assert "another paperkg build" in r.output and f"pid {os.getpid()}" in r.output
        with pytest.raises(BuildLockedError):
            build([_corpus(tmp_path, 2)], out, view=False)
    # the lock is gone with the first build: the next one runs
    assert build([_corpus(tmp_path, 2)], out, view=False).counts.nodes["Paper"] == 2
    assert _leftovers(tmp_path) == []


def test_concurrent_builds_never_mix_their_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    a, b = _corpus(tmp_path, 40, "a.jsonl"), _corpus(tmp_path, 5, "b.jsonl")
    first = subprocess.Popen([PAPERKG, "build", str(a), "--out", str(out), "--shard-size", "4"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    lock = tmp_path / ".out.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    second = subprocess.run([PAPERKG, "build", str(b), "--out", str(out)], capture_output=True, text=True)
    first.communicate(timeout=300)
    assert first.returncode == 0
    assert second.returncode == 1 and "another paperkg build" in second.stderr, second.stderr
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert manifest["build_id"] == graph["graph"]["build_id"] and manifest["nodes"]["Paper"] == 40
    assert _leftovers(tmp_path) == []


def test_sigint_leaves_the_previous_build_intact_and_no_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([_corpus(tmp_path, 3, "old.jsonl")], out)
    before = _snapshot(out)
    big = _corpus(tmp_path, 46, "new.jsonl")
    interrupted_in = set()
    # interrupt once while extracting, once while writing the graph files
    for wait_for in ("cache/*/*.papers.parquet", ".out.building-*/graph.json"):
        proc = subprocess.Popen([PAPERKG, "build", str(big), "--out", str(out), "--shard-size", "3", "-j", "2"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            base, pattern = (out, wait_for) if wait_for.startswith("cache") else (tmp_path, wait_for)
            if list(base.glob(pattern)) and (wait_for.startswith(".") or len(list(base.glob(pattern))) > 1):
                proc.send_signal(signal.SIGINT)
                interrupted_in.add(wait_for)
                break
            time.sleep(0.005)
        _, stderr = proc.communicate(timeout=120)
        if proc.returncode == 0:  # it finished first: nothing to check this round
            shutil.rmtree(out)
            build([_corpus(tmp_path, 3, "old.jsonl")], out)
            continue
        assert proc.returncode != 0 and "Traceback" not in stderr, stderr
        assert _snapshot(out) == before
        assert _leftovers(tmp_path) == []
    assert interrupted_in, "no build was interrupted"


def test_disk_full_leaves_the_previous_build_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import graphbuild.tables as tables

    out = tmp_path / "out"
    build([_corpus(tmp_path, 3)], out)
    before = _snapshot(out)
    real = tables.write_graph_json

    def full_disk(tables_dir, target, attrs):  # writes part of the file, then the disk is full
        Path(target).with_name("graph.json.tmp").write_text('{"schema_version": 2, "nodes": [', encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(tables, "write_graph_json", full_disk)
    with pytest.raises(WriteFailedError, match=r"disk is full.*previous build is unchanged"):
        build([_corpus(tmp_path, 10)], out)
    assert _snapshot(out) == before
    assert _leftovers(tmp_path) == []
    monkeypatch.setattr(tables, "write_graph_json", real)
    assert build([_corpus(tmp_path, 10)], out).extraction.reused == 10  # its extraction was kept in the cache


def _unshare_works() -> bool:
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not _unshare_works(), reason="no user/mount namespaces for a small tmpfs")
def test_a_real_full_disk_during_the_embedded_write(tmp_path: Path) -> None:
    """A 3 MB tmpfs (in a private mount namespace): the second build fills it while LadybugDB writes."""
    small, big = _corpus(tmp_path, 3, "small.jsonl"), ROOT / "data" / "hf_trending_papers.txt"
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = (
        f"mount -t tmpfs -o size=3m tmpfs {mnt} && cd {mnt} && "
        f"{PAPERKG} build {small} --out out --no-view >/dev/null 2>&1 && "
        f"find out -type f -not -path '*/cache/*' -exec md5sum {{}} + | sort > before.txt && "
        f"{PAPERKG} build {big} --out out 2> err.txt; echo rc=$?; cat err.txt; "
        f"find out -type f -not -path '*/cache/*' -exec md5sum {{}} + | sort | diff -q before.txt - && echo same; "
        "ls -A; find . -name '*.tmp*' -o -name '.out.*'"
    )
    r = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=300)
    lines = r.stdout.splitlines()
    assert "rc=1" in lines, r.stdout + r.stderr
    err = next(line for line in lines if line.startswith("Error:"))
    assert "disk is full" in err and "previous build is unchanged" in err and "durable" not in err
    assert "same" in lines
    listing = lines[lines.index("same") + 1 :]
    assert sorted(listing) == ["before.txt", "err.txt", "out"], listing  # no temporary file or folder


def test_the_cache_survives_the_swap(tmp_path: Path) -> None:
    out = tmp_path / "out"
    corpus = _corpus(tmp_path, 6)
    build([corpus], out, view=False)
    units = sorted(p.name for p in (out / "cache").rglob("*.parquet"))
    assert units
    again = build([corpus], out, view=False)
    assert again.extraction.reused == 6
    assert sorted(p.name for p in (out / "cache").rglob("*.parquet")) == units
