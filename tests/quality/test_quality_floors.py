"""Extraction quality cannot drop unnoticed: every figure the README reports is re-measured.

``tests/quality/figures.json`` holds the figures ``scripts/quality_report.py --test --write``
measured (the README's quality table): link-level P/R/F1 on the golds in tests/gold, mention-level
exact-span F1 on the TDMSci and CS-NER splits. This test runs the same measurement and fails when an
F1 falls more than ``MARGIN`` below its recorded figure. (The test splits are scored here, but
nothing is tuned on them: a failure means "look at what changed", not "tune until green".)
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURES = json.loads((ROOT / "tests" / "quality" / "figures.json").read_text("utf-8"))
SHARED = Path(os.environ.get("PAPERKG_SHARED_DATA", ROOT.parent / "shared" / "data"))
MARGIN = 0.03

sys.path.insert(0, str(ROOT / "scripts"))


def _rows_by_set() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in FIGURES["rows"]:
        out.setdefault(r["set"], []).append(r)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(_rows_by_set()))
def test_quality_does_not_drop(name: str) -> None:
    import quality_report as q

    if " " in name:
        dataset, split = name.split(" ")
        if not (SHARED / "README.md").exists():
            pytest.skip(f"reference data not found at {SHARED} (set PAPERKG_SHARED_DATA)")
        rows = q.span_rows(SHARED, dataset, split, FIGURES["extractor"])
    else:
        rows = q.link_rows(name, FIGURES["extractor"])
    now = {r["type"]: r["f1"] for r in rows}
    for r in _rows_by_set()[name]:
        assert now[r["type"]] >= r["f1"] - MARGIN, (
            f"{name} {r['level']} {r['type']}: F1 {now[r['type']]:.3f}, recorded {r['f1']:.3f} "
            f"(python scripts/quality_report.py --test)"
        )
