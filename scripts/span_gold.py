"""A gold file with character offsets from a reference corpus split, for ``paperkg eval``'s mention scores.

    python scripts/span_gold.py ../shared/data tdmsci dev --out /tmp/tdmsci-dev
    paperkg extract /tmp/tdmsci-dev/papers.jsonl --out /tmp/tdmsci-dev/pred.jsonl
    paperkg eval --gold /tmp/tdmsci-dev/gold.json /tmp/tdmsci-dev/pred.jsonl

Each text (a TDMSci sentence, a CS-NER abstract, a SciREX or SciERC abstract: the data set's tokens
joined by spaces) becomes one paper whose abstract is that text and whose title is its id; its
annotated spans become ``mentions`` with offsets, for the types the data set annotates
(``span_types``: e.g. TDMSci DATASET → benchmark and TASK → task; CS-NER METHOD and
RESEARCH_PROBLEM). CS-NER PwC is read from its abstracts only (``dev-abs``), as its held-out test
set is. Dev splits are for tuning; score a test split rarely and say so.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tagger_corpora import corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared_data", type=Path)
    ap.add_argument("dataset", choices=("tdmsci", "csner-pwc", "scirex", "scierc"))
    ap.add_argument("split", choices=("train", "dev", "test"))
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()

    from graphbuild.ingest.normalize import normalize_text

    a.out.mkdir(parents=True, exist_ok=True)
    papers, skipped = [], 0
    with (a.out / "papers.jsonl").open("w", encoding="utf-8") as f:
        for ex in corpus(a.shared_data, a.dataset, a.split):
            if a.dataset == "csner-pwc" and ex.field != "abstract":
                continue
            if normalize_text(ex.text) != ex.text or not ex.text.strip():
                skipped += 1  # the ingest would rewrite the text (LaTeX residue): offsets would move
                continue
            pid = ex.id.replace(":", "-")
            f.write(json.dumps({"id": pid, "title": pid, "abstract": ex.text}, ensure_ascii=False) + "\n")
            types = sorted(ex.types)
            entities: dict[str, dict[str, dict]] = {t: {} for t in types}
            for s, e, t in ex.spans:
                entities[t].setdefault(ex.text[s:e].lower(), {"name": ex.text[s:e]})
            paper = {"id": pid, "title": pid, "abstract": ex.text, "span_types": types,
                     "mentions": [{"type": t, "field": "abstract", "start": s, "end": e} for s, e, t in ex.spans]}
            for t, key in (("method", "methods"), ("benchmark", "benchmarks"), ("task", "tasks")):
                if t in types:
                    paper[key] = list(entities[t].values())
            papers.append(paper)
    gold = {"format": "paperkg-gold", "version": 1, "guidelines": f"{a.dataset} annotation guidelines",
            "domain_names": [], "papers": papers}
    (a.out / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{a.dataset} {a.split}: {len(papers)} texts, {sum(len(p['mentions']) for p in papers)} spans "
          f"({skipped} skipped) → {a.out}")


if __name__ == "__main__":
    main()
