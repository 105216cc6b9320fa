"""Scale: a real 157k-paper corpus and a 1M-paper corpus made from it, built and loaded in bounded memory.

    .venv/bin/python -m bench.scale                       # 157k: 2 full builds, a 1% rebuild, a Neo4j load
    .venv/bin/python -m bench.scale --corpus 1m --runs 1  # the 1M corpus (made once into --work)
    .venv/bin/python -m bench.scale --skip-load --skip-rebuild
    .venv/bin/python -m bench.scale --load-only OUT       # the Neo4j load of an existing build only

Each build is ``paperkg build CORPUS --out OUT -j 2 --on-error skip`` in a subprocess; the bench samples
the resident memory of the whole process tree (the command and every worker, summed: shared pages count
once per process, so this over-states) every 0.1 s, and prints wall time, the peak, the build directory's
size, and papers/s per stage (from OUT/build.json). The 1M corpus resamples the 157k papers with a fixed
seed, keeps each paper's year, makes every title and id distinct (`` [n]`` appended) and drops DOIs and
arXiv links, so no copy is merged away as a duplicate. The rebuild builds the corpus without every 100th
paper, then the whole corpus into the same OUT (1% new papers, spread through the file). The load starts a
fresh Neo4j test server (``tests/neo4j``, heap 4g) and runs ``paperkg load OUT``. The machine is shared:
the load average is printed with each run. Floors (issue 14) are printed beside the medians.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS_157K = ROOT.parent / "shared" / "corpus" / "mlanthology.jsonl.gz"
PAPERKG = str(Path(sys.executable).parent / "paperkg")
GB = 1024**3
FLOORS = {
    "157k": {"rss": 2 * GB, "wall": 240.0},
    "1m": {"rss": 3 * GB, "wall": 25 * 60.0, "disk": 12 * GB},
}
LOAD_FLOORS = {"rss": 1 * GB, "wall": 71.5}
REBUILD_FLOOR = 0.15


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


class TreeMemory:
    """Peak summed RSS of a process and all its descendants, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.peak = 0
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            for p in procs:
                with contextlib.suppress(psutil.Error):  # a worker that just ended
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self._every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_measured(cmd: list[str], log: Path) -> dict[str, float]:
    """Run ``cmd``; wall seconds, peak tree RSS, exit code."""
    t0 = time.perf_counter()
    with log.open("w") as f:
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT)
        mem = TreeMemory(proc.pid)
        rc = proc.wait()
    peak = mem.stop()
    wall = time.perf_counter() - t0
    if rc != 0:
        sys.exit(f"{' '.join(cmd)} failed (exit {rc}); see {log}")
    return {"wall": wall, "rss": peak}


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def make_1m(target: Path, n: int = 1_000_000, seed: int = 14) -> Path:
    """The 1M corpus: 157k real papers resampled, years kept, titles made distinct."""
    if target.exists():
        return target
    with gzip.open(CORPUS_157K, "rt", encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    rng = random.Random(seed)
    tmp = target.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=3) as out:
        for i in range(n):
            rec = json.loads(lines[rng.randrange(len(lines))])
            rec["id"] = f"{rec.get('id', 'p')}~{i}"
            # a DOI or an arXiv link is a paper's identity: copies sharing one are merged as duplicates
            # (a first 1M corpus kept them and built 631,564 papers), so the copies lose them
            rec.pop("doi", None)
            if "arxiv" in str(rec.get("url", "")).lower() or "doi.org" in str(rec.get("url", "")).lower():
                rec.pop("url")
            if isinstance(rec.get("title"), str):
                rec["title"] = f"{rec['title']} [{i}]"
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(target)
    return target


def without_every_100th(src: Path, target: Path) -> Path:
    if target.exists():
        return target
    with gzip.open(src, "rt", encoding="utf-8") as f, gzip.open(target, "wt", encoding="utf-8", compresslevel=3) as out:
        for i, line in enumerate(f):
            if i % 100 != 99:
                out.write(line)
    return target


