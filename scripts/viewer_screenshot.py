"""Screenshots of the viewer for the README (``docs/*.png``).

Builds the page for a graph (as ``paperkg view`` would: the overview map above a few thousand nodes),
opens it in headless Chromium, optionally selects a node through the search box (so the side panel
shows its year chart and papers), optionally sets the year range and the colour mode, and saves a PNG.

    .venv/bin/python scripts/viewer_screenshot.py out --select "Transformer" --out docs/viewer.png
    .venv/bin/python scripts/viewer_screenshot.py ml157k --title "paperkg: 154,148 ML papers" --out docs/overview.png
    .venv/bin/python scripts/viewer_screenshot.py ml157k --select "Diffusion Model" --out docs/entity-years.png

Needs Debian's chromium at /usr/bin/chromium (override with PAPERKG_CHROMIUM).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from graphbuild.graph import load_graph, resolve_graph_path
from graphbuild.tables import has_tables, read_graph_streams
from graphbuild.view import choose_mode, render_overview, render_view

ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("graph", help="graph.json or a `paperkg build` output directory")
    ap.add_argument("--out", type=Path, default=Path("docs/viewer.png"))
    ap.add_argument("--select", help="type this into the search box and pick the first suggestion")
    ap.add_argument("--title", default="paperkg: sample corpus")
    ap.add_argument("--renderer", default="auto", choices=["auto", "pyvis", "sigma"])
    ap.add_argument("--mode", default="auto", choices=["auto", "overview", "full"])
    ap.add_argument("--color", choices=["cluster", "type", "year"], help="colour mode")
    ap.add_argument("--years", help="year range FROM-TO")
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=860)
    a = ap.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "view.html"
        build_dir = resolve_graph_path(a.graph).parent
        streamed = False
        if a.mode != "full" and has_tables(build_dir):
            # as `paperkg view` does: a build's tables stream the overview (no graph in memory)
            count, nodes, edges = read_graph_streams(build_dir)
            if choose_mode(count, a.mode) == "overview":
                render_overview(nodes, edges, page_path, renderer=a.renderer, title=a.title)  # type: ignore[arg-type]
                streamed = True
        if not streamed:
            render_view(load_graph(a.graph), page_path, renderer=a.renderer, title=a.title, mode=a.mode)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=os.environ.get("PAPERKG_CHROMIUM", "/usr/bin/chromium"), headless=True, args=ARGS
            )
            try:
                page = browser.new_page(viewport={"width": a.width, "height": a.height})
                page.goto(page_path.as_uri())
                page.wait_for_function("() => window.paperkgViewer && window.paperkgViewer.ready", timeout=120_000)
                if a.color:
                    page.select_option("#color-by", a.color)
                if a.years:
                    first, last = a.years.split("-")
                    for element, value in (("year-to", last), ("year-from", first)):
                        page.evaluate(
                            """([id, v]) => { const s = document.getElementById(id); s.value = v;
                                             s.dispatchEvent(new Event('input', { bubbles: true })); }""",
                            [element, value],
                        )
                if a.select:
                    page.click("#search")
                    page.keyboard.type(a.select)
                    page.keyboard.press("Enter")
                    page.wait_for_function("() => window.paperkgViewer.selected !== null")
                    page.locator("#search").blur()
                page.wait_for_timeout(1200)  # camera animation
                a.out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(a.out))
            finally:
                browser.close()
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
