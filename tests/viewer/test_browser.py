"""The viewer in a real headless Chromium, for both renderers, on the hostile fixture graph.

The page is driven like a user would (typing, keys, mouse clicks at the node's drawn
position); ``window.paperkgViewer`` is only read to check the outcome.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from viewer_graph import XSS_METHOD, XSS_TITLE

from graphbuild.view import render_view

pytestmark = pytest.mark.browser

RENDERERS = ["pyvis", "sigma"]


@pytest.fixture(params=RENDERERS)
def page_file(request, viewer_graph, tmp_path: Path) -> Path:
    return render_view(viewer_graph, tmp_path / f"view-{request.param}.html", renderer=request.param).path


def _expected_renderer(path: Path) -> str:
    return "vis" if "pyvis" in path.name else "sigma"


def test_offline_draws_every_node_and_screenshot(open_view, page_file: Path, artifacts_dir: Path) -> None:
    v = open_view(page_file)
    assert v.hook("renderer") == _expected_renderer(page_file)
    assert v.hook("nodeCount") == 11
    assert v.hook("drawnNodes") == 11
    assert v.requests == [v.url]  # the file itself, nothing else
    assert v.errors == [] and v.dialogs == []
    v.page.screenshot(path=str(artifacts_dir / f"viewer-{_expected_renderer(page_file)}.png"))


def test_search_by_alias_selects_and_focuses(open_view, page_file: Path) -> None:
    v = open_view(page_file)
    key = "benchmark:deepmind-control-suite"
    before = v.page.evaluate("(k) => window.paperkgViewer.screenPosition(k)", key)
    v.page.click("#search")
    v.page.keyboard.type("DM_CON")  # an alias, in the wrong case
    options = v.page.locator("#suggestions li")
    assert options.count() >= 1
    assert options.first.text_content().startswith("DeepMind Control Suite")
    v.page.keyboard.press("ArrowDown")
    v.page.keyboard.press("ArrowUp")
    assert v.page.get_attribute("#suggestions li:first-child", "aria-selected") == "true"
    v.page.keyboard.press("Enter")
    assert v.hook("selected") == key
    assert v.hook("panel") == "entity"
    assert v.page.evaluate("() => location.hash") == "#node=" + quote(key, safe="")
    # focused: once the camera settles, the node sits at the centre of the graph area
    v.page.wait_for_timeout(700)
    box = v.page.locator("#graph").bounding_box()
    after = v.page.evaluate("(k) => window.paperkgViewer.screenPosition(k)", key)
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert abs(after["x"] - centre[0]) < 30 and abs(after["y"] - centre[1]) < 30
    assert (before["x"], before["y"]) != (after["x"], after["y"]) or before == centre
    # the neighbourhood (the node and its one paper) is highlighted
    assert v.hook("highlighted") == 2


def test_type_filter_and_support_slider(open_view, page_file: Path) -> None:
    v = open_view(page_file)
    v.page.uncheck("#type-method")
    assert v.hook("visibleNodes") == 11 - 4
    # the renderer applies it on its next frame
    v.page.wait_for_function("() => window.paperkgViewer.drawnNodes === 7", timeout=5000)
    v.page.check("#type-method")
    v.page.wait_for_function("() => window.paperkgViewer.drawnNodes === 11", timeout=5000)
    # min papers 2: Transformer and NLP stay, with the two papers that link to them
    v.page.evaluate(
        """() => { const s = document.getElementById('support'); s.value = '1';
                   s.dispatchEvent(new Event('input', { bubbles: true })); }"""
    )
    assert v.page.text_content("#support-value") == "2"
    assert v.hook("visibleNodes") == 4
    v.page.wait_for_function("() => window.paperkgViewer.drawnNodes === 4", timeout=5000)


def _link_pairs(g) -> int:  # type: ignore[no-untyped-def]
    """Links as drawn: one per node pair, whatever the relationships between them."""
    return len({frozenset((u, v)) for u, v in g.edges() if u != v})


def test_links_toggle(open_view, page_file: Path, viewer_graph) -> None:  # type: ignore[no-untyped-def]
    v = open_view(page_file)
    pairs = _link_pairs(viewer_graph)
    assert v.page.is_checked("#links")  # a small graph opens with every link drawn
    assert v.hook("drawnLinks") == pairs
    v.page.uncheck("#links")
    v.page.wait_for_function("() => window.paperkgViewer.drawnLinks === 0", timeout=5000)
    v.page.check("#links")
    v.page.wait_for_function("(n) => window.paperkgViewer.drawnLinks === n", arg=pairs, timeout=5000)
    assert v.errors == []


def test_click_paper_shows_abstract_with_mentions(open_view, page_file: Path) -> None:
    v = open_view(page_file)
    v.click_node("paper:1706.03762")
    assert v.hook("selected") == "paper:1706.03762"
    assert v.hook("panel") == "paper"
    assert v.page.text_content("#panel h2") == "Attention Is All You Need"
    abstract = v.page.text_content("#panel .abstract")
    assert abstract.startswith("We propose the Transformer, a simple network") and "\n" not in abstract
    marks = v.page.locator("#panel .abstract mark")
    assert marks.all_text_contents() == ["Transformer", "WMT 2014"]
    assert marks.first.get_attribute("data-node") == "method:transformer"
    assert v.page.get_attribute("#panel .meta a", "href") == "https://arxiv.org/abs/1706.03762"


def test_click_entity_lists_papers_with_evidence(open_view, page_file: Path) -> None:
    v = open_view(page_file)
    v.click_node("method:transformer")
    assert v.hook("selected") == "method:transformer"
    assert v.hook("panel") == "entity"
    assert v.page.text_content("#panel .paper-count") == "2 papers"
    items = v.page.locator("#panel ul.links li")
    assert items.count() == 2
    texts = sorted(items.all_text_contents())
    assert any(
        t.startswith("proposed") and "Attention Is All You Need" in t and "solely on attention" in t for t in texts
    )
    assert any(t.startswith("used") and "Few-Shot Learners" in t and "built on the Transformer" in t for t in texts)
    # a paper link in the panel moves the selection there
    v.page.click("#panel ul.links li a.node >> text=Attention Is All You Need")
    assert v.hook("selected") == "paper:1706.03762"


def test_deep_link_opens_on_node(open_view, page_file: Path) -> None:
    key = "paper:2005.14165"
    v = open_view(page_file, "#node=" + quote(key, safe=""))
    assert v.hook("selected") == key
    assert v.hook("panel") == "paper"
    assert v.page.text_content("#panel h2") == "Language Models are Few-Shot Learners"
    # changing the fragment later follows it too
    v.page.evaluate("() => { location.hash = '#node=' + encodeURIComponent('method:ppo'); }")
    v.page.wait_for_function("() => window.paperkgViewer.selected === 'method:ppo'")


def test_hostile_text_is_shown_literally_and_never_runs(open_view, page_file: Path, artifacts_dir: Path) -> None:
    v = open_view(page_file)
    v.page.click("#search")
    v.page.keyboard.type("<script>")
    assert v.page.locator("#suggestions li .name").first.text_content() == XSS_TITLE
    v.page.keyboard.press("Enter")
    assert v.hook("selected") == "paper:xss-1"
    assert v.page.text_content("#panel h2") == XSS_TITLE
    assert XSS_METHOD in v.page.text_content("#panel .abstract")
    assert v.page.locator("#panel .abstract mark", has_text=XSS_METHOD).count() == 1
    # the javascript: URL was not turned into a link
    assert v.page.locator("#panel .meta a").count() == 0
    v.page.fill("#search", "")
    v.page.keyboard.type("alert(3)")
    assert v.page.locator("#suggestions li .name").first.text_content() == XSS_METHOD
    v.page.keyboard.press("Enter")
    assert v.hook("selected") == "method:img-net"
    assert v.page.text_content("#panel h2") == XSS_METHOD
    v.page.wait_for_timeout(200)
    assert v.page.evaluate("() => window.__pwned") is None
    assert v.dialogs == []
    assert v.page.locator("img").count() == 0  # no element was created from corpus text
    assert v.page.locator("#panel script, #panel b").count() == 0
    assert v.requests == [v.url]
    v.page.screenshot(path=str(artifacts_dir / f"viewer-xss-{_expected_renderer(page_file)}.png"))


@pytest.mark.slow
def test_large_graph_loads_with_sigma(open_view, tmp_path: Path, artifacts_dir: Path) -> None:
    """20k nodes: auto picks sigma, every node is drawn; a screenshot for the record (no timing asserted)."""
    from bench.viewer_render import graph_with_nodes

    g = graph_with_nodes(20_000)
    report = render_view(g, tmp_path / "big.html")
    assert report.renderer == "sigma"
    v = open_view(report.path)
    assert v.hook("drawnNodes") == g.number_of_nodes()
    assert v.requests == [v.url]
    v.page.screenshot(path=str(artifacts_dir / "viewer-20k.png"))
    # too many links to draw on every frame: the page opens without them, the box adds them all
    assert not report.links_shown and not v.page.is_checked("#links")
    assert v.hook("drawnLinks") == 0
    v.page.check("#links")
    v.page.wait_for_function("(n) => window.paperkgViewer.drawnLinks === n", arg=_link_pairs(g), timeout=60_000)
    assert v.errors == []