def build_once(corpus: Path, out: Path, workers: int, log: Path) -> dict[str, object]:
    cmd = [PAPERKG, "build", str(corpus), "--out", str(out), "-j", str(workers), "--on-error", "skip"]
    load = load_average()
    m = run_measured(cmd, log)
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    papers = manifest["extraction"]["papers"]
    view = out / "view.html"
    view_bytes = view.stat().st_size if view.exists() else 0
    return {"load": load, **m, "disk": du(out), "papers": papers, "seconds": manifest["seconds"],
            "extraction": manifest["extraction"], "view_bytes": view_bytes}  # fmt: skip


def print_build(label: str, r: dict) -> None:
    stages = ", ".join(f"{k} {v:.1f}s ({r['papers'] / v:,.0f} papers/s)" if v > 0 else f"{k} {v:.1f}s"
                       for k, v in r["seconds"].items())  # fmt: skip
    ex = r["extraction"]
    print(f"  {label}: wall {r['wall']:.1f}s, peak RSS (tree) {r['rss'] / GB:.2f} GB, "
          f"build dir {r['disk'] / GB:.2f} GB, "
          f"{r['papers']:,} papers ({ex['extracted']:,} extracted, {ex['reused']:,} reused), "
          f"view.html {r['view_bytes'] / 1e6:.1f} MB, load avg before {r['load']}", flush=True)  # fmt: skip
    print(f"    stages: {stages}", flush=True)


def verdict(value: float, floor: float) -> str:
    return "meets" if value <= floor else "MISSES"


def bench_builds(name: str, corpus: Path, args: argparse.Namespace, work: Path) -> list[dict]:
    print(f"\n== {name}: {corpus} (-j {args.workers}, {args.runs} run(s))", flush=True)
    results = []
    for i in range(args.runs):
        out = work / f"out-{name}"
        shutil.rmtree(out, ignore_errors=True)
        r = build_once(corpus, out, args.workers, work / f"build-{name}-{i + 1}.log")
        print_build(f"run {i + 1}", r)
        results.append(r)
    floors = FLOORS[name]
    wall = statistics.median(r["wall"] for r in results)
    rss = statistics.median(r["rss"] for r in results)
    disk = statistics.median(r["disk"] for r in results)
    print(f"  median: wall {wall:.1f}s (floor {floors['wall']:.0f}s: {verdict(wall, floors['wall'])}), "
          f"peak RSS {rss / GB:.2f} GB (floor {floors['rss'] / GB:.0f} GB: {verdict(rss, floors['rss'])})"
          + (f", build dir {disk / GB:.2f} GB (floor {floors['disk'] / GB:.0f} GB: {verdict(disk, floors['disk'])})"
             if "disk" in floors else ""), flush=True)  # fmt: skip
    return results


def bench_rebuild(corpus: Path, args: argparse.Namespace, work: Path, full_wall: float) -> None:
    print("\n== rebuild with 1% new papers (every 100th paper of the file is new)", flush=True)
    base = without_every_100th(corpus, work / "corpus-99pct.jsonl.gz")
    out = work / "out-rebuild"
    shutil.rmtree(out, ignore_errors=True)
    first = build_once(base, out, args.workers, work / "rebuild-base.log")
    print_build("build of 99%", first)
    walls = []
    for i in range(args.runs):
        r = build_once(corpus, out, args.workers, work / f"rebuild-{i + 1}.log")
        print_build(f"rebuild {i + 1}", r)
        walls.append(r["wall"])
        if i + 1 < args.runs:  # back to the 99% build for the next run
            build_once(base, out, args.workers, work / "rebuild-reset.log")
    wall = statistics.median(walls)
    ratio = wall / full_wall
    print(f"  median rebuild {wall:.1f}s = {ratio:.1%} of the full build's {full_wall:.1f}s "
          f"(floor {REBUILD_FLOOR:.0%}: {verdict(ratio, REBUILD_FLOOR)})", flush=True)


