"""Extraction quality on every annotated set: the README's quality table and the guard test's figures.

    python scripts/quality_report.py                       # dev sets only (what you tune on)
    python scripts/quality_report.py --test                 # + held-out test sets (rarely; say so)
    python scripts/quality_report.py --test --write         # + record them in tests/quality/figures.json
    python scripts/quality_report.py --extractor rules      # the rules-only pipeline

Link level (paper→entity, ``paperkg eval``): the golds in tests/gold (dev.json and the ML Anthology
dev golds are tuned on; check.json and mla_test.json are blind). Mention level (exact and overlapping
spans): TDMSci datasets and tasks, CS-NER PwC abstracts' methods and tasks — their dev splits, and
with ``--test`` our own test splits (scripts/splits; the owners' official test sets stay unseen).
Prints one markdown table; ``--write`` stores the figures the quality test guards
(``tests/quality/test_quality_floors.py`` fails when a figure drops more than its margin).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
FIGURES = ROOT / "tests" / "quality" / "figures.json"
sys.path.insert(0, str(ROOT / "scripts"))

#: link-level golds: name → (papers file, gold file, blind?)
LINK_SETS = {
    "dev": ("dev_papers.jsonl", "dev.json", False),
    "mla_dev": ("mla_dev_papers.jsonl", "mla_dev.json", False),
    "mla_recent": ("mla_recent_papers.jsonl", "mla_recent.json", False),
    "check": ("check_papers.jsonl", "check.json", True),
    "mla_test": ("mla_test_papers.jsonl", "mla_test.json", True),
}
SPAN_SETS = ("tdmsci", "csner-pwc")


def extract_records(papers_file: Path, extractor: str) -> list[dict]:
    from graphbuild.extract import to_record
    from graphbuild.extract.pipeline import ExtractorConfig, extract
    from graphbuild.ingest import read_papers

    papers = list(read_papers([papers_file]))
    return [to_record(x) for x in extract(papers, config=ExtractorConfig(extractor=extractor))]


def link_rows(name: str, extractor: str) -> list[dict]:
    from graphbuild.evaluate import evaluate, load_gold, parse_prediction

    papers, gold, _ = LINK_SETS[name]
    recs = extract_records(GOLD / papers, extractor)
    rep = evaluate(load_gold(GOLD / gold), [parse_prediction(r) for r in recs])
    rows = []
    for t in ("method", "benchmark", "task", "domain"):
        c = rep.counts[t]
        if c.tp + c.fn == 0:
            continue
        acc = rep.role_accuracy(t) if t in ("method", "benchmark") else None
        rows.append({"set": name, "level": "link", "type": t, "p": c.precision, "r": c.recall, "f1": c.f1,
                     "n": c.tp + c.fn, "role_accuracy": acc})
    return rows


def span_rows(shared: Path, dataset: str, split: str, extractor: str) -> list[dict]:
    import subprocess

    from graphbuild.evaluate import evaluate, load_gold, parse_prediction

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "span_gold.py"), str(shared), dataset, split,
                        "--out", tmp], check=True, capture_output=True)
        recs = extract_records(Path(tmp) / "papers.jsonl", extractor)
        rep = evaluate(load_gold(Path(tmp) / "gold.json"), [parse_prediction(r) for r in recs])
    rows = []
    for t, c in rep.spans.items():
        e = c.exact_counts
        rows.append({"set": f"{dataset} {split}", "level": "mention", "type": t, "p": e.precision, "r": e.recall,
                     "f1": e.f1, "n": c.gold, "overlap_p": c.overlap_precision, "overlap_r": c.overlap_recall})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared-data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--test", action="store_true", help="also score the held-out test sets")
    ap.add_argument("--write", action="store_true", help="record the figures for the quality guard test")
    ap.add_argument("--extractor", default="learned", choices=("learned", "rules"))
    a = ap.parse_args()
    t0 = time.perf_counter()
    rows: list[dict] = []
    for name, (_, _, blind) in LINK_SETS.items():
        if blind and not a.test:
            continue
        rows += link_rows(name, a.extractor)
    if (a.shared_data / "README.md").exists():
        for ds in SPAN_SETS:
            for split in ("dev", "test") if a.test else ("dev",):
                rows += span_rows(a.shared_data, ds, split, a.extractor)
    print("| set | level | type | P | R | F1 | n (gold) | overlap P / R | role acc. |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ov = f"{r['overlap_p']:.3f} / {r['overlap_r']:.3f}" if "overlap_p" in r else ""
        ra = f"{r['role_accuracy']:.3f}" if r.get("role_accuracy") is not None else ""
        print(f"| {r['set']} | {r['level']} | {r['type']} | {r['p']:.3f} | {r['r']:.3f} | **{r['f1']:.3f}** | "
              f"{r['n']} | {ov} | {ra} |")
    print(f"\n({time.perf_counter() - t0:.0f} s, extractor {a.extractor})", file=sys.stderr)
    if a.write:
        FIGURES.parent.mkdir(parents=True, exist_ok=True)
        data = {"extractor": a.extractor, "command": "python scripts/quality_report.py --test --write",
                "rows": [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()} for r in rows]}
        FIGURES.write_text(json.dumps(data, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
