"""`--format chart`: query results as a self-contained SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from graphbuild.chart import chart_kind, result_chart
from graphbuild.errors import ConfigError

SVG = "{http://www.w3.org/2000/svg}"


def _bars(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [r for r in root.iter(SVG + "rect") if r.find(SVG + "title") is not None]


def test_domain_trend_is_one_column_per_year_with_gaps_filled() -> None:
    rows = [(2019, 3), (2020, 5), (2022, 10)]
    svg = result_chart(["year", "papers"], rows, "Computer Vision")
    assert chart_kind(["year", "papers"], rows)[0] == "years"
    bars = _bars(svg)
    assert [b.find(SVG + "title").text for b in bars] == [
        "2019: 3 papers", "2020: 5 papers", "2021: 0 papers", "2022: 10 papers",
    ]  # fmt: skip
    heights = [float(b.get("height")) for b in bars]
    assert heights[2] == 0 and heights[3] == pytest.approx(2 * heights[1])


def test_emerging_is_bars_by_name_with_first_year_and_escaped_text() -> None:
    cols = ["key", "name", "first_year", "papers"]
    rows = [("method:x", "<script>alert(1)</script>", 2024, 12), ("method:y", "Foundation Model", 2022, 6)]
    svg = result_chart(cols, rows, "emerging & new")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert not re.search(r"<(script|foreignObject|a|image)\b", svg) and "href" not in svg
    root = ET.fromstring(svg)  # well-formed
    texts = [t.text for t in root.iter(SVG + "text")]
    assert "<script>alert(1)</script>" in texts and "12  since 2024" in texts and "emerging & new" in texts
    widths = [float(b.get("width")) for b in _bars(svg)]
    assert widths[0] == pytest.approx(2 * widths[1])


def test_results_without_a_number_or_a_label_are_refused() -> None:
    with pytest.raises(ConfigError, match="--format chart needs"):
        result_chart(["key", "name"], [("a", "b")], "t")


def test_cli_query_format_chart_writes_the_svg(viewer_graph, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from graphbuild.cli import app
    from graphbuild.store import write_embedded

    db = write_embedded(viewer_graph, tmp_path)
    store = f"embedded:{db.parent}"
    r = CliRunner().invoke(
        app, ["query", "domain-trend", "--param", "domain=Natural Language Processing", "--store", store, "-f", "chart"]
    )
    assert r.exit_code == 0, r.output
    svg = r.output
    assert svg.startswith("<svg") and "domain-trend: domain=Natural Language Processing" in svg
    # papers of the domain: 2017 and 2020, the years between drawn as 0
    assert [b.find(SVG + "title").text for b in _bars(svg)] == [
        "2017: 1 paper", "2018: 0 papers", "2019: 0 papers", "2020: 1 paper",
    ]  # fmt: skip
    r = CliRunner().invoke(app, ["query", "top-methods", "--store", store, "--format", "chart"])
    assert r.exit_code == 0, r.output
    titles = [b.find(SVG + "title").text for b in _bars(r.output)]
    assert titles[0] == "Transformer: 2 papers" and len(titles) == 4
    r = CliRunner().invoke(app, ["query", "--list", "--format", "chart"])
    assert r.exit_code == 2 and "--format chart needs" in r.output
