"""Extractor throughput on real abstracts: the whole ``paperkg extract`` command vs bare spaCy tokenization.

Takes ``--n`` real papers from the ML Anthology corpus (every k-th record, gold papers excluded; no
text repeats, so spaCy's tokenizer cache cannot flatter either side), writes them as JSON Lines, then
alternates, ``--repeat`` times, in one run:

* bare tokenization: ``spacy.blank("en")`` over the same title + abstract texts (a fresh pipeline
  each time, ``nlp.pipe``), and
* extraction: the whole command, ``paperkg extract FILE --out OUT --extractor E`` in one process
  (start-up, model loading, ingest, extraction, resolution and writing included).

Prints the median abstracts/s of each, their ratio (floor: 0.5 with the learned extractor), the load
average, and where the command's time went (from its own stage report: ingest, pipeline start-up and
extraction; resolution; the rest — interpreter start-up, imports and writing the records).

The extractor's pattern cache (``graphbuild.extract.pattern_cache``) is warm after the first run, as it
is for a user's second command; ``--cold-cache`` gives every run an empty one.

    .venv/bin/python bench/extract_throughput.py --n 20000
    .venv/bin/python bench/extract_throughput.py --n 20000 --extractor rules
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "mlanthology.jsonl.gz"


def real_abstracts(corpus: Path, n: int) -> list[dict]:
    """``n`` distinct papers spread over the corpus (every k-th), without gold papers."""
    sys.path.insert(0, str(ROOT))
    from graphbuild.ingest.normalize import normalize_text

    skip = {x.strip() for x in (ROOT / "tests" / "gold" / "excluded_ids.txt").read_text("utf-8").splitlines()
            if x.strip() and not x.startswith("#")}
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    step = max(1, len(rows) // n)
    out, seen = [], set()
    for r in rows[::step]:
        text = normalize_text(r.get("abstract") or "")
        # a real abstract: a record of control characters only is no abstract (the ingest says so)
        if r["id"] in skip or sum(c.isalpha() for c in text) < 50 or r["abstract"] in seen:
            continue
        seen.add(r["abstract"])
        out.append({"id": r["id"], "title": r["title"], "abstract": r["abstract"], "year": r.get("year")})
        if len(out) == n:
            break
    return out


def time_tokenization(texts: list[str]) -> float:
    import spacy

    nlp = spacy.blank("en")  # fresh: an empty tokenizer cache, like the command's first pass
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=512):
        pass
    return time.perf_counter() - t0


def time_command(
    path: Path, out: Path, extractor: str, env: dict[str, str] | None = None
) -> tuple[float, dict[str, float]]:
    """Wall time of the whole command, and its stage seconds from its report (extract, resolve)."""
    exe = Path(sys.executable).with_name("paperkg")
    cmd = [str(exe), "extract", str(path), "--out", str(out), "--extractor", extractor]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    stages = {m.group(1): float(m.group(2)) for m in re.finditer(r"✓ (\w+)\s+([\d.]+) s", done.stderr)}
    return wall, stages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20_000, help="number of real abstracts (default 20000)")
    ap.add_argument("--repeat", type=int, default=3, help="alternating timed runs of each; medians printed")
    ap.add_argument("--extractor", default="learned", choices=("learned", "rules"))
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--cold-cache", action="store_true", help="an empty pattern cache for every run")
    a = ap.parse_args()
    papers = real_abstracts(a.corpus, a.n)
    texts = [f"{p['title']}\n\n{p['abstract']}" for p in papers]
    tok, ext, stages = [], [], []
    with tempfile.TemporaryDirectory(prefix="paperkg-bench-") as tmp:
        src = Path(tmp) / "papers.jsonl"
        src.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in papers), "utf-8")
        for i in range(a.repeat):
            env = {**os.environ, "PAPERKG_CACHE_DIR": str(Path(tmp) / f"cache-{i}")} if a.cold_cache else None
            tok.append(time_tokenization(texts))
            wall, st = time_command(src, Path(tmp) / "out.jsonl", a.extractor, env)
            ext.append(wall)
            stages.append(st)
            print(f"run {i + 1}: tokenization {len(papers) / tok[-1]:,.0f}/s, "
                  f"paperkg extract {len(papers) / ext[-1]:,.0f}/s", flush=True)
        mentions = sum(len(json.loads(x)["mentions"]) for x in (Path(tmp) / "out.jsonl").open(encoding="utf-8"))
    t_rate, e_rate = len(papers) / statistics.median(tok), len(papers) / statistics.median(ext)
    print(f"{len(papers):,} real abstracts, extractor {a.extractor}: {mentions:,} mentions")
    print(f"bare spacy.blank('en') tokenization: {t_rate:,.0f} abstracts/s (median of {a.repeat})")
    print(f"paperkg extract (whole command, one process): {e_rate:,.0f} abstracts/s (median of {a.repeat})")
    print(f"ratio {e_rate / t_rate:.2f} (floor 0.50); load average {os.getloadavg()[0]:.1f}")
    if all("extract" in s and "resolve" in s for s in stages):
        parts = [(s["extract"], s["resolve"], w - s["extract"] - s["resolve"])
                 for s, w in zip(stages, ext, strict=True)]  # fmt: skip
        ex, rs, rest = (statistics.median(x) for x in zip(*parts, strict=True))
        print(f"command stages (medians): ingest, pipeline start-up and extraction {ex:.1f} s; resolution "
              f"{rs:.1f} s; the rest (interpreter start-up and imports, writing the records) {rest:.1f} s")


if __name__ == "__main__":
    main()
