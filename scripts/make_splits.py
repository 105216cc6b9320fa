"""Split every reference data set into train / dev / test once, by document (output committed).

    python scripts/make_splits.py ../shared/data

Writes ``scripts/splits/<dataset>.json``: ``{"dataset", "unit", "how", "splits": {"train": [...],
"dev": [...], "test": [...], "gold": [...]}}`` listing document ids. A document's split is fixed by
a hash of its id (70 / 15 / 15), so adding documents never moves old ones. Documents of the
annotated golds (``tests/gold/excluded_ids.txt``) go to ``gold`` and feed nothing. Where a data set
has no document ids (TDMSci is a run of sentences), blocks of 20 consecutive sentences stand in for
documents, so sentences of one paper stay together. Tune on dev; look at test rarely (and say so).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "scripts" / "splits"
BLOCK = 20


def bucket(doc_id: str, dataset: str) -> str:
    h = int(hashlib.sha1(f"{dataset}:{doc_id}".encode()).hexdigest()[:8], 16) % 100
    return "train" if h < 70 else "dev" if h < 85 else "test"


def excluded() -> set[str]:
    lines = (ROOT / "tests" / "gold" / "excluded_ids.txt").read_text("utf-8").splitlines()
    out = set()
    for line in lines:
        if line and not line.startswith("#"):
            # "source:scirex:<doc_id>" names a SciREX document by its full id
            out.add(line.removeprefix("source:").removeprefix("scirex:"))
    return out


def conll_docs(path: Path, encoding: str) -> int:
    """Number of blank-line separated documents (sentences, titles or abstracts) in a CoNLL file."""
    n, inside = 0, False
    for line in path.open(encoding=encoding):
        if line.strip():
            inside = True
        elif inside:
            n, inside = n + 1, False
    return n + inside


def write(name: str, unit: str, how: str, ids: list[str], skip: set[str] = frozenset()) -> None:
    splits: dict[str, list[str]] = {"train": [], "dev": [], "test": [], "gold": []}
    for i in ids:
        splits["gold" if i in skip else bucket(i, name)].append(i)
    OUT.mkdir(parents=True, exist_ok=True)
    data = {"dataset": name, "unit": unit, "how": how, "splits": splits}
    (OUT / f"{name}.json").write_text(json.dumps(data, indent=1) + "\n", "utf-8")
    print(name, {k: len(v) for k, v in splits.items()})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared_data", type=Path)
    d = ap.parse_args().shared_data
    gold = excluded()
    how = "sha1(dataset:id) % 100: <70 train, <85 dev, else test; gold documents apart"
    scierc = [json.loads(x)["doc_key"] for part in ("train", "dev")
              for x in (d / "scierc" / f"{part}_abstracts_charoffsets.jsonl").open(encoding="utf-8")]
    write("scierc", "abstract (doc_key)", how, scierc, gold)
    scirex = [json.loads(x)["doc_id"] for x in (d / "scirex" / "title_abstract_train_dev.jsonl").open(encoding="utf-8")]
    write("scirex", "paper (doc_id)", how, scirex, gold)
    n = conll_docs(d / "tdmsci" / "train_1500_v2.conll", "utf-8")
    write("tdmsci", f"block of {BLOCK} consecutive sentences (id = index of the block)", how,
          [str(i) for i in range((n + BLOCK - 1) // BLOCK)])
    for sub, files, enc in (("pwc", ("train.data", "dev.data", "dev-abs.data"), "cp1252"),
                            ("acl", ("train.data", "dev.data"), "utf-8"),
                            ("ftd", ("train.data", "dev.data", "train-abs.data", "dev-abs.data"), "cp1252")):
        ids = [f"{f}:{i}" for f in files for i in range(conll_docs(d / "csner" / sub / f, enc))]
        write(f"csner-{sub}", "document of a CoNLL file (id = file:index)", how, ids)


if __name__ == "__main__":
    main()
