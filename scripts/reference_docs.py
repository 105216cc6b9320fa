"""Documents of the reference data sets, minus the ones no vocabulary may learn from.

Every vocabulary source that reads documents (SciREX, SciERC, TDMSci, CS-NER) reads them through
``ReferenceDocs``, which skips

- **gold documents**: the papers of ``tests/gold/`` (dev, check, ML Anthology golds): the SciREX ids
  in their ``source`` fields and in ``tests/gold/excluded_ids.txt``, and any document whose text is a
  gold paper's (same normalized title, or several shared 8-word runs of a gold title+abstract: SciREX
  copies, a CS-NER title of a gold paper);
- **held-out splits**: documents that the split files (``scripts/splits/<data set>.json``, one split
  per document, written once for the whole project) put in ``test`` or ``gold``, in ``dev`` unless the
  split file allows dev for vocabularies (``"vocab_dev": true``), or in no split at all.

Used by ``scripts/build_vocab.py`` (imported from this folder).
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SHINGLE = 8  # words per run compared with the gold texts
MIN_SHARED = 3  # shared non-overlapping runs that make a document a copy of a gold paper
TDMSCI_BLOCK = 20  # TDMSci sentences per split unit (its file has no document boundaries)
SPLITS = ("train", "dev", "test", "gold")


def words_of(text: str) -> list[str]:
    """Lowercase alphanumeric words (PTB escapes and punctuation dropped): tokenization-proof."""
    text = text.replace("-LRB-", " ").replace("-RRB-", " ")
    return re.findall(r"[a-z0-9]+", text.lower())


def title_key(title: str) -> str:
    return " ".join(words_of(title))


@dataclass(frozen=True)
class Document:
    """One reference document: its data set, id within it, file split, words and tagged spans."""

    dataset: str  # scirex | scierc | tdmsci | csner-pwc | csner-acl | csner-ftd
    id: str
    split: str  # the split of the file it came from (train / dev)
    tokens: tuple[str, ...]
    spans: tuple[tuple[str, str], ...] = ()  # (label, surface as tokens joined by spaces)
    title: str = ""  # when the data set separates it

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass
class HeldOut:
    """What must not feed a vocabulary, and a count of what was skipped and why."""

    scirex_ids: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    shingles: frozenset[tuple[str, ...]] = frozenset()
    #: data set -> document id -> split ("train" | "dev" | "test")
    splits: dict[str, dict[str, str]] = field(default_factory=dict)
    #: data sets whose split file lets dev documents feed vocabularies
    dev_ok: frozenset[str] = frozenset()
    #: (data set, document id) -> why it was skipped
    skipped: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_repo(cls, root: Path) -> HeldOut:
        gold = root / "tests" / "gold"
        ids: set[str] = set()
        texts: list[tuple[str, str]] = []
        excluded = gold / "excluded_ids.txt"
        if excluded.exists():
            for line in excluded.read_text(encoding="utf-8").splitlines():
                if line.startswith("source:scirex:"):
                    ids.add(line.split(":", 2)[2].strip())
        for path in sorted(gold.glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            for p in doc.get("papers", []) if isinstance(doc, dict) else []:
                src = str(p.get("source") or "")
                if src.startswith("scirex:"):
                    ids.add(src.split(":", 1)[1])
                texts.append((str(p.get("title") or ""), str(p.get("abstract") or "")))
        for path in sorted(gold.glob("*_papers.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    p = json.loads(line)
                    texts.append((str(p.get("title") or ""), str(p.get("abstract") or "")))
        titles = {title_key(t) for t, _ in texts if len(words_of(t)) >= 3}
        shingles: set[tuple[str, ...]] = set()
        for t, a in texts:
            w = words_of(f"{t} {a}")
            shingles.update(tuple(w[i : i + SHINGLE]) for i in range(len(w) - SHINGLE + 1))
        splits, dev_ok = read_splits(root / "scripts" / "splits")
        return cls(frozenset(ids), frozenset(titles), frozenset(shingles), splits, dev_ok)

    def is_gold_text(self, tokens: tuple[str, ...] | list[str], title: str = "") -> bool:
        w = words_of(" ".join(tokens))
        if title and title_key(title) in self.titles:
            return True
        if len(w) <= 25 and " ".join(w) in self.titles:  # a title-only record
            return True
        # non-overlapping shared runs: boilerplate ("to the best of our knowledge this is the
        # first") is one run, a copied abstract many
        shared, free_from = 0, 0
        for i in range(len(w) - SHINGLE + 1):
            if i >= free_from and tuple(w[i : i + SHINGLE]) in self.shingles:
                shared += 1
                free_from = i + SHINGLE
                if shared >= MIN_SHARED:
                    return True
        return False

    def reason(self, doc: Document) -> str | None:
        """Why ``doc`` may not feed a vocabulary (None: it may)."""
        if doc.dataset == "scirex" and doc.id in self.scirex_ids:
            return "gold"
        table = self.splits.get(doc.dataset)
        if table is not None:
            split = table.get(split_id(doc))
            if split is None:
                return "in no split"
            if split == "gold":
                return "gold"
            if split == "test" or (split == "dev" and doc.dataset not in self.dev_ok):
                return f"{split} split"
        if self.is_gold_text(doc.tokens, doc.title):
            return "gold text"
        return None

    def keep(self, doc: Document) -> bool:
        why = self.reason(doc)
        if why is not None:
            self.skipped[(doc.dataset, doc.id)] = why
        return why is None

    def summary(self) -> str:
        """Documents skipped (each once, however often it was read), by data set and reason."""
        counts = Counter((ds, why) for (ds, _), why in self.skipped.items())
        return ", ".join(f"{ds} {why} {n}" for (ds, why), n in sorted(counts.items())) or "none"


def split_id(doc: Document) -> str:
    """The document's id in its split file: TDMSci is split in blocks of 20 sentences."""
    return str(int(doc.id) // TDMSCI_BLOCK) if doc.dataset == "tdmsci" else doc.id


def read_splits(folder: Path) -> tuple[dict[str, dict[str, str]], frozenset[str]]:
    """Split files: ``<data set>.json`` = ``{"splits": {split: [doc ids]}}`` (split: train, dev, test,
    gold), or ``<data set>.tsv`` with ``doc_id<TAB>split`` rows. ``"vocab_dev": true`` in a JSON file
    lets that data set's dev documents feed vocabularies."""
    splits: dict[str, dict[str, str]] = {}
    dev_ok: set[str] = set()
    if not folder.is_dir():
        return splits, frozenset()
    for path in sorted(folder.iterdir()):
        name = path.stem
        if path.suffix == ".tsv":
            with path.open(encoding="utf-8") as fh:
                rows = [r for r in csv.reader(fh, delimiter="\t") if len(r) >= 2]
            splits[name] = {r[0]: r[1] for r in rows if r[1] in SPLITS}
        elif path.suffix == ".json":
            doc = json.loads(path.read_text(encoding="utf-8"))
            table = doc.get("splits", doc)
            splits[name] = {str(i): s for s in SPLITS for i in table.get(s, [])}
            if doc.get("vocab_dev"):
                dev_ok.add(name)
    return splits, frozenset(dev_ok)


# ---------------------------------------------------------------- readers


class ReferenceDocs:
    """Iterators over the reference data sets' documents that ``held`` lets through."""

    def __init__(self, data: Path, held: HeldOut) -> None:
        self.data = data
        self.held = held
        self._scirex_kept: frozenset[str] | None = None

    def scirex(self) -> Iterator[Document]:
        with (self.data / "scirex" / "title_abstract_train_dev.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                doc = Document("scirex", row["doc_id"], row.get("split", "train"), tuple(row["words"]))
                if self.held.keep(doc):
                    yield doc

    def scirex_ids(self) -> frozenset[str]:
        """SciREX documents that may feed a vocabulary (for the salient-entity table)."""
        if self._scirex_kept is None:
            self._scirex_kept = frozenset(d.id for d in self.scirex())
        return self._scirex_kept

    def scirex_salient(self) -> Iterator[dict[str, str]]:
        """Rows of the salient-entity table whose document may feed a vocabulary."""
        kept = self.scirex_ids()
        with (self.data / "scirex" / "salient_entities_train_dev.tsv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row["doc_id"] in kept:
                    yield row

    def scierc(self) -> Iterator[Document]:
        for split in ("train", "dev"):
            path = self.data / "scierc" / f"{split}_abstracts_charoffsets.jsonl"
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    row = json.loads(line)
                    text = row["text"]
                    spans = tuple(
                        (str(e.get("type", e.get("label"))), text[e["start"] : e["end"]])
                        for e in row.get("entities", ())
                        if isinstance(e, dict)
                    )
                    doc = Document("scierc", row["doc_key"], split, tuple(text.split()), spans)
                    if self.held.keep(doc):
                        yield doc

    def tdmsci(self) -> Iterator[Document]:
        """TDMSci sentences (its file has no document boundaries: the sentence ordinal is the id)."""
        path = self.data / "tdmsci" / "train_1500_v2.conll"
        for n, rows in enumerate(_conll_records(path, "utf-8")):
            doc = Document("tdmsci", str(n), "train", tuple(r[0] for r in rows), _bio_spans(rows))
            if self.held.keep(doc):
                yield doc

    def csner(self, subset: str, file: str) -> Iterator[Document]:
        """CS-NER records (``subset``: pwc | acl | ftd); ids are ``<file name>:<ordinal>``."""
        path = self.data / "csner" / subset / file
        encoding = "utf-8" if subset == "acl" else "cp1252"
        split = "dev" if file.startswith("dev") else "train"
        for n, rows in enumerate(_conll_records(path, encoding)):
            doc = Document(f"csner-{subset}", f"{file}:{n}", split, tuple(r[0] for r in rows), _bio_spans(rows))
            if self.held.keep(doc):
                yield doc


def _conll_records(path: Path, encoding: str) -> Iterator[list[list[str]]]:
    """Blank-line-separated records of (token, ..., tag) rows."""
    rows: list[list[str]] = []
    with path.open(encoding=encoding) as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[0]:
                rows.append(parts)
            elif rows:
                yield rows
                rows = []
    if rows:
        yield rows


def _bio_spans(rows: list[list[str]]) -> tuple[tuple[str, str], ...]:
    """(label, tokens joined by spaces) of BIO / BIOES-tagged spans (tag in the last column)."""
    spans: list[tuple[str, str]] = []
    label, cur = "", []
    for parts in rows:
        tag = parts[-1]
        prefix, _, typ = tag.partition("-")
        if prefix in ("B", "S") or (prefix in ("I", "E") and typ != label) or prefix not in ("B", "I", "E", "S"):
            if cur:
                spans.append((label, " ".join(cur)))
            label, cur = "", []
            if prefix in ("B", "S", "I", "E"):
                label, cur = typ, [parts[0]]
        else:
            cur.append(parts[0])
        if prefix in ("S", "E") and cur:
            spans.append((label, " ".join(cur)))
            label, cur = "", []
    if cur:
        spans.append((label, " ".join(cur)))
    return tuple(spans)
