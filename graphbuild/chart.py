"""Query results as a picture: ``paperkg query … --format chart`` writes one self-contained SVG.

Two shapes, chosen from the result's columns:

* a ``year`` column and a number (``domain-trend``): one column per year, gaps filled with 0;
* a name column and a number (``emerging``, ``top-methods`` …): one horizontal bar per row, in the
  result's order, with any ``first_year`` shown beside the bar ("since 2022").

The SVG has no script, no link and no external reference; every text from the graph is
XML-escaped. It opens in any browser and drops into a slide or a README.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

from graphbuild.errors import ConfigError

WIDTH = 760
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
BAR = "#3b6fb6"
INK = "#1f2933"
MUTED = "#616e7c"
_VALUE_NAMES = ("papers", "count", "value", "n", "total", "support")
_YEAR_NAMES = ("year",)
_LABEL_NAMES = ("name", "title", "domain", "method", "benchmark", "task", "key")


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _column(columns: Sequence[str], rows: Sequence[Sequence[Any]], names: Sequence[str], test: Any) -> int | None:
    lowered = [c.lower() for c in columns]
    for name in names:
        if name in lowered:
            j = lowered.index(name)
            if all(test(r[j]) or r[j] is None for r in rows):
                return j
    return None


def chart_kind(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> tuple[str, int, int, int | None]:
    """(``"years"`` or ``"bars"``, label-or-year column, value column, first_year column or None)."""
    lowered = [c.lower() for c in columns]
    value = _column(columns, rows, _VALUE_NAMES, _is_number)
    year = _column(columns, rows, _YEAR_NAMES, _is_number)
    if value is None:  # any numeric column that is not a year
        value = next(
            (j for j, c in enumerate(lowered) if "year" not in c and rows and all(_is_number(r[j]) for r in rows)),
            None,
        )
    label = _column(columns, rows, _LABEL_NAMES, lambda v: isinstance(v, str))
    if value is not None and year is not None and label is None:
        return "years", year, value, None
    if value is not None and label is not None:
        first = _column(columns, rows, ("first_year", "since"), _is_number)
        return "bars", label, value, first
    raise ConfigError(
        "--format chart needs a number column (e.g. papers) and a year or name column; "
        f"this result has: {', '.join(columns) or 'no columns'}"
    )


def _text(x: float, y: float, s: str, *, anchor: str = "start", size: int = 12, fill: str = INK,
          weight: int = 400) -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
        f'font-weight="{weight}">{escape(s, quote=True)}</text>'
    )


def _svg(height: float, title: str, body: list[str]) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
            f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="{escape(FONT, quote=True)}" role="img">',
            f"<title>{escape(title, quote=True)}</title>",
            f'<rect width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>',
            _text(16, 26, title, size=16, weight=600),
            *body,
            "</svg>",
            "",
        ]
    )


def _amount(v: float, name: str) -> str:
    """``3 papers``, ``1 paper``."""
    return f"{v:g} {name[:-1] if v == 1 and name.endswith('s') else name}"


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1
    e = 10 ** math.floor(math.log10(v))
    return next(m * e for m in (1, 2, 2.5, 5, 10) if m * e >= v)


def year_columns(points: dict[int, float], title: str, value_name: str) -> str:
    """One column per year from the first to the last, missing years drawn as 0."""
    years = list(range(min(points), max(points) + 1)) if points else []
    left, right, top, bottom, height = 56, 16, 48, 36, 320
    pw, ph = WIDTH - left - right, height - top - bottom
    top_value = _nice_max(max(points.values(), default=0))
    body = []
    # grid lines at whole numbers when the scale allows (counts are whole)
    steps = next((n for n in (5, 4, 2) if (top_value / n) == int(top_value / n)), 4)
    for k in range(steps + 1):
        v = top_value * k / steps
        y = top + ph - ph * k / steps
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#e3e6ea"/>')
        body.append(_text(left - 6, y + 4, f"{v:g}", anchor="end", size=11, fill=MUTED))
    step = pw / max(len(years), 1)
    label_every = max(1, math.ceil(len(years) / 12))
    for i, yr in enumerate(years):
        v = points.get(yr, 0)
        h = ph * v / top_value
        x = left + i * step
        body.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{top + ph - h:.1f}" width="{step * 0.8:.1f}" height="{h:.1f}" '
            f'fill="{BAR}"><title>{yr}: {escape(_amount(v, value_name))}</title></rect>'
        )
        if i % label_every == 0 or i == len(years) - 1:
            body.append(_text(x + step / 2, top + ph + 16, str(yr), anchor="middle", size=11, fill=MUTED))
    body.append(_text(left, top - 10, value_name + " per year", size=12, fill=MUTED))
    return _svg(height, title, body)


def name_bars(rows: list[tuple[str, float, Any]], title: str, value_name: str) -> str:
    """One horizontal bar per row, labelled, with its value (and first year) at its end."""
    label_w, top, row_h = 250, 48, 24
    height = top + row_h * len(rows) + 20
    top_value = _nice_max(max((v for _, v, _ in rows), default=0))
    bar_w = WIDTH - label_w - 130
    body = [_text(label_w, top - 10, value_name, size=12, fill=MUTED)]
    for i, (label, v, since) in enumerate(rows):
        y = top + i * row_h
        shown = label if len(label) <= 38 else label[:36] + "…"
        body.append(_text(label_w - 8, y + 16, shown, anchor="end", size=12))
        w = bar_w * v / top_value
        body.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{BAR}">'
            f"<title>{escape(label, quote=True)}: {escape(_amount(v, value_name))}</title></rect>"
        )
        note = f"{v:g}" + (f"  since {since}" if since is not None else "")
        body.append(_text(label_w + w + 6, y + 16, note, size=11, fill=MUTED))
    return _svg(height, title, body)


def result_chart(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str) -> str:
    """The SVG for a query result (see the module docstring); ConfigError when no shape fits."""
    kind, label, value, first = chart_kind(columns, rows)
    value_name = columns[value]
    if kind == "years":
        points: dict[int, float] = {}
        for r in rows:
            if r[label] is not None and r[value] is not None:
                points[int(r[label])] = points.get(int(r[label]), 0) + float(r[value])
        return year_columns(points, title, value_name)
    bars = [
        (str(r[label]), float(r[value] or 0), int(r[first]) if first is not None and r[first] is not None else None)
        for r in rows
    ]
    return name_bars(bars, title, value_name)
