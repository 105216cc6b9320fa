"""Viewer speed: page build in Python and first draw / interactive / search in headless Chromium.

For graphs of about 500, 5 000 and 20 000 nodes (``bench.synthetic.make_graph``,
sized to hit those node counts) it prints, as medians of 3 runs:

* build: ``render_view`` wall time in Python, layout included;
* first draw: navigation start → the renderer's first frame is on screen
  (composited: the next animation frame has started);
* interactive: navigation start → a search issued as soon as the page reports
  ready (name typed into the box, Enter) has its node selected and painted;
* search: that search alone (input event → frame with the selection painted);
* phases: where the page's start-up time goes (its ``paperkg:*`` performance marks,
  ms from navigation start: script start, payload parsed, indexes, graph built,
  renderer created, filters applied).

    .venv/bin/python -m bench.viewer_render                       # auto renderer
    .venv/bin/python -m bench.viewer_render --renderers pyvis,sigma --sizes 500,5000

Needs Debian's chromium at /usr/bin/chromium (override with PAPERKG_CHROMIUM).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

from bench.synthetic import make_graph
from graphbuild.view import render_view

CHROMIUM = os.environ.get("PAPERKG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
FLOORS = {  # issue 6: (nodes, what) -> limit in seconds
    (5000, "interactive"): 2.0,
    (20000, "interactive"): 4.0,
    (20000, "search"): 1.0,
    (20000, "build"): 10.0,
}


def graph_with_nodes(target: int, seed: int = 0) -> nx.MultiDiGraph:
    """A synthetic graph within ~3% of ``target`` nodes (papers + the entities they pick)."""
    papers = max(10, int(target / 1.35))
    g = make_graph(papers, seed)
    for _ in range(3):
        if abs(g.number_of_nodes() - target) <= 0.03 * target:
            break
        papers = max(10, int(papers * target / g.number_of_nodes()))
        g = make_graph(papers, seed)
    return g


def probe_entity(g: nx.MultiDiGraph) -> tuple[str, str]:
    """A mid-popularity benchmark: a realistic search target, not the biggest hub."""
    ents = sorted((d.get("paper_count", 0), k) for k, d in g.nodes(data=True) if d.get("label") == "Benchmark")
    _, key = ents[len(ents) // 2]
    return key, g.nodes[key]["name"]


# Runs in the page before its own scripts (CDP init scripts are exempt from the page's CSP):
# as soon as the viewer reports ready, type the probe name, press Enter, and note when the
# frame showing the selection has been painted (two animation frames later).
_PROBE = """
(() => {
  const name = %s;
  const poll = () => {
    const v = window.paperkgViewer;
    if (!v || !v.ready) { requestAnimationFrame(poll); return; }
    const input = document.getElementById("search");
    const t0 = performance.now();
    input.value = name;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    requestAnimationFrame(() => requestAnimationFrame(() => {
      window.__paperkgBench = { t0, t1: performance.now(), selected: v.selected, first: v.timings.firstDrawMs };
    }));
  };
  requestAnimationFrame(poll);
})();
"""


_MARKS = """() => performance.getEntriesByType("mark")
  .filter((m) => m.name.startsWith("paperkg:")).map((m) => [m.name.slice(8), m.startTime])"""


def measure_page(browser, path: Path, key: str, name: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """first draw, interactive (ready + first search painted) and search in seconds; phases in ms."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.add_init_script(_PROBE % json.dumps(name))
        page.goto(path.as_uri(), wait_until="commit", timeout=120_000)
        page.wait_for_function("() => window.__paperkgBench", timeout=120_000)
        r = page.evaluate("window.__paperkgBench")
        if r["selected"] != key:
            raise RuntimeError(f"search for {name!r} selected {r['selected']!r}, expected {key!r}")
        return {
            "first_draw": r["first"] / 1000,
            "interactive": r["t1"] / 1000,
            "search": (r["t1"] - r["t0"]) / 1000,
            "phases": dict(page.evaluate(_MARKS)),
        }
    finally:
        context.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="500,5000,20000", help="comma-separated node counts")
    ap.add_argument("--renderers", default="auto", help="comma-separated: auto, pyvis, sigma")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="keep the pages in this folder")
    a = ap.parse_args()

    from playwright.sync_api import sync_playwright

    out_dir = a.keep or Path(tempfile.mkdtemp(prefix="paperkg-viewer-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            for size in (int(s) for s in a.sizes.split(",")):
                g = graph_with_nodes(size)
                key, name = probe_entity(g)
                for renderer in a.renderers.split(","):
                    path = out_dir / f"view-{size}-{renderer}.html"
                    builds, pages = [], []
                    for _ in range(a.runs):
                        t = time.perf_counter()
                        report = render_view(g, path, renderer=renderer)  # type: ignore[arg-type]
                        builds.append(time.perf_counter() - t)
                    for _ in range(a.runs):
                        pages.append(measure_page(browser, path, key, name))
                    row = {
                        "nodes": g.number_of_nodes(),
                        "edges": g.number_of_edges(),
                        "size": size,
                        "renderer": report.renderer,
                        "links": "all" if report.links_shown else "on hover",
                        "mb": report.size_bytes / 1e6,
                        "build": statistics.median(builds),
                        "layout": report.layout_seconds,
                        **{k: statistics.median(p[k] for p in pages) for k in ("first_draw", "interactive", "search")},
                    }
                    rows.append(row)
                    phases = [p["phases"] for p in pages]
                    marks = [m for m in phases[0] if all(m in p for p in phases)]
                    median_ms = {m: statistics.median(p[m] for p in phases) for m in marks}
                    print(
                        f"{row['nodes']:>6} nodes {row['renderer']:>5}: build {row['build']:.2f}s "
                        f"(layout {row['layout']:.2f}s), first draw {row['first_draw']:.2f}s, "
                        f"interactive {row['interactive']:.2f}s, search {row['search']:.3f}s, {row['mb']:.1f} MB, "
                        f"links drawn: {row['links']}",
                        flush=True,
                    )
                    print("    phases (ms): " + ", ".join(f"{m} {t:.0f}" for m, t in median_ms.items()), flush=True)
        finally:
            browser.close()

    print()
    print(
        "| nodes | edges | renderer | links drawn | HTML size | build (Python, incl. layout) "
        "| first draw | interactive | search |"
    )
    print("|---:|---:|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['nodes']:,} | {r['edges']:,} | {r['renderer']} | {r['links']} | {r['mb']:.1f} MB "
            f"| {r['build']:.2f} s "
            f"| {r['first_draw']:.2f} s | {r['interactive']:.2f} s | {r['search'] * 1000:.0f} ms |"
        )
    load = os.getloadavg()[0]
    print(f"\nmedian of {a.runs} runs; headless Chromium {CHROMIUM}; load average {load:.1f} on {os.cpu_count()} CPUs")
    if a.keep:
        print(f"pages in {out_dir}")
    else:
        shutil.rmtree(out_dir, ignore_errors=True)  # tens of MB per run; --keep DIR keeps them
    for (size, what), limit in FLOORS.items():
        for r in rows:
            if r["size"] == size:
                verdict = "ok" if r[what] <= limit else "MISSED"
                print(f"floor {what} @ {size} nodes ({r['renderer']}): {r[what]:.2f} s <= {limit} s: {verdict}")


if __name__ == "__main__":
    main()
