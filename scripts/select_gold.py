"""Pick the ML Anthology papers of the two annotated golds (run once; the output is committed).

Stratified by venue group and year bin (2010–2026), fixed seed: ``mla_dev`` (36 papers, may be used
for tuning) and ``mla_test`` (72 papers, blind: annotated and hashed before the extractor first ran on
them; never tuned on). A third set, ``mla_recent`` (60 papers, for tuning), resembles the sample corpus
(trending papers): 2023–2026 ICLR/NeurIPS/ICML/CoRL/CVPR papers on language models, diffusion,
reinforcement learning, robotics, agents or benchmarks. The three are disjoint. Every training and
vocabulary script excludes them all
(``tests/gold/excluded_ids.txt``).

    python scripts/select_gold.py ../shared/corpus/mlanthology.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "tests" / "gold"
YEAR_BINS = [(2010, 2013), (2014, 2016), (2017, 2019), (2020, 2021), (2022, 2023), (2024, 2026)]
VENUES = {
    "neurips": "neurips", "icml": "icml", "iclr": "iclr",
    "cvpr": "vision", "iccv": "vision", "eccv": "vision", "wacv": "vision",
    "aistats": "stats-theory", "uai": "stats-theory", "colt": "stats-theory", "jmlr": "stats-theory",
    "tmlr": "stats-theory", "alt": "stats-theory",
    "corl": "robotics-other", "l4dc": "robotics-other", "mlhc": "robotics-other", "midl": "robotics-other",
    "ecmlpkdd": "robotics-other", "acml": "robotics-other",
}  # fmt: skip
GROUPS = ["neurips", "icml", "iclr", "vision", "stats-theory", "robotics-other"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--seed", type=int, default=20261205)
    a = ap.parse_args()
    cells: dict[tuple[int, str], list[dict]] = {}
    with gzip.open(a.corpus, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            year, cats = d.get("year"), d.get("categories") or []
            abstract = (d.get("abstract") or "").strip()
            if not isinstance(year, int) or not cats or not 400 <= len(abstract) <= 2000:
                continue
            group = VENUES.get(cats[0])
            b = next((i for i, (lo, hi) in enumerate(YEAR_BINS) if lo <= year <= hi), None)
            if group is None or b is None:
                continue
            cells.setdefault((b, group), []).append(
                {"id": d["id"], "title": d["title"], "abstract": abstract, "year": year, "categories": cats}
            )
    rng = random.Random(a.seed)
    dev, test = [], []
    for b in range(len(YEAR_BINS)):
        for g in GROUPS:
            pool = sorted(cells.get((b, g), []), key=lambda r: r["id"])
            picked = rng.sample(pool, 3)  # ICLR has no papers before 2013: a cell may be short
            test.extend(picked[:2])
            dev.extend(picked[2:])
    taken = {r["id"] for r in dev + test}
    trending = re.compile(r"language model|LLM|diffusion|reinforcement|robot|agent|benchmark|transformer", re.I)
    recent_pool = sorted(
        (
            r
            for (b, g), rows in cells.items()
            if b >= 4 and g in ("neurips", "icml", "iclr", "vision", "robotics-other")
            for r in rows
            if r["year"] >= 2023
            and r["id"] not in taken
            and r["categories"][0] in ("iclr", "neurips", "icml", "corl", "cvpr")
            and trending.search(r["title"] + " " + r["abstract"])
        ),
        key=lambda r: r["id"],
    )
    recent = random.Random(a.seed + 1).sample(recent_pool, 60)
    for name, rows in (
        ("mla_dev_papers.jsonl", dev),
        ("mla_test_papers.jsonl", test),
        ("mla_recent_papers.jsonl", recent),
    ):
        with (GOLD / name).open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{name}: {len(rows)} papers")


if __name__ == "__main__":
    main()
