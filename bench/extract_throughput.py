"""Extractor throughput: full extraction (incl. resolution) vs bare spaCy tokenization.

Builds a corpus of ≥ 10k abstracts from the sample corpus mixed with the
SciERC and SciREX abstracts in ``--mix`` (default /work/shared/data, when it
exists; ~1,000 distinct abstracts instead of 249, so the tokenizer and the
extractor's per-string caches see a realistic vocabulary): each paper repeated
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
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphbuild.extract import extract_corpus, to_record  # noqa: E402
from graphbuild.ingest import read_papers  # noqa: E402
from graphbuild.model import Paper  # noqa: E402

if TYPE_CHECKING:
    from spacy.language import Language

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}", "``": '"', "''": '"'}
_DETOK = (
    (re.compile(r" ([,.;:!?)\]}%])"), r"\1"),
    (re.compile(r"([(\[{]) "), r"\1"),
    (re.compile(r"(?<=\w) - (?=\w)"), "-"),
    (re.compile(r" (n't|'s|'re|'ve)\b"), r"\1"),
)


def _detokenize(words: list[str]) -> str:
    # the shared corpora are token lists; undo the PTB spacing so the text reads like an abstract
    text = " ".join(_PTB.get(w, w) for w in words)
    for pattern, repl in _DETOK:
        text = pattern.sub(repl, text)
    return text


def shared_abstracts(folder: Path) -> list[Paper]:
    """SciERC abstracts (first sentence as the title) and SciREX title + abstract slices."""
    out: list[Paper] = []
    for name in ("train_abstracts_charoffsets.jsonl", "dev_abstracts_charoffsets.jsonl"):
        path = folder / "scierc" / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                sents = _SENT.split(_detokenize(row["text"].split()))
                if len(sents) > 1:
                    out.append(Paper(id=f"scierc-{row['doc_key']}", title=sents[0], abstract=" ".join(sents[1:])))
    path = folder / "scirex" / "title_abstract_train_dev.jsonl"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            words = row["words"]
            cut = next((i for i in range(len(words) - 2) if words[i : i + 3] == ["section", ":", "Abstract"]), None)
            if cut:
                out.append(Paper(id=f"scirex-{row['doc_id']}", title=_detokenize(words[:cut]),
                                 abstract=_detokenize(words[cut + 3 :])))
                continue
            # most slices are "document : TITLE ABSTRACT" with no mark between the two:
            # the first sentence (title + the abstract's first sentence) stands in for the title
            if words[:2] == ["document", ":"]:
                words = words[2:]
            sents = _SENT.split(_detokenize(words))
            if len(sents) > 1:
                out.append(Paper(id=f"scirex-{row['doc_id']}", title=sents[0], abstract=" ".join(sents[1:])))
    return out


def make_corpus(source: Path, n: int, seed: int = 0, mix: Path | None = None) -> list[Paper]:
    base = list(read_papers([source]))
    if mix is not None and mix.is_dir():
        # interleave so that any prefix of the corpus (e.g. the warm-up) mixes all sources
        extra = shared_abstracts(mix)
        merged: list[Paper] = []
        for i in range(max(len(base), len(extra))):
            merged += [p for p in (base[i] if i < len(base) else None,
                                   extra[i] if i < len(extra) else None) if p is not None]
        base = merged
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


def time_tokenization(nlp: Language, papers: list[Paper], clock: Callable[[], float]) -> float:
    texts = (t for p in papers for t in (p.text("title"), p.text("abstract")))
    t0 = clock()
    for _ in nlp.pipe(texts, batch_size=256):
        pass
    return clock() - t0


def time_extraction(papers: list[Paper], workers: int, clock: Callable[[], float]) -> tuple[float, list[dict]]:
    t0 = clock()
    out = extract_corpus(papers, workers=workers)
    return clock() - t0, [to_record(e) for e in out]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="number of abstracts (default 10000)")
    ap.add_argument("--workers", type=int, default=1, help="extractor processes (default 1)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each; medians are printed")
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "hf_trending_papers.txt")
    ap.add_argument("--mix", type=Path, default=Path("/work/shared/data"),
                    help="folder with scierc/ and scirex/ abstracts to mix in (skipped when missing)")
    ap.add_argument("--no-mix", action="store_true", help="only the sample corpus")
    args = ap.parse_args()

    papers = make_corpus(args.corpus, args.n, mix=None if args.no_mix else args.mix)
    distinct = len({p.id.rsplit("-", 1)[0] for p in papers})
    # warm-up: load spaCy, vocabularies and matchers outside the timings. One bare pipeline
    # for all runs: the extractor's pipeline is shared too, so both tokenizers keep their
    # caches across repeats (a fresh spacy.blank per run would time a cold cache against a warm one)
    import spacy

    bare = spacy.blank("en")
    extract_corpus(papers[:50])
    # one process: CPU time of this process (the machine is shared, wall time swings with other
    # users' load); worker processes: wall time (their CPU time is not this process's)
    clock = time.process_time if args.workers == 1 else time.perf_counter
    time_tokenization(bare, papers[:50], clock)

    tok, ext = [], []
    records: list[dict] = []
    for _ in range(args.repeat):
        tok.append(time_tokenization(bare, papers, clock))
        secs, records = time_extraction(papers, args.workers, clock)
        ext.append(secs)
    t_tok, t_ext = statistics.median(tok), statistics.median(ext)
    n = len(papers)
    mentions = sum(len(r["mentions"]) for r in records)
    print(f"abstracts: {n} (title + abstract each, {distinct} distinct before rotation), "
          f"mentions extracted: {mentions}")
    print(f"bare spacy.blank('en') tokenization: {n / t_tok:9.0f} abstracts/s  (median of {args.repeat}, "
          f"{'CPU' if clock is time.process_time else 'wall'} time)")
    print(f"full extractor, workers={args.workers}:      {n / t_ext:9.0f} abstracts/s  (incl. resolution)")
    ratio = t_tok / t_ext
    print(f"ratio extractor / tokenization: {ratio:.2f}  (floor 0.40: {'PASS' if ratio >= 0.4 else 'FAIL'})")
    # the machine may be shared: say how busy it was (both figures above are CPU time of this process)
    print("load average (1/5/15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if args.workers > 1:
        _, single = time_extraction(papers, 1, clock)
        same = single == records
        print(f"workers={args.workers} output identical to workers=1: {same}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
