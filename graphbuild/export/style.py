"""Node colours per type, shared with the viewer (``viz/theme.json``) so every picture agrees."""

from __future__ import annotations

import json
from functools import cache

from graphbuild.assets import viz_dir
from graphbuild.model import LABELS

_FALLBACK = "#888888"


@cache
def label_colours() -> dict[str, str]:
    """Node label (``Paper`` ...) → ``#rrggbb``."""
    try:
        theme = json.loads((viz_dir() / "theme.json").read_text("utf-8"))
        colours = theme.get("colors", {})
    except (OSError, ValueError):
        colours = {}
    return {label: str(colours.get(t, _FALLBACK)) for t, label in LABELS.items()}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
