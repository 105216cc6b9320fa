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
    # framed: once the camera settles, the node and its neighbourhood (its paper) are in view
    v.page.wait_for_timeout(700)
    box = v.page.locator("#graph").bounding_box()
    right = v.page.locator("#panel").bounding_box()["x"]  # the panel lies over the map's right side
    after = v.page.evaluate("(k) => window.paperkgViewer.screenPosition(k)", key)
    assert (before["x"], before["y"]) != (after["x"], after["y"])
    for k in v.hook("highlightedKeys"):
        p = v.page.evaluate("(k) => window.paperkgViewer.screenPosition(k)", k)
        assert box["x"] <= p["x"] <= right and box["y"] <= p["y"] <= box["y"] + box["height"], k
    # the neighbourhood (the node and its one paper) is highlighted, and labelled
    assert v.hook("highlighted") == 2
    assert set(v.hook("highlightedKeys")) <= {label["key"] for label in v.hook("labels")}


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


def test_click_entity_lists_papers_with_evidence_and_years(open_view, page_file: Path) -> None:
    v = open_view(page_file)
    v.click_node("method:transformer")
    assert v.hook("selected") == "method:transformer"
    assert v.hook("panel") == "entity"
    assert v.page.text_content("#panel .paper-count") == "2 papers · first year 2017"
    # papers per year, 2017 to the last year of the graph (2023): one bar per year
    bars = v.page.locator("#panel svg.year-chart rect.bar")
    assert bars.count() == 7
    counts = {int(b.get_attribute("data-year")): int(b.get_attribute("data-count")) for b in bars.all()}
    assert counts == {2017: 1, 2018: 0, 2019: 0, 2020: 1, 2021: 0, 2022: 0, 2023: 0}
    assert v.page.text_content("#panel ul.co").startswith("Natural Language Processing 2")
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
    # Escape closes the panel and clears the selection (and the fragment)
    v.page.keyboard.press("Escape")
    assert v.hook("selected") is None and v.hook("panel") is None
    assert v.page.evaluate("() => location.hash") == ""


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
    # the hostile name as a canvas label, in the tooltip and in the legend-free panel chart: text only
    v.page.locator("#search").blur()
    v.page.wait_for_timeout(400)
    assert XSS_METHOD in [label["text"] for label in v.hook("labels")]
    pos = v.page.evaluate("(k) => window.paperkgViewer.screenPosition(k)", "method:img-net")
    v.page.mouse.move(pos["x"], pos["y"])
    v.page.wait_for_function("() => window.paperkgViewer.hovered === 'method:img-net'", timeout=5000)
    assert v.page.text_content("#tooltip strong") == XSS_METHOD
    assert v.page.locator("#tooltip *:not(strong):not(div)").count() == 0
    assert v.page.locator("#panel svg.year-chart").count() == 1
    assert v.page.evaluate("() => window.__pwned") is None and v.dialogs == []
    assert v.requests == [v.url]
    v.page.screenshot(path=str(artifacts_dir / f"viewer-xss-{_expected_renderer(page_file)}.png"))


def test_year_range_and_mean_year_colours(open_view, page_file: Path) -> None:
    v = open_view(page_file)
    assert v.hook("yearRange") == [2017, 2023]
    color = "(k) => window.paperkgViewer.nodeColor(k)"
    before = {k: v.page.evaluate(color, k) for k in ("method:transformer", "method:ppo")}
    v.page.select_option("#color-by", "year")
    assert v.hook("colorMode") == "year"
    after = {k: v.page.evaluate(color, k) for k in before}
    # Transformer's papers average 2018.5, PPO's 2023: two ends of the scale, neither a type colour
    assert after["method:transformer"] != after["method:ppo"] and set(after.values()).isdisjoint(before.values())
    assert v.page.locator("#legend .legend-years .gradient").count() == 1
    # from 2021 on: only the 2023 paper and what it links to
    v.page.evaluate(
        """() => { const s = document.getElementById('year-from'); s.value = '2021';
                   s.dispatchEvent(new Event('input', { bubbles: true })); }"""
    )
    assert v.hook("yearRange") == [2021, 2023]
    assert v.page.text_content("#years-value") == "2021–2023"
    assert v.hook("visibleNodes") == 5  # the paper, PPO, DMC, the hostile method, RL
    v.page.wait_for_function("() => window.paperkgViewer.drawnNodes === 5", timeout=5000)
    assert not v.page.evaluate("() => window.paperkgViewer.nodeVisible('method:transformer')")
    assert v.errors == []


@pytest.mark.slow
def test_large_graph_full_view_loads_with_sigma(open_view, big_graph, tmp_path: Path, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """20k nodes with --full: every node is drawn; a screenshot for the record (no timing asserted)."""
    g = big_graph
    report = render_view(g, tmp_path / "big.html", mode="full")
    assert report.renderer == "sigma" and report.mode == "full"
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


def test_hostile_text_on_the_overview_map(open_view, viewer_graph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The overview's own elements (paper table, cluster legend, off-map names) show hostile text literally."""
    from graphbuild.overview import OverviewOptions

    report = render_view(
        viewer_graph, tmp_path / "map.html", mode="overview", options=OverviewOptions(min_papers=1, min_shared=1)
    )
    v = open_view(report.path)
    assert v.hook("mode") == "overview"
    v.page.click("#legend summary")  # the cluster names: their members' names
    legend = v.page.text_content("#legend")
    assert XSS_METHOD in legend
    v.page.click("#search")
    v.page.keyboard.type("<script>")
    assert v.page.locator("#suggestions li .name").first.text_content() == XSS_TITLE
    v.page.keyboard.press("Enter")
    assert v.hook("selected") == "paper:xss-1" and v.hook("panel") == "paper"
    assert v.page.text_content("#panel h2") == XSS_TITLE
    assert v.page.locator("#panel .abstract mark", has_text=XSS_METHOD).count() == 1
    assert v.page.locator("#panel .meta a").count() == 0  # the javascript: URL is no link
    v.page.wait_for_timeout(200)
    assert v.page.evaluate("() => window.__pwned") is None and v.dialogs == []
    assert v.page.locator("img, #panel script, #panel b, #legend b").count() == 0
    assert v.requests == [v.url] and v.errors == []
