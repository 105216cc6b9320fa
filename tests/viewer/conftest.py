"""Viewer fixtures: a tiny hostile graph and a real headless Chromium.

``viewer_graph`` is ``hostile_graph.make_viewer_graph()``: 11 nodes built through the real
code path, with titles and names that try to inject HTML.

``sample_graph`` / ``example_graph``: the builds of ``data/hf_trending_papers.txt`` (249 papers, no
years) and ``data/mlanthology-sample.jsonl.gz`` (3,000 papers, 2012–2026), made once per session by the
real extractor; ``sample_page`` / ``example_page`` are their default viewer pages.

``browser`` launches Debian's ``/usr/bin/chromium`` (override: ``PAPERKG_CHROMIUM``)
through Playwright with a fresh temporary profile. Without it the browser tests are
skipped, unless ``REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns that into a failure.
Never ``playwright install``: the tests use the system browser only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from viewer_graph import make_viewer_graph

CHROMIUM = os.environ.get("PAPERKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def viewer_graph() -> nx.MultiDiGraph:
    return make_viewer_graph()


def _build(path: Path) -> nx.MultiDiGraph:
    from graphbuild.graph import build_graph
    from graphbuild.pipeline import extract

    return build_graph(extract([path]).extractions)


@pytest.fixture(scope="session")
def sample_graph() -> nx.MultiDiGraph:
    return _build(DATA / "hf_trending_papers.txt")


@pytest.fixture(scope="session")
def example_graph() -> nx.MultiDiGraph:
    return _build(DATA / "mlanthology-sample.jsonl.gz")


@pytest.fixture(scope="session")
def big_graph() -> nx.MultiDiGraph:
    """~20k nodes (synthetic: bench.synthetic), for the pages at scale."""
    from bench.viewer_render import graph_with_nodes

    return graph_with_nodes(20_000)


@pytest.fixture(scope="session")
def sample_page(sample_graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from graphbuild.view import render_view

    return render_view(sample_graph, tmp_path_factory.mktemp("sample") / "view.html", title="sample").path


@pytest.fixture(scope="session")
def example_page(example_graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from graphbuild.view import render_view

    return render_view(example_graph, tmp_path_factory.mktemp("example") / "view.html", title="example").path


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require = os.environ.get("REQUIRE_BROWSER") == "1"
    if not Path(CHROMIUM).exists():
        msg = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if require:
            pytest.fail(msg + " and REQUIRE_BROWSER=1")
        pytest.skip(msg)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if require:
            pytest.fail("python playwright is not installed and REQUIRE_BROWSER=1")
        pytest.skip("python playwright is not installed")
    with sync_playwright() as pw:
        # a fresh temporary profile per launch (Playwright's default), no downloaded browsers
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class OpenedPage:
    """A page plus everything it did: requests, dialogs, errors."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def hook(self, name: str) -> Any:
        return self.page.evaluate(f"() => window.paperkgViewer.{name}")

    def call(self, name: str, arg: Any) -> Any:
        return self.page.evaluate(f"(a) => window.paperkgViewer.{name}(a)", arg)

    def set_range(self, element_id: str, value: str) -> None:
        """Move a slider the way dragging it does (an input event)."""
        self.page.evaluate(
            """([id, v]) => { const s = document.getElementById(id); s.value = v;
                             s.dispatchEvent(new Event('input', { bubbles: true })); }""",
            [element_id, value],
        )

    def click_node(self, key: str) -> None:
        self.page.wait_for_timeout(500)  # let a camera animation from an earlier focus settle
        pos = self.page.evaluate("(k) => window.paperkgViewer.screenPosition(k)", key)
        assert pos is not None, key
        # like a user: point at the node, see it react, then click
        self.page.mouse.move(pos["x"], pos["y"])
        self.page.wait_for_function("(k) => window.paperkgViewer.hovered === k", arg=key, timeout=5000)
        self.page.mouse.click(pos["x"], pos["y"])


@pytest.fixture
def open_view(browser: Any) -> Iterator[Callable[..., OpenedPage]]:
    contexts: list[Any] = []

    def _open(path: Path, fragment: str = "", width: int = 1280, height: int = 800) -> OpenedPage:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        opened = OpenedPage(page, path.as_uri() + fragment)
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.goto(opened.url)
        # a function, not an expression: the page's CSP forbids the eval Playwright uses for strings
        page.wait_for_function("() => window.paperkgViewer && window.paperkgViewer.ready", timeout=30_000)
        return opened

    yield _open
    for c in contexts:
        c.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
