"""The real pages in a real headless Chromium: the sample build (full graph) and the 3k example (overview map).

Legibility is measured from the label boxes the page drew (canvas text metrics); the rest drives the page
like a user (mouse, keyboard, sliders) and checks the outcome against the payload the page was given.
"""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path
from urllib.parse import quote

import pytest

from graphbuild.view import render_view

pytestmark = pytest.mark.browser


def _payload(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'id="paperkg-data">(.*?)</script>', html, re.DOTALL).group(1))


def _overlaps(labels: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for a, b in combinations(labels, 2)
        if a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    ]


def _inside(v, key: str) -> bool:  # type: ignore[no-untyped-def]
    """The node is on the part of the map the side panel (lying over its right side) leaves uncovered."""
    box = v.page.locator("#graph").bounding_box()
    panel = v.page.locator("#panel")
    right = panel.bounding_box()["x"] if panel.is_visible() else box["x"] + box["width"]
    p = v.call("screenPosition", key)
    return box["x"] <= p["x"] <= right and box["y"] <= p["y"] <= box["y"] + box["height"]


@pytest.mark.parametrize(("page", "mode"), [("sample_page", "full"), ("example_page", "overview")])
def test_default_view_is_legible(request, open_view, page: str, mode: str, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    path = request.getfixturevalue(page)
    v = open_view(path, width=1400, height=900)
    assert v.hook("mode") == mode
    v.page.wait_for_timeout(300)
    labels = v.hook("labels")
    assert len(labels) >= 25
    assert _overlaps(labels) == []
    assert min(label["px"] for label in labels) >= 11 and min(label["h"] for label in labels) >= 11
    # every label is the name of a node that is drawn, at the node
    keys = {label["key"] for label in labels}
    assert all(v.call("nodeVisible", k) for k in keys)
    assert v.requests == [v.url] and v.errors == []
    v.page.screenshot(path=str(artifacts_dir / f"viewer-{mode}-default.png"))


def test_header_is_one_row_at_1280(open_view, example_page: Path) -> None:
    v = open_view(example_page, width=1280, height=800)
    boxes = v.page.evaluate(
        """() => [...document.getElementById('bar').children].filter((e) => e.offsetParent !== null)
              .map((e) => { const b = e.getBoundingClientRect(); return [e.id, b.top, b.bottom, b.right]; })"""
    )
    assert len(boxes) >= 6
    tops = [top for _, top, _, _ in boxes]
    assert max(tops) - min(tops) < 12, boxes  # one row: nothing wrapped below
    assert max(right for *_, right in boxes) <= 1280
    assert v.page.locator("#bar").bounding_box()["height"] < 50


def test_overview_click_labels_and_frames_the_neighbours(open_view, example_page: Path) -> None:
    data = _payload(example_page)
    n, e = data["n"], data["e"]
    neighbours: dict[int, set[int]] = {i: set() for i in range(len(n["key"]))}
    for s, t in zip(e["s"], e["t"], strict=True):
        neighbours[s].add(t)
        neighbours[t].add(s)
    # the best-supported method with a handful of neighbours
    i = max((j for j in neighbours if 4 <= len(neighbours[j]) <= 10 and data["types"][n["t"][j]] == "method"),
            key=lambda j: n["pc"][j])  # fmt: skip
    key = n["key"][i]
    v = open_view(example_page, width=1400, height=900)
    v.click_node(key)
    assert v.hook("selected") == key and v.hook("panel") == "entity"
    v.page.wait_for_timeout(700)  # camera animation
    expected = {n["key"][j] for j in neighbours[i]} | {key}
    assert set(v.hook("highlightedKeys")) == expected
    labels = v.hook("labels")
    assert expected <= {label["key"] for label in labels}
    assert all(_inside(v, k) for k in expected)
    assert _overlaps(labels) == []
    # the panel: papers per year as bars matching the payload, first year, the most co-occurring entities
    yh = n["yh"][i]
    counts = {data["years"][0] + y: c for y, c in zip(yh[::2], yh[1::2], strict=True)}
    bars = v.page.locator("#panel svg.year-chart rect.bar")
    drawn = {int(b.get_attribute("data-year")): int(b.get_attribute("data-count")) for b in bars.all()}
    assert {y: c for y, c in drawn.items() if c} == counts
    assert max(drawn) == data["years"][1] and min(drawn) == min(counts)
    assert f"first year {min(counts)}" in v.page.text_content("#panel .paper-count")
    co_names = v.page.locator("#panel ul.co li a").all_text_contents()
    assert co_names == [n["name"][j] for j in n["co"][i][::2]]
    assert v.errors == []


def test_overview_year_slider_and_overlay(open_view, example_page: Path) -> None:
    data = _payload(example_page)
    n, e, y0 = data["n"], data["e"], data["years"][0]
    v = open_view(example_page, width=1400, height=900)
    assert v.hook("colorMode") == "cluster"
    v.set_range("year-from", "2022")
    assert v.hook("yearRange") == [2022, data["years"][1]]

    def in_range(yh: list[int]) -> int:
        return sum(c for y, c in zip(yh[::2], yh[1::2], strict=True) if y0 + y >= 2022)

    visible = {i for i, yh in enumerate(n["yh"]) if in_range(yh) >= 1}
    assert 0 < len(visible) < len(n["key"])
    assert v.hook("visibleNodes") == len(visible)
    links = {
        (s, t)
        for s, t, yh in zip(e["s"], e["t"], e["yh"], strict=True)
        if in_range(yh) and s in visible and t in visible
    }
    v.page.wait_for_function("(n) => window.paperkgViewer.drawnLinks === n", arg=len(links), timeout=10_000)
    v.page.wait_for_function("() => window.paperkgViewer.timings.lastFilterMs !== null", timeout=5000)
    # overlay: colours by mean year of the papers in the range, old → recent on the legend's scale
    v.page.select_option("#color-by", "year")
    mean = {
        i: sum((y0 + y) * c for y, c in zip(yh[::2], yh[1::2], strict=True) if y0 + y >= 2022) / in_range(yh)
        for i, yh in enumerate(n["yh"])
        if i in visible
    }
    oldest, newest = min(mean, key=mean.get), max(mean, key=mean.get)
    colors = {v.call("nodeColor", n["key"][i]) for i in (oldest, newest)}
    assert len(colors) == 2
    ticks = v.page.locator("#legend .legend-years span:not(.gradient)").all_text_contents()
    assert 2022 <= int(ticks[0]) < int(ticks[1]) <= data["years"][1]
    labels = v.hook("labels")
    assert _overlaps(labels) == [] and {label["key"] for label in labels} <= {n["key"][i] for i in visible}
    assert v.errors == []


def test_overview_search_paper_neighbourhood_and_deep_link(open_view, example_page: Path) -> None:
    data = _payload(example_page)
    P, n = data["P"], data["n"]
    r = max(range(len(P["key"])), key=lambda r: (sum(1 for j in P["ents"][r][::2] if j >= 0), P["key"][r]))
    on_map = {n["key"][j] for j in P["ents"][r][::2] if j >= 0}
    v = open_view(example_page, width=1400, height=900)
    v.page.click("#search")
    v.page.keyboard.type(P["title"][r][:30])
    assert v.page.locator("#suggestions li").first.get_attribute("data-node") == P["key"][r]
    v.page.keyboard.press("Enter")
    assert v.hook("selected") == P["key"][r] and v.hook("panel") == "paper"
    assert v.page.text_content("#panel h2") == P["title"][r]
    assert set(v.hook("highlightedKeys")) == on_map
    v.page.wait_for_timeout(700)
    assert all(_inside(v, k) for k in on_map)
    # the paper's links: its map entities are links that move the selection there
    first = v.page.locator("#panel ul.links li a.node").first
    target = first.get_attribute("href")
    first.click()
    assert "#node=" + quote(v.hook("selected"), safe="") == target
    # a deep link opens on a paper that is only in the panel lists (entities: test_browser.py)
    w = open_view(example_page, "#node=" + quote(P["key"][r], safe=""))
    assert w.hook("selected") == P["key"][r] and w.hook("panel") == "paper"
    assert v.requests == [v.url] and v.errors == []


@pytest.mark.slow
def test_overview_at_scale(open_view, big_graph, tmp_path: Path, artifacts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A 20k-node graph opens as the overview map: a few hundred KB, the best-supported entities, legible."""
    g = big_graph
    report = render_view(g, tmp_path / "map.html")
    assert report.mode == "overview" and report.graph_nodes == g.number_of_nodes()
    data = _payload(report.path)
    assert 100 <= report.nodes <= data["stats"]["entities"] and report.size_bytes < 20e6
    v = open_view(report.path, width=1400, height=900)
    assert v.hook("drawnNodes") == report.nodes
    labels = v.hook("labels")
    assert len(labels) >= 25 and _overlaps(labels) == []
    assert v.requests == [v.url] and v.errors == []
    v.page.screenshot(path=str(artifacts_dir / "viewer-overview-20k.png"))


def test_overview_entity_off_the_map_is_searchable(open_view, example_page: Path) -> None:
    data = _payload(example_page)
    n, xn = data["n"], data["xn"]
    on_map = set(n["key"])
    names = [name.lower() for name in n["name"]]
    # the best-supported entity off the map whose name is no part of a name on the map
    x = next(
        x for x in range(len(xn["key"]))
        if xn["co"][x] and not any(xn["name"][x].lower() in other for other in names)
    )  # fmt: skip
    assert xn["key"][x] not in on_map
    v = open_view(example_page, width=1400, height=900)
    v.page.click("#search")
    v.page.keyboard.type(xn["name"][x])
    assert v.page.locator("#suggestions li").first.get_attribute("data-node") == xn["key"][x]
    v.page.keyboard.press("Enter")
    assert v.hook("selected") == xn["key"][x] and v.hook("panel") == "entity"
    assert "not on the map" in v.page.text_content("#panel .kind")
    assert v.page.text_content("#panel h2") == xn["name"][x]
    neighbours = {n["key"][j] for j in xn["co"][x][::2]}
    assert set(v.hook("highlightedKeys")) == neighbours
    v.page.wait_for_timeout(700)
    assert all(_inside(v, k) for k in neighbours)
    assert v.page.locator("#panel ul.co li a").all_text_contents() == [n["name"][j] for j in xn["co"][x][::2]]
    assert v.errors == []
