"""Export a 2-hop neighbourhood from a 50k-paper synthetic graph in every format.

Prints the median of ``--runs`` runs for the selection and for each format's write, and checks the
floor: selection + write < 2 s for every format. The focus is the benchmark of popularity rank
``--rank`` (1 = the most-used benchmark, whose 2-hop neighbourhood is a third of the graph; the
default 10 is a popular benchmark with a neighbourhood of ~3k nodes and ~10k links).

    python -m bench.export_subgraph                 # 50k papers, rank 10, 3 runs
    python -m bench.export_subgraph --rank 50 --papers 20000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bench.synthetic import make_graph
from graphbuild.errors import ExportError
from graphbuild.export import FORMATS, export_graph
from graphbuild.export.dispatch import human_size
from graphbuild.subgraph import Selection, select

FLOOR_SECONDS = 2.0
T = TypeVar("T")


def _median(fn: Callable[[], T], runs: int) -> tuple[float, float, T]:
    """Median wall-clock and CPU seconds of ``runs`` calls, and the last result."""
    walls, cpus = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--papers", type=int, default=50_000)
    ap.add_argument("--rank", type=int, default=10, help="popularity rank of the focus benchmark (1 = top)")
    ap.add_argument("--hops", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()

    t0 = time.perf_counter()
    g = make_graph(a.papers)
    print(
        f"graph: {a.papers} papers, {g.number_of_nodes()} nodes, {g.number_of_edges()} links "
        f"(made in {time.perf_counter() - t0:.1f} s)"
    )
    benchmarks = sorted(
        (n for n, d in g.nodes(data=True) if d["label"] == "Benchmark"),
        key=lambda n: (-g.nodes[n]["paper_count"], n),
    )
    focus = benchmarks[min(a.rank, len(benchmarks)) - 1]
    name = g.nodes[focus]["name"]
    sel = Selection(focus=(name,), hops=a.hops)  # by name, so resolution is part of the timing
    t_sel, c_sel, sub = _median(lambda: select(g, sel), a.runs)
    print(
        f"focus: {name!r} ({focus}, rank {a.rank}, {g.nodes[focus]['paper_count']} papers), {a.hops} hops → "
        f"{sub.number_of_nodes()} nodes, {sub.number_of_edges()} links"
    )
    load = os.getloadavg()[0]
    print(f"selection: median {t_sel * 1000:.0f} ms wall, {c_sel * 1000:.0f} ms CPU, of {a.runs} runs")
    print(f"(load average {load:.1f} on {os.cpu_count()} CPUs while measuring: wall time includes waiting)")
    print(
        f"{'format':<12} {'write ms':>9} {'CPU ms':>7} {'select+write ms':>16} {'size':>10}  "
        f"floor < {FLOOR_SECONDS:.0f} s"
    )
    failed = []
    with tempfile.TemporaryDirectory(prefix="paperkg-export-bench-") as tmp:
        for fmt in FORMATS:
            target = Path(tmp) / fmt
            try:
                t_write, c_write, summary = _median(
                    lambda fmt=fmt, target=target: export_graph(sub, fmt, target), a.runs
                )
            except ExportError as e:  # mermaid refuses large graphs by design; neo4j-admin may be absent
                print(f"{fmt:<12} {'-':>9} {'-':>7} {'-':>16} {'-':>10}  skipped: {e}")
                continue
            total = t_sel + t_write
            ok = total < FLOOR_SECONDS
            failed += [] if ok else [fmt]
            print(
                f"{fmt:<12} {t_write * 1000:>9.0f} {c_write * 1000:>7.0f} {total * 1000:>16.0f} "
                f"{human_size(summary.bytes):>10}  "
                f"{'ok' if ok else 'FAIL'}"
            )
    if failed:
        print(f"floor missed by: {', '.join(failed)}")
        return 1
    print(f"floor met: every format's selection + write < {FLOOR_SECONDS:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
