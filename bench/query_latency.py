"""Median latency of every named query on a 50k-paper synthetic graph, embedded and Neo4j.

    .venv/bin/python -m bench.query_latency                # 50k papers, 7 runs per query
    .venv/bin/python -m bench.query_latency --papers 5000 --runs 3

Neo4j runs when NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD name a server (the
graph is loaded into it first, replacing paperkg's labels there); otherwise its
column says why it was skipped. Floor: every query ≤ 500 ms median on the
embedded store. Parameters: each query's own example, with entity names
replaced by popular entities of the synthetic graph. Names are resolved to
keys (graphbuild/lookup.py, one Cypher lookup per name) before the timed runs;
the "lookup" columns time that resolution alone, for queries with node parameters.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from typing import Any

import networkx as nx

from bench.synthetic import make_graph
from graphbuild.queries import NamedQuery, bind_params, list_queries, resolve_params
from graphbuild.store.base import GraphStore

FLOOR_MS = 500.0


def _top(g: nx.MultiDiGraph, label: str, n: int = 2) -> list[str]:
    ranked = sorted(
        (d["paper_count"], k) for k, d in g.nodes(data=True) if d.get("label") == label
    )
    return [g.nodes[k]["name"] for _, k in ranked[-n:][::-1]]


def bench_params(g: nx.MultiDiGraph, q: NamedQuery) -> dict[str, Any]:
    """The query's example parameters, pointed at entities that exist (and are popular) in ``g``."""
    methods, benchmarks, domains = _top(g, "Method"), _top(g, "Benchmark"), _top(g, "Domain")
    tasks = _top(g, "Task")
    papers = sorted(k for k, d in g.nodes(data=True) if d.get("label") == "Paper")
    given: dict[str, Any] = dict(q.example)
    replace = {
        "benchmark": benchmarks[0], "method_a": methods[0], "method_b": methods[1], "domain": domains[0],
        "entity": methods[0], "source": methods[1], "target": benchmarks[1], "paper": papers[len(papers) // 2],
        "text": "net", "since": "2024",
    }  # fmt: skip
    if tasks:
        replace["task"] = tasks[0]
    for p in q.params:
        if p.name in replace:
            given[p.name] = replace[p.name]
    return bind_params(q, given)


def lookup_ms(store: GraphStore, q: NamedQuery, params: dict[str, Any], runs: int) -> tuple[float | None, dict]:
    """Median ms to resolve the query's node parameters to keys (None without any), and the resolved params."""
    resolved = resolve_params(store, q, params)  # warm-up
    if all(p.kind is None for p in q.params):
        return None, resolved
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        resolve_params(store, q, params)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), resolved


def median_ms(store: GraphStore, text: str, params: dict[str, Any], runs: int) -> tuple[float, float, int]:
    """Median wall-clock ms, median CPU ms of this process (all its threads), rows."""
    store.run(text, params)  # warm-up: caches, plan compilation
    times, cpu, rows = [], [], 0
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        rows = len(store.run(text, params).rows)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(times), statistics.median(cpu), rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--papers", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()

    from graphbuild.store.embedded import EmbeddedStore, write_embedded

    t0 = time.perf_counter()
    g = make_graph(a.papers)
    print(f"synthetic graph: {a.papers} papers, {g.number_of_nodes()} nodes, {g.number_of_edges()} "
          f"relationships ({time.perf_counter() - t0:.1f} s to generate)")
    with tempfile.TemporaryDirectory(prefix="paperkg-bench-") as tmp:
        t0 = time.perf_counter()
        path = write_embedded(g, tmp)
        print(f"embedded bulk load (Parquet + COPY): {time.perf_counter() - t0:.2f} s")
        embedded = EmbeddedStore(path, read_only=True)
        neo4j, neo4j_note = _open_neo4j(g)
        queries = list_queries()
        results = []
        for q in queries:
            params = bench_params(g, q)
            e_lookup, e_params = lookup_ms(embedded, q, params, a.runs)
            e_ms, e_cpu, e_rows = median_ms(embedded, q.text_for(embedded.dialect), e_params, a.runs)
            n_ms = n_lookup = None
            if neo4j is not None:
                n_lookup, n_params = lookup_ms(neo4j, q, params, a.runs)
                n_ms, _, _ = median_ms(neo4j, q.text_for(getattr(neo4j, "dialect", None)), n_params, a.runs)
            results.append((q.name, e_ms, e_cpu, e_rows, n_ms, e_lookup, n_lookup))
            print(f"  {q.name}: embedded {e_ms:.0f} ms", file=sys.stderr, flush=True)
        embedded.close()
        if neo4j is not None:
            neo4j.close()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nmedian of {a.runs} runs after one warm-up, ms ({a.papers} papers; "
          f"{os.cpu_count()} CPUs, load average {load:.1f})")
    print(f"{'query':34} {'embedded':>10} {'emb. CPU':>10} {'rows':>6} {'neo4j':>10} {'lookup emb.':>12} "
          f"{'lookup neo4j':>12}")  # fmt: skip

    def cell(x: float | None, width: int) -> str:
        return f"{x:{width}.1f}" if x is not None else f"{'-':>{width}}"

    for name, e_ms, e_cpu, rows, n_ms, e_lk, n_lk in results:
        neo = f"{n_ms:10.1f}" if n_ms is not None else f"{'skipped':>10}"
        print(f"{name:34} {e_ms:10.1f} {e_cpu:10.1f} {rows:6d} {neo} {cell(e_lk, 12)} {cell(n_lk, 12)}")
    if neo4j_note:
        print(f"neo4j: {neo4j_note}")
    slow = [r[0] for r in results if r[1] > FLOOR_MS]
    worst = max(results, key=lambda r: r[1])
    print(f"embedded worst median: {worst[1]:.1f} ms ({worst[0]}); floor {FLOOR_MS:.0f} ms: "
          f"{'FAIL ' + ', '.join(slow) if slow else 'ok'}")
    return 1 if slow else 0


def _open_neo4j(g: nx.MultiDiGraph) -> tuple[GraphStore | None, str]:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None, "skipped (set NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD to include it)"
    from graphbuild.store import open_store

    store = open_store(uri)
    t0 = time.perf_counter()
    store.write_graph(g)
    return store, f"loaded into {uri} in {time.perf_counter() - t0:.1f} s (online loader)"


if __name__ == "__main__":
    sys.exit(main())