def _load_fresh(target: Path, args: argparse.Namespace, work: Path, log: Path) -> dict[str, object]:
    """``paperkg load TARGET`` into a freshly started test server."""
    sys.path.insert(0, str(ROOT / "tests" / "neo4j"))
    from neo4j_testserver import Neo4jTestServer

    home = Path(tempfile.mkdtemp(prefix="paperkg-scale-neo4j-", dir=work))
    server = Neo4jTestServer(home, heap=args.heap, pagecache=args.pagecache).start()
    try:
        load = load_average()
        cmd = [PAPERKG, "load", str(target), "--uri", server.uri, "--user", server.user, "--password",
               server.password]  # fmt: skip
        return {"load": load, **run_measured(cmd, log)}
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


def bench_load(out: Path, args: argparse.Namespace, work: Path) -> None:
    print(f"\n== paperkg load {out} into a fresh Neo4j (heap {args.heap}) each run; for comparison the same graph "
          "from graph.json (read into memory whole, the loader's input before this change)", flush=True)
    streamed, whole = [], []
    for i in range(args.runs):
        for kind, target, results in (("build directory", out, streamed), ("graph.json", out / "graph.json", whole)):
            m = _load_fresh(target, args, work, work / f"load-{kind.replace(' ', '-')}-{i + 1}.log")
            print(f"  run {i + 1}, {kind}: wall {m['wall']:.1f}s, client peak RSS {m['rss'] / GB:.2f} GB, "
                  f"load avg {m['load']}", flush=True)  # fmt: skip
            results.append(m)
    wall = statistics.median(r["wall"] for r in streamed)
    rss = statistics.median(r["rss"] for r in streamed)
    print(f"  median, build directory: wall {wall:.1f}s (floor {LOAD_FLOORS['wall']}s: "
          f"{verdict(wall, LOAD_FLOORS['wall'])}), client RSS {rss / GB:.2f} GB (floor 1 GB: "
          f"{verdict(rss, LOAD_FLOORS['rss'])}); graph.json: wall {statistics.median(r['wall'] for r in whole):.1f}s, "
          f"client RSS {statistics.median(r['rss'] for r in whole) / GB:.2f} GB", flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=("157k", "1m", "both"), default="157k")
    ap.add_argument("--corpus-file", type=Path, default=None,
                    help="build this file instead of the 157k corpus (a smoke run; floors still printed)")
    ap.add_argument("--runs", type=int, default=2, help="runs per measurement (medians reported; default 2)")
    ap.add_argument("--workers", "-j", type=int, default=2)
    ap.add_argument("--work", type=Path, default=None, help="where corpora and builds go (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the builds in --work")
    ap.add_argument("--skip-rebuild", action="store_true")
    ap.add_argument("--skip-load", action="store_true")
    ap.add_argument("--load-only", type=Path, default=None, metavar="OUT",
                    help="only time `paperkg load OUT` (an existing build directory) into fresh servers")
    ap.add_argument("--heap", default="4g")
    ap.add_argument("--pagecache", default="1g")
    args = ap.parse_args(argv)
    if not CORPUS_157K.is_file():
        sys.exit(f"{CORPUS_157K}: the ML Anthology corpus is needed (shared/ beside the checkout)")
    work = args.work or Path(tempfile.mkdtemp(prefix="paperkg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"bench.scale: load average {load_average()}, work dir {work}", flush=True)
    try:
        if args.load_only:
            bench_load(args.load_only, args, work)
            return 0
        if args.corpus in ("157k", "both"):
            corpus = args.corpus_file or CORPUS_157K
            results = bench_builds("157k", corpus, args, work)
            full_wall = statistics.median(r["wall"] for r in results)
            if not args.skip_load:
                bench_load(work / "out-157k", args, work)
            if not args.skip_rebuild:
                bench_rebuild(corpus, args, work, full_wall)
        if args.corpus in ("1m", "both"):
            corpus = make_1m(work / "corpus-1m.jsonl.gz")
            bench_builds("1m", corpus, args, work)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
