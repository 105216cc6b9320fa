"""Viewer speed: page build in Python, then first draw / interactive / search / year slider in headless Chromium.

For real builds (``--graph DIR``, repeatable: e.g. the sample build and the 157k-paper build) or
synthetic graphs of about 500, 5 000 and 20 000 nodes (``--sizes``; ``bench.synthetic.make_graph``)
it prints, as medians of ``--runs`` runs:

* build: the page's build time in Python, layout included, as ``paperkg view`` makes it (the overview
  from a build's tables when it has them, else from the graph; ``--mode full`` forces every node);
  the page's size in MB;
* first draw: navigation start → the renderer's first frame is on screen (composited);
* interactive: navigation start → a search issued as soon as the page reports ready (a
  mid-popularity benchmark's name typed into the box, Enter) has its node selected, the panel open
  and the camera framing its neighbourhood, painted;
* search: a second search from the bare map (panel closed with Escape) once the page is idle
  (another benchmark; input event → that frame painted);
* year slider: then, idle again, the "from" year moved to the middle of the graph's years (input
  event → frame with the filtered map painted); only for graphs with years;
* phases: where the page's start-up time goes (its ``paperkg:*`` performance marks, ms from
  navigation start).

    .venv/bin/python -m bench.viewer_render --graph out --graph ../ml157k      # real builds
    .venv/bin/python -m bench.viewer_render --sizes 500,5000,20000 --mode full  # synthetic

Needs Debian's chromium at /usr/bin/chromium (override with PAPERKG_CHROMIUM).
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
# issue 15 floors, by graph: the 157k-paper build ("large": above 100k papers) and the sample build
FLOORS = {
    ("large", "mb"): 20.0,
    ("large", "interactive"): 3.0,
    ("large", "search"): 0.3,
    ("large", "years"): 0.3,
    ("sample", "interactive"): 1.0,
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


def page_payload(path: Path) -> dict[str, Any]:
    html = path.read_text(encoding="utf-8")
    m = re.search(r'id="paperkg-data">(.*?)</script>', html, re.DOTALL)
    assert m, path
    return json.loads(m.group(1))


def probe_entity(data: dict[str, Any]) -> tuple[list[tuple[str, str]], int | None]:
    """Two benchmarks drawn on the page, at the middle and a third of the way up the support ranking
    (realistic search targets, not the biggest hubs), and the year the slider moves to (the middle
    of the graph's years; None without years)."""
    n = data["n"]
    bench = data["types"].index("benchmark")
    ents = sorted((n["pc"][i], n["key"][i], n["name"][i]) for i in range(len(n["key"])) if n["t"][i] == bench)
    picks = [ents[len(ents) // 2], ents[(2 * len(ents)) // 3]]
    years = data.get("years")
    return [(k, name) for _, k, name in picks], (years[0] + years[1]) // 2 if years and years[1] > years[0] else None


# Runs in the page before its own scripts (CDP init scripts are exempt from the page's CSP):
# as soon as the viewer reports ready, type the probe name, press Enter, and note when the
# frame showing the selection has been painted (two animation frames later); then move the
# year slider and wait for the page's own measure of that update.
_PROBE = """
(() => {
  const first = %s, second = %s, year = %s;
  const settle = (fn) => setTimeout(() => requestIdleCallback(fn, { timeout: 3000 }), 300);
  // type a name into the box, press Enter; resolves with [t0, the time the framed selection was painted]
  const search = (name) => new Promise((resolve) => {
    const v = window.paperkgViewer;
    const input = document.getElementById("search");
    const t0 = performance.now();
    input.value = name;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    // the page notes when the framed selection has been painted (two frames after the camera moved)
    const painted = () => v.timings.selectPaintMs !== null && v.timings.selectPaintMs > t0;
    const wait = () => (painted() ? resolve([t0, v.timings.selectPaintMs]) : requestAnimationFrame(wait));
    requestAnimationFrame(wait);
  });
  const poll = () => {
    const v = window.paperkgViewer;
    if (!v || !v.ready) { requestAnimationFrame(poll); return; }
    search(first).then(([, t1]) => {
      const selected = v.selected;
      // back to the bare map (Escape closes the panel), then a search on the idle page
      document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
      settle(() => search(second).then(([s0, s1]) => {
        const done = (years) => {
          const firstDraw = v.timings.firstDrawMs;
          window.__paperkgBench = { t1, search: s1 - s0, selected, selected2: v.selected, first: firstDraw, years };
        };
        if (year === null) { done(null); return; }
        settle(() => {
          const s = document.getElementById("year-from");
          s.value = String(year);
          s.dispatchEvent(new Event("input", { bubbles: true }));
          const ms = () => v.timings.lastFilterMs;
          const wait = () => (ms() === null ? requestAnimationFrame(wait) : done(ms()));
          requestAnimationFrame(wait);
        });
      }));
    });
  };
  requestAnimationFrame(poll);
})();
"""


_MARKS = """() => performance.getEntriesByType("mark")
  .filter((m) => m.name.startsWith("paperkg:")).map((m) => [m.name.slice(8), m.startTime])"""


def measure_page(browser, path: Path, probes: list[tuple[str, str]], year: int | None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """first draw, interactive (ready + a first search painted), search (a second one, once the page is
    idle) and year slider (once idle again) in seconds; phases in ms."""
    (key, name), (key2, name2) = probes
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.add_init_script(_PROBE % (json.dumps(name), json.dumps(name2), json.dumps(year)))
        page.goto(path.as_uri(), wait_until="commit", timeout=180_000)
        page.wait_for_function("() => window.__paperkgBench", timeout=180_000)
        r = page.evaluate("window.__paperkgBench")
        for want, got, typed in ((key, r["selected"], name), (key2, r["selected2"], name2)):
            if got != want:
                raise RuntimeError(f"search for {typed!r} selected {got!r}, expected {want!r}")
        return {
            "first_draw": r["first"] / 1000,
            "interactive": r["t1"] / 1000,
            "search": r["search"] / 1000,
            "years": r["years"] / 1000 if r["years"] is not None else None,
            "phases": dict(page.evaluate(_MARKS)),
        }
    finally:
        context.close()


def _median(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", action="append", default=[], help="a build directory or graph.json (repeatable)")
    ap.add_argument("--sizes", default=None, help="comma-separated synthetic node counts (default without --graph: "
                    "500,5000,20000)")  # fmt: skip
    ap.add_argument("--renderers", default="auto", help="comma-separated: auto, pyvis, sigma")
    ap.add_argument("--mode", default="auto", choices=["auto", "overview", "full"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="keep the pages in this folder")
    a = ap.parse_args()

    from playwright.sync_api import sync_playwright

    from graphbuild.graph import load_graph, resolve_graph_path
    from graphbuild.tables import TABLES_DIR, has_tables, read_graph_streams, table_counts
    from graphbuild.view import choose_mode, render_overview

    sizes = a.sizes or ("" if a.graph else "500,5000,20000")
    sources: list[tuple[str, Any]] = [(g, None) for g in a.graph]
    sources += [(f"synthetic {s}", int(s)) for s in sizes.split(",") if s]
    out_dir = a.keep or Path(tempfile.mkdtemp(prefix="paperkg-viewer-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            for label, size in sources:
                streams = not size and a.mode != "full" and has_tables(resolve_graph_path(label).parent)
                if streams:
                    # a build with tables: the overview from its streams, as `paperkg view` makes it
                    build_dir = resolve_graph_path(label).parent
                    count, _, _ = read_graph_streams(build_dir)
                    streams = choose_mode(count, a.mode) == "overview"
                g = None if streams else graph_with_nodes(size) if size else load_graph(label)
                if g is not None:
                    papers = sum(1 for _, d in g.nodes(data=True) if d.get("label") == "Paper")
                    graph_nodes = g.number_of_nodes()
                else:
                    counts = table_counts(build_dir / TABLES_DIR)
                    papers, graph_nodes = counts.nodes["Paper"], sum(counts.nodes.values())
                for renderer in a.renderers.split(","):
                    path = out_dir / f"view-{len(rows)}-{renderer}.html"
                    builds = []
                    for _ in range(a.runs):
                        t = time.perf_counter()
                        if g is None:
                            _, nodes, edges = read_graph_streams(build_dir)
                            report = render_overview(nodes, edges, path, renderer=renderer)  # type: ignore[arg-type]
                        else:
                            report = render_view(g, path, renderer=renderer, mode=a.mode)  # type: ignore[arg-type]
                        builds.append(time.perf_counter() - t)
                    probes, year = probe_entity(page_payload(path))
                    pages = [measure_page(browser, path, probes, year) for _ in range(a.runs)]
                    row = {
                        "graph": label,
                        "papers": papers,
                        "graph_nodes": graph_nodes,
                        "nodes": report.nodes,
                        "links": report.edges,
                        "mode": report.mode,
                        "renderer": report.renderer,
                        "mb": report.size_bytes / 1e6,
                        "build": statistics.median(builds),
                        **{k: _median([p[k] for p in pages]) for k in ("first_draw", "interactive", "search", "years")},
                    }
                    rows.append(row)
                    phases = [p["phases"] for p in pages]
                    marks = [m for m in phases[0] if all(m in p for p in phases)]
                    median_ms = {m: statistics.median(p[m] for p in phases) for m in marks}
                    years = f"{row['years'] * 1000:.0f} ms" if row["years"] is not None else "-"
                    print(
                        f"{label}: {row['mode']} {row['renderer']}, {row['nodes']:,} of {row['graph_nodes']:,} nodes, "
                        f"{row['mb']:.1f} MB, build {row['build']:.2f}s, first draw {row['first_draw']:.2f}s, "
                        f"interactive {row['interactive']:.2f}s, search {row['search'] * 1000:.0f} ms, "
                        f"year slider {years}",
                        flush=True,
                    )
                    print("    phases (ms): " + ", ".join(f"{m} {t:.0f}" for m, t in median_ms.items()), flush=True)
                del g
        finally:
            browser.close()

    print()
    print("| graph | papers | page | nodes drawn | links | HTML | build (Python) | first draw | interactive | search "
          "| year slider |")  # fmt: skip
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        years = f"{r['years'] * 1000:.0f} ms" if r["years"] is not None else "–"
        print(
            f"| {r['graph']} | {r['papers']:,} | {r['mode']} ({r['renderer']}) | {r['nodes']:,} | {r['links']:,} "
            f"| {r['mb']:.1f} MB | {r['build']:.2f} s | {r['first_draw']:.2f} s | {r['interactive']:.2f} s "
            f"| {r['search'] * 1000:.0f} ms | {years} |"
        )
    load = os.getloadavg()
    print(
        f"\nmedian of {a.runs} runs; headless Chromium {CHROMIUM}, 1400x900; load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) on {os.cpu_count()} CPUs"
    )
    if a.keep:
        print(f"pages in {out_dir}")
    else:
        shutil.rmtree(out_dir, ignore_errors=True)  # tens of MB per run; --keep DIR keeps them
    for r in rows:
        synthetic = r["graph"].startswith("synthetic")
        kind = "large" if r["papers"] > 100_000 else "sample" if not synthetic and r["papers"] <= 1000 else None
        for (which, what), limit in FLOORS.items():
            if which == kind and r[what] is not None:
                unit = "MB" if what == "mb" else "s"
                verdict = "ok" if r[what] <= limit else "MISSED"
                print(f"floor {what} on {r['graph']}: {r[what]:.2f} {unit} <= {limit} {unit}: {verdict}")


if __name__ == "__main__":
    main()
