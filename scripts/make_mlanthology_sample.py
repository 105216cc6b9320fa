"""Make ``data/mlanthology-sample.jsonl.gz``: ~3,000 real ML papers with years, stratified by year.

From the ML Anthology corpus (``../shared/corpus/mlanthology.jsonl.gz``, 156,985 papers) it keeps
papers with a title and an abstract, and draws the same number from every year 2012–2026 (200 per
year: 3,000 papers) with a fixed seed, so per-year counts in the sample read as shares of each year's
papers. Records are written unchanged (same fields), sorted by year then id; the gzip header carries
no timestamp, so the same input always gives the same bytes.

    .venv/bin/python scripts/make_mlanthology_sample.py ../shared/corpus/mlanthology.jsonl.gz

Source and license of the data: ``data/README.md``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
from collections import defaultdict
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "mlanthology-sample.jsonl.gz"


def read_by_year(path: Path, first: int, last: int) -> dict[int, list[dict]]:
    by_year: dict[int, list[dict]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            year = rec.get("year")
            if isinstance(year, int) and first <= year <= last and rec.get("title") and rec.get("abstract"):
                by_year[year].append(rec)
    return by_year


def stratified(by_year: dict[int, list[dict]], per_year: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    picked: list[dict] = []
    for year in sorted(by_year):
        pool = sorted(by_year[year], key=lambda r: r["id"])  # input order never matters
        picked.extend(rng.sample(pool, min(per_year, len(pool))))
    return sorted(picked, key=lambda r: (r["year"], r["id"]))


def write_jsonl_gz(records: list[dict], out: Path) -> None:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        for rec in records:
            gz.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="mlanthology.jsonl.gz")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--first-year", type=int, default=2012)
    ap.add_argument("--last-year", type=int, default=2026)
    ap.add_argument("--per-year", type=int, default=200)
    ap.add_argument("--seed", type=int, default=15)
    a = ap.parse_args()
    records = stratified(read_by_year(a.corpus, a.first_year, a.last_year), a.per_year, a.seed)
    write_jsonl_gz(records, a.out)
    years = sorted({r["year"] for r in records})
    print(f"wrote {a.out}: {len(records):,} papers, {years[0]}-{years[-1]}")


if __name__ == "__main__":
    main()
