#!/usr/bin/env python
"""Dataset-link recall proxy: how many datasets an abstract names does the extractor link?

A stand-in for the floor "Papers-with-Code dataset links named in real abstracts: recall ≥ 0.90", measured on a
split of our own that the vocabulary is not tuned on (the project's ``scripts/splits``; report ``test``, develop on
``dev``):

- ``scirex``: salient *Material* clusters of SciREX papers (the datasets a paper's results are reported on) whose
  name — one of the cluster's surface forms — is written in the paper's title+abstract (text detokenized, so it
  reads like a real abstract);
- ``tdmsci``: DATASET spans of TDMSci's sentences of NLP papers (ACL Anthology, like the floor's set) that are
  written as names (a capital letter or a digit: "Penn Treebank", "CoNLL-2003"; not "a large corpus"); each
  20-sentence block of the split is one "paper".

Two figures per set: **vocabulary coverage** (some surface form of the gold dataset resolves to a benchmark of
the vocabulary) and **extractor recall** (``paperkg extract`` links a benchmark mention that overlaps the name in
the text, or whose name/surface normalizes to one of its surface forms).

Example:
    .venv/bin/python scripts/dataset_recall.py --split test
    .venv/bin/python scripts/dataset_recall.py --split dev --misses 30
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_docs import HeldOut, ReferenceDocs, split_id  # a sibling module of this script

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class GoldLink:
    doc: str
    surfaces: list[str]
    spans: list[tuple[int, int]] = field(default_factory=list)  # where a surface is written in the text


def detok(text: str) -> str:
    """PTB-tokenized words → text that reads like an abstract ("CIFAR - 10" → "CIFAR-10", "( PTB )" → "(PTB)")."""
    text = re.sub(r"\s+", " ", text).strip().replace("-LRB-", "(").replace("-RRB-", ")")
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+([)\],.;:!?%])", r"\1", text)
    return re.sub(r"(\d)\s\.\s(\d)", r"\1.\2", text)


def find(text: str, surface: str) -> list[tuple[int, int]]:
    pat = re.compile(r"(?<![\w-])" + re.escape(surface) + r"(?![\w-])", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pat.finditer(text)]


def scirex_set(data: Path, split: str) -> tuple[dict[str, tuple[str, str]], list[GoldLink]]:
    held = HeldOut.from_repo(ROOT)
    table = held.splits["scirex"]
    papers: dict[str, tuple[str, str]] = {}
    with (data / "scirex" / "title_abstract_train_dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if table.get(row["doc_id"]) != split:
                continue
            text = detok(" ".join(row["words"]))
            text = re.sub(r"^(document|title)\s*:\s*", "", text)
            text = re.sub(r"section\s*:\s*abstract\s*", "", text, flags=re.IGNORECASE)
            papers[row["doc_id"]] = ("", text)
    gold: list[GoldLink] = []
    with (data / "scirex" / "salient_entities_train_dev.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["doc_id"] not in papers or row["type"] != "Material":
                continue
            text = papers[row["doc_id"]][1]
            surfaces = [detok(s) for s in row["top_surface_forms"].split("|") if s.strip()]
            spans = [sp for s in surfaces if len(s) > 1 for sp in find(text, s)]
            if spans:
                gold.append(GoldLink(row["doc_id"], surfaces, spans))
    return papers, gold


def tdmsci_set(data: Path, split: str) -> tuple[dict[str, tuple[str, str]], list[GoldLink]]:
    held = HeldOut.from_repo(ROOT)
    table = held.splits["tdmsci"]
    keep = HeldOut(splits={}, titles=held.titles, shingles=held.shingles)  # every split; gold papers still skipped
    blocks: dict[str, list[tuple[str, list[str]]]] = {}
    for d in ReferenceDocs(data, keep).tdmsci():
        block = split_id(d)
        if table.get(block) == split:
            names = [detok(s) for label, s in d.spans if label == "DATASET" and re.search(r"[A-Z0-9]", s)]
            blocks.setdefault(block, []).append((detok(" ".join(d.tokens)), names))
    papers: dict[str, tuple[str, str]] = {}
    gold: list[GoldLink] = []
    for block, sentences in blocks.items():
        text = " ".join(t for t, _ in sentences)
        papers[f"tdmsci:{block}"] = ("", text)
        offset = 0
        for sentence, names in sentences:
            for name in dict.fromkeys(names):  # a link per sentence and name
                spans = [(offset + a, offset + b) for a, b in find(sentence, name)]
                if spans:
                    gold.append(GoldLink(f"tdmsci:{block}", [name], spans))
            offset += len(sentence) + 1
    return papers, gold


def measure(papers: dict[str, tuple[str, str]], gold: list[GoldLink], misses: int) -> dict[str, float]:
    from graphbuild.extract.names import match_key
    from graphbuild.extract.pipeline import extract
    from graphbuild.extract.vocabulary import load_vocabulary
    from graphbuild.model import Paper

    vocab = load_vocabulary()
    covered = sum(any(vocab.lookup(s, "benchmark") for s in g.surfaces) for g in gold)
    ids = sorted(papers)
    recs = extract([Paper(id=i, title=papers[i][0], abstract=papers[i][1]) for i in ids])
    found: dict[str, list[tuple[str, int, int, set[str]]]] = {}
    for rec in recs:
        keys = []
        for m in rec.mentions:
            if m.type == "benchmark":
                names = {match_key(x) for x in (m.name, m.surface, *m.aliases)}
                keys.append((m.field, m.start, m.end, names))
        found[rec.paper.id] = keys
    hit = 0
    missed = []
    for g in gold:
        wanted = {match_key(s) for s in g.surfaces}
        # the gold text is the abstract field (titles are empty: SciREX's title is inside its text)
        ok = any(names & wanted or (fld == "abstract" and any(start < e and s < end for s, e in g.spans))
                 for fld, start, end, names in found.get(g.doc, ()))
        hit += ok
        if not ok:
            missed.append(g.surfaces[0])
    for s in missed[:misses]:
        print(f"  missed: {s}")
    n = max(1, len(gold))
    return {"links": len(gold), "papers": len(papers), "vocab_coverage": covered / n, "recall": hit / n}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="reference data folder")
    ap.add_argument("--split", choices=("dev", "test"), default="dev", help="which split of scripts/splits to score")
    ap.add_argument("--sets", default="scirex,tdmsci", help="comma-separated: scirex, tdmsci")
    ap.add_argument("--misses", type=int, default=0, help="print this many missed dataset names per set")
    args = ap.parse_args(argv)
    if not (args.data / "README.md").exists():
        print(f"error: {args.data} is not the reference data folder (no README.md)", file=sys.stderr)
        return 2
    readers = {"scirex": scirex_set, "tdmsci": tdmsci_set}
    for name in args.sets.split(","):
        if name not in readers:
            print(f"error: unknown set {name!r} (known: {', '.join(readers)})", file=sys.stderr)
            return 2
        papers, gold = readers[name](args.data, args.split)
        r = measure(papers, gold, args.misses)
        print(f"{name} {args.split}: {r['links']} dataset links in {r['papers']} papers; "
              f"vocabulary coverage {r['vocab_coverage']:.3f}; extractor recall {r['recall']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
