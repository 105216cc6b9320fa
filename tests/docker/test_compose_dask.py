"""The compose file's `dask` profile, run here without Docker: its scheduler and worker command lines start a
real tcp:// cluster on 127.0.0.1, and `paperkg build --scheduler tcp://...` gives the bytes of a local run."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from graphbuild.pipeline import build

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CORPUS = ROOT / "tests" / "gold" / "dev_papers.jsonl"

pytestmark = pytest.mark.slow


def _services() -> dict:
    return yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text("utf-8"))["services"]


def test_dask_profile_is_a_scheduler_and_two_workers_on_the_paperkg_image() -> None:
    services = _services()
    scheduler, worker = services["dask-scheduler"], services["dask-worker"]
    assert scheduler["profiles"] == worker["profiles"] == ["dask"]
    assert scheduler["build"] == worker["build"] == services["paperkg"]["build"]
    assert worker["deploy"]["replicas"] == 2 and "tcp://dask-scheduler:8786" in worker["command"]
    assert all(p.startswith("127.0.0.1:") for p in scheduler.get("ports", []))
    assert "pip install .[dask]" in (ROOT / "docker" / "Dockerfile").read_text("utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command(service: dict, port: int) -> list[str]:
    args = [a.replace("tcp://dask-scheduler:8786", f"tcp://127.0.0.1:{port}") for a in service["command"]]
    if args[:2] == ["dask", "scheduler"]:
        args = [a if a != "8786" else str(port) for a in args]
        args = [a if a != ":8787" else ":0" for a in args] + ["--host", "127.0.0.1"]
    else:
        args += ["--host", "127.0.0.1"]
    return [str(BIN / args[0]), *args[1:]]


def test_compose_commands_make_a_cluster_that_builds_the_same_bytes(tmp_path: Path) -> None:
    services = _services()
    port = _free_port()
    procs = [subprocess.Popen(_command(services["dask-scheduler"], port), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        worker = services["dask-worker"]
        for _ in range(worker["deploy"]["replicas"]):
            procs.append(subprocess.Popen(_command(worker, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client

        with Client(f"tcp://127.0.0.1:{port}", timeout="60s") as c:
            c.wait_for_workers(2, timeout=120)
        scheduler = f"tcp://127.0.0.1:{port}"
        # workers on "other machines" send their results back; the client writes them into OUT/cache
        remote = build([CORPUS], tmp_path / "remote", scheduler=scheduler, shard_size=10, embedded=False,
                       view=False)  # fmt: skip
        # a shared cache named by an fsspec URL: the workers write their results there themselves
        shared = f"file://{tmp_path}/shared-cache"
        via_url = build([CORPUS], tmp_path / "via-url", scheduler=scheduler, shard_size=10, embedded=False,
                        view=False, cache=shared)  # fmt: skip
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
    build([CORPUS], tmp_path / "local", shard_size=10, embedded=False, view=False)
    assert remote.extraction.units == via_url.extraction.units == 5 and remote.extraction.extracted == 46
    assert len(list((tmp_path / "shared-cache").glob("*/*.papers.parquet"))) == 5
    assert not (tmp_path / "via-url" / "cache").exists() or not any((tmp_path / "via-url" / "cache").rglob("*.parquet"))
    for name in ("graph.json", "keys.parquet"):
        local_bytes = (tmp_path / "local" / name).read_bytes()
        assert (tmp_path / "remote" / name).read_bytes() == local_bytes, name
        assert (tmp_path / "via-url" / name).read_bytes() == local_bytes, name
