#!/usr/bin/env python
"""Candidate method names for review: what the curated ``methods_*.yaml`` lists may be missing.

Ranks lower-case technique phrases (``kernel regression``, ``alternating minimization``, ``message
passing``) by the evidence of four sources, none of them gold:

- **ML Anthology** (``../shared/corpus/mlanthology.jsonl.gz``, gold papers of ``tests/gold/excluded_ids.txt``
  skipped): document frequency of 1–4-word phrases that end in a technique head noun
  (``method_heads`` of ``vocab_src/method_mining.yaml``) and do not open with a generic modifier;
- **CSO** topics (``cso/cso.csv``): whether the phrase is a CSO topic label;
- **SciERC / CS-NER / SciREX train documents** (read through ``reference_docs.py``: train split only, gold
  documents never): how many documents tag the phrase as a method.

Phrases already in the vocabulary (any kind), the stoplist or the metric list are marked, not dropped, so that a
reviewer sees what a phrase collides with. The output is a review table (TSV), not a vocabulary: entries are
added to ``scripts/vocab_src/methods_*.yaml`` by hand after reading them.

Example:
    .venv/bin/python scripts/method_candidates.py --data /work/shared/data \
        --corpus /work/shared/corpus/mlanthology.jsonl.gz --out /tmp/method_candidates.tsv --min-df 20
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_docs import HeldOut, ReferenceDocs  # a sibling module of this script

ROOT = Path(__file__).resolve().parent.parent
SRC = Path(__file__).resolve().parent / "vocab_src"
WORD = re.compile(r"[a-z0-9][a-z0-9\-*+']*[a-z0-9*+]|[a-z0-9]")


def norm(text: str) -> str:
    """Lower case, words only, plural of the last word dropped (the vocabulary matcher adds plurals)."""
    words = WORD.findall(text.lower().replace("-lrb-", " ").replace("-rrb-", " "))
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith(("ss", "us", "is")):
        words[-1] = words[-1][:-3] + "y" if words[-1].endswith("ies") else words[-1][:-1]
    return " ".join(words)


def corpus_phrases(corpus: Path, excluded: set[str], heads: set[str], bad_first: set[str],
                   max_words: int = 4) -> Counter:
    """Document frequency of phrases ending in a head noun, over the corpus minus gold papers."""
    df: Counter = Counter()
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("id") in excluded:
                continue
            text = f"{row.get('title') or ''}. {row.get('abstract') or ''}".lower()
            seen: set[str] = set()
            for clause in re.split(r"[.;:,()\[\]!?\"]", text):
                words = WORD.findall(clause)
                for i, w in enumerate(words):
                    h = norm(w)
                    if h not in heads:
                        continue
                    for n in range(1, max_words + 1):
                        if i - n + 1 < 0:
                            break
                        first = words[i - n + 1]
                        if first in bad_first or first.isdigit():
                            break
                        seen.add(norm(" ".join(words[i - n + 1 : i + 1])))
            df.update(seen)
    return df


def reference_methods(docs: ReferenceDocs) -> dict[str, Counter]:
    """Per data set: documents that tag a phrase as a method (train documents only)."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for d in docs.scierc():
        for label, span in d.spans:
            if label == "Method":
                found["scierc"][norm(span)].add(d.id)
    csner_files = {"pwc": ("train.data",), "acl": ("train.data",), "ftd": ("train.data", "train-abs.data")}
    for subset, files in csner_files.items():
        for file in files:
            for d in docs.csner(subset, file):
                for label, span in d.spans:
                    if label.upper() in {"METHOD", "TECHNIQUE", "SOLUTION"}:
                        found["csner"][norm(span)].add(d.id)
    for row in docs.scirex_salient():
        if row["type"] == "Method":
            for s in row["top_surface_forms"].split("|"):
                found["scirex"][norm(s)].add(row["doc_id"])
    return {ds: Counter({k: len(v) for k, v in by.items()}) for ds, by in found.items()}


def cso_labels(path: Path) -> set[str]:
    out: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for a, rel, b in csv.reader(fh, delimiter=";"):
            if rel in {"klink:broaderGeneric", "klink:relatedEquivalent"}:
                out.update((norm(a), norm(b)))
    return out


def vocabulary_keys() -> dict[str, str]:
    """Normalized spelling → what the shipped vocabulary calls it (entity id, stoplist, metric)."""
    out: dict[str, str] = {}
    vocab = ROOT / "graphbuild" / "data" / "vocab"
    for name in ("methods.jsonl", "benchmarks.jsonl", "tasks.jsonl", "metrics.jsonl"):
        for line in (vocab / name).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            for s in (r["name"], *r.get("aliases", [])):
                out.setdefault(norm(s), r["id"])
    stop = yaml.safe_load((vocab / "stoplist.yaml").read_text(encoding="utf-8"))
    for words in stop.values():
        for w in words:
            out.setdefault(norm(str(w)), "stoplist")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "mlanthology.jsonl.gz")
    ap.add_argument("--out", type=Path, required=True, help="review table (TSV)")
    ap.add_argument("--min-df", type=int, default=20, help="ML Anthology documents a phrase needs")
    args = ap.parse_args(argv)
    filters = yaml.safe_load((SRC / "method_mining.yaml").read_text(encoding="utf-8"))
    function_words = yaml.safe_load((SRC / "harvest_filters.yaml").read_text(encoding="utf-8"))["function_words"]
    heads = {norm(h) for h in filters["method_heads"]}
    bad_first = set(filters["method_bad_first_words"]) | set(function_words)
    excluded = {x.strip() for x in (ROOT / "tests" / "gold" / "excluded_ids.txt").read_text().splitlines()
                if x.strip() and not x.startswith("#")}
    held = HeldOut.from_repo(ROOT)
    docs = ReferenceDocs(args.data, held)
    ref = reference_methods(docs)
    cso = cso_labels(args.data / "cso" / "cso.csv")
    known = vocabulary_keys()
    df = corpus_phrases(args.corpus, excluded, heads, bad_first)
    rows = []
    for phrase, n in df.items():
        refs = {ds: ref.get(ds, Counter())[phrase] for ds in ("scierc", "csner", "scirex")}
        if n < args.min_df and not (sum(refs.values()) >= 3 and n >= 3) and not (phrase in cso and n >= 5):
            continue
        if " " not in phrase and phrase in heads:
            continue
        rows.append((phrase, n, int(phrase in cso), refs["scierc"], refs["csner"], refs["scirex"],
                     known.get(phrase, "")))
    rows.sort(key=lambda r: (-r[1], r[0]))
    with args.out.open("w", encoding="utf-8") as fh:
        fh.write("phrase\tmla_df\tcso\tscierc\tcsner\tscirex\tknown\n")
        for r in rows:
            fh.write("\t".join(map(str, r)) + "\n")
    print(f"{len(rows)} candidate phrases -> {args.out}; reference documents held out: {held.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
