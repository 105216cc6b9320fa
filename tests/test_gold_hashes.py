"""The annotated golds are the ones hashed before the extractor first ran on them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

GOLD = Path(__file__).parent / "gold"


@pytest.mark.parametrize("name", sorted(p.name for p in GOLD.glob("*.sha256")))
def test_gold_file_matches_its_recorded_hash(name: str) -> None:
    digest, filename = (GOLD / name).read_text("utf-8").split()
    assert hashlib.sha256((GOLD / filename).read_bytes()).hexdigest() == digest, (
        f"{filename} changed after it was hashed: a blind gold is never edited (see tests/gold/README.md)"
    )


def test_every_ml_anthology_gold_is_hashed() -> None:
    golds = {p.name for p in GOLD.glob("mla_*.json")}
    hashed = {(GOLD / n).read_text("utf-8").split()[1] for n in (p.name for p in GOLD.glob("*.sha256"))}
    assert golds and golds <= hashed
