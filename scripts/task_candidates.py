"""Rank task-phrase candidates from ML Anthology titles, for review into scripts/vocab_src/tasks_mined.yaml.

A title "<method> for <task>" names its task after "for" ("… for Video Compression", "… for Few-Shot Object
Detection"). The phrase runs from "for" to the next preposition or punctuation; candidates are 2-5 words,
written in at least ``--min-titles`` titles, pass the task filters of scripts/vocab_src/task_filters.yaml
(a task head noun, no fragment words, not generic) and are not yet a task, method or benchmark of the shipped
vocabulary. Gold papers (tests/gold/excluded_ids.txt and every gold title) are skipped. The output is a
ranking for a human to review, not vocabulary: the reviewed entries (with their domains) go in the YAML.

    python scripts/task_candidates.py --out /tmp/task_candidates.tsv        # n_titles <TAB> in-vocab kind <TAB> phrase
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import build_vocab as bv  # noqa: E402  (a sibling script)

#: where the task phrase after "for" ends
PHRASE_END = re.compile(
    r"\s+(?:for|via|with|using|in|on|of|by|from|through|under|towards?|against|without|beyond|at|as|into|and|to)\s+"
    r"|[:,;?!()]|\s[-–]\s"
)


def gold_ids_and_titles(root: Path) -> tuple[set[str], set[str]]:
    ids = {line.strip() for line in (root / "tests" / "gold" / "excluded_ids.txt").read_text("utf-8").splitlines()
           if line.strip() and not line.startswith("#")}
    titles = set()
    for path in sorted((root / "tests" / "gold").glob("*_papers.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                titles.add(bv.squash(json.loads(line)["title"]))
    return ids, titles


def title_task(title: str) -> str | None:
    """The task phrase after the first "for" of a title, in task case ("Video Compression" → "video compression")."""
    parts = re.split(r"\s+for\s+", title, maxsplit=1)
    if len(parts) < 2:
        return None
    seg = re.sub(r"^(?:the|a|an)\s+", "", PHRASE_END.split(parts[1])[0].strip(), flags=re.I)
    name = bv.task_case(seg)
    return name if 2 <= len(name.split()) <= 5 else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "mlanthology.jsonl.gz")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--min-titles", type=int, default=4)
    a = ap.parse_args()
    ids, gold_titles = gold_ids_and_titles(ROOT)
    stop_doc = bv.load_yaml(bv.SRC / "stoplist.yaml")
    stop = {bv.clean_space(w).lower() for words in stop_doc.values() for w in words}
    tf = bv.TaskFilter(bv.Filters(stop, set(), set(), set()), stop)
    known: dict[str, str] = {}
    for kind in ("tasks", "methods", "benchmarks"):
        for line in (ROOT / "graphbuild" / "data" / "vocab" / f"{kind}.jsonl").read_text("utf-8").splitlines():
            row = json.loads(line)
            for s in (row["name"], *row["aliases"]):
                known.setdefault(bv.squash(s), kind)
    counts: Counter = Counter()
    spellings: dict[str, Counter] = {}
    with gzip.open(a.corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            paper = json.loads(line)
            if paper["id"] in ids or bv.squash(paper["title"]) in gold_titles:
                continue
            name = title_task(paper["title"])
            if name is None:
                continue
            key = bv.squash(name)
            counts[key] += 1
            spellings.setdefault(key, Counter())[name] += 1
    rows = []
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < a.min_titles or known.get(key) == "tasks":
            continue
        name = spellings[key].most_common(1)[0][0]
        if tf.reason(name, harvested=True) is None:
            rows.append(f"{n}\t{known.get(key, '')}\t{name}")
    a.out.write_text("\n".join(rows) + "\n", "utf-8")
    print(f"{len(rows)} candidates → {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
