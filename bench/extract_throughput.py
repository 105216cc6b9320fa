"""Extractor throughput: full extraction (incl. resolution) vs bare spaCy tokenization.

Builds a corpus of ≥ 10k abstracts from the sample corpus: each paper repeated
with its sentences rotated and a distinct id (so no two texts are equal), then
times, in the same run and on the same texts (title + abstract of each paper):

* bare ``spacy.blank("en")`` tokenization (``nlp.pipe``), and
* ``extract_corpus`` (pipeline + corpus-level resolution, roles, domains).

Prints abstracts/s for each, their ratio (floor: 0.4), and with ``--workers N``
checks that the N-process output equals the one-process output.

    .venv/bin/python bench/extract_throughput.py --n 10000
    .venv/bin/python bench/extract_throughput.py --n 10000 --workers 2
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphbuild.extract import extract_corpus, to_record  # noqa: E402
from graphbuild.ingest import read_papers  # noqa: E402
from graphbuild.model import Paper  # noqa: E402

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def make_corpus(source: Path, n: int, seed: int = 0) -> list[Paper]:
    base = list(read_papers([source]))
    rng = random.Random(seed)
    out: list[Paper] = []
    i = 0
    while len(out) < n:
        p = base[i % len(base)]
        sents = _SENT.split(p.text("abstract"))
        k = rng.randrange(len(sents)) if i >= len(base) else 0
        abstract = " ".join(sents[k:] + sents[:k])
        out.append(replace(p, id=f"{p.id}-{i}", abstract=abstract, abstract_norm=abstract))
        i += 1
    return out


def time_tokenization(papers: list[Paper]) -> float:
    import spacy

    nlp = spacy.blank("en")
    texts = (t for p in papers for t in (p.text("title"), p.text("abstract")))
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=256):
        pass
    return time.perf_counter() - t0


def time_extraction(papers: list[Paper], workers: int) -> tuple[float, list[dict]]:
    t0 = time.perf_counter()
    out = extract_corpus(papers, workers=workers)
    return time.perf_counter() - t0, [to_record(e) for e in out]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="number of abstracts (default 10000)")
    ap.add_argument("--workers", type=int, default=1, help="extractor processes (default 1)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each; medians are printed")
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "hf_trending_papers.txt")
    args = ap.parse_args()

    papers = make_corpus(args.corpus, args.n)
    # warm-up: load spaCy, vocabularies and matchers outside the timings
    extract_corpus(papers[:50])
    time_tokenization(papers[:50])

    tok, ext = [], []
    records: list[dict] = []
    for _ in range(args.repeat):
        tok.append(time_tokenization(papers))
        secs, records = time_extraction(papers, args.workers)
        ext.append(secs)
    t_tok, t_ext = statistics.median(tok), statistics.median(ext)
    n = len(papers)
    mentions = sum(len(r["mentions"]) for r in records)
    print(f"abstracts: {n} (title + abstract each), mentions extracted: {mentions}")
    print(f"bare spacy.blank('en') tokenization: {n / t_tok:9.0f} abstracts/s  (median of {args.repeat})")
    print(f"full extractor, workers={args.workers}:      {n / t_ext:9.0f} abstracts/s  (incl. resolution)")
    ratio = t_tok / t_ext
    print(f"ratio extractor / tokenization: {ratio:.2f}  (floor 0.40: {'PASS' if ratio >= 0.4 else 'FAIL'})")
    if args.workers > 1:
        _, single = time_extraction(papers, 1)
        same = single == records
        print(f"workers={args.workers} output identical to workers=1: {same}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
