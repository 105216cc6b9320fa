"""Annotated reference corpora as (text, typed character spans), per split (training and evaluation).

Every data set is read from ``../shared/data`` and mapped onto paperkg's three mention types:

| data set | method | benchmark | task |
|---|---|---|---|
| TDMSci (sentences of NLP papers) | — | DATASET | TASK |
| CS-NER PwC (titles; abstracts in dev-abs) | METHOD | — | RESEARCH_PROBLEM |
| CS-NER ACL (titles) | method | dataset | research problem |
| SciREX (title + abstract slices) | Method | Material | Task |
| SciERC (abstracts) | — (too broad: "approach", "it") | — | Task |

A type a data set does not annotate is *unannotated* there (``Example.types``): training a type uses
only the examples that annotate it, so an unannotated name never teaches "not an entity".
Texts are the data set's tokens joined by single spaces (as the held-out test sets are scored);
spans are trimmed of outer punctuation glued to a token ("(NER" → "NER").
Splits come from ``scripts/splits/<dataset>.json``; ``gold`` documents are never returned.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPLITS = ROOT / "scripts" / "splits"
TYPES = ("method", "benchmark", "task")
_TRIM = "()[]{}\"'`,;:.!?"


@dataclass(frozen=True)
class Example:
    id: str
    dataset: str
    field: str  # "title" | "abstract"
    text: str
    spans: tuple[tuple[int, int, str], ...]  # (start, end, type) character offsets
    types: frozenset[str]  # the types this data set annotates
    #: silver text whose labels are the vocabulary's matches: the matches are hidden from its features
    hide_vocabulary: bool = False


def split_ids(dataset: str, split: str) -> set[str]:
    return set(json.loads((SPLITS / f"{dataset}.json").read_text("utf-8"))["splits"][split])


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _from_tokens(words: list[str], tagged: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """Join tokens by spaces; token spans [i, j) → trimmed character spans."""
    offsets, pos = [], 0
    for w in words:
        offsets.append(pos)
        pos += len(w) + 1
    text = " ".join(words)
    spans = []
    for i, j, etype in tagged:
        s, e = _trimmed(text, offsets[i], offsets[j - 1] + len(words[j - 1]))
        if e > s:
            spans.append((s, e, etype))
    return text, spans


def _conll(path: Path, encoding: str) -> Iterator[list[tuple[str, str]]]:
    """Blank-line separated documents of (token, tag) rows (tag = last column)."""
    doc: list[tuple[str, str]] = []
    with path.open(encoding=encoding) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t") if "\t" in line else line.split()
            if not line.strip():
                if doc:
                    yield doc
                    doc = []
                continue
            doc.append((parts[0], parts[-1]))
    if doc:
        yield doc


def _tag_spans(tags: list[str], mapping: dict[str, str]) -> list[tuple[int, int, str]]:
    """BIO/BIOES tags → token spans of mapped types (unmapped types are dropped)."""
    out, start, cur = [], -1, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, name = tag.partition("-")
        if cur is not None and (prefix in ("O", "B", "S") or name != cur[0] or tag == "O"):
            out.append((start, i, cur[1]))
            cur = None
        if prefix in ("B", "S") or (prefix in ("I", "E") and cur is None and name):
            etype = mapping.get(name)
            if etype is not None:
                start, cur = i, (name, etype)
        if prefix in ("E", "S") and cur is not None:
            out.append((start, i + 1, cur[1]))
            cur = None
    return out


def tdmsci(data: Path, split: str) -> Iterator[Example]:
    keep = split_ids("tdmsci", split)
    mapping = {"DATASET": "benchmark", "TASK": "task"}
    for n, doc in enumerate(_conll(data / "tdmsci" / "train_1500_v2.conll", "utf-8")):
        if str(n // 20) not in keep:
            continue
        text, spans = _from_tokens([w for w, _ in doc], _tag_spans([t for _, t in doc], mapping))
        yield Example(f"tdmsci:{n}", "tdmsci", "abstract", text, tuple(spans), frozenset(mapping.values()))


def csner(data: Path, split: str, sub: str) -> Iterator[Example]:
    keep = split_ids(f"csner-{sub}", split)
    if sub == "acl":
        files, enc = ("train.data", "dev.data"), "utf-8"
        mapping = {"METHOD": "method", "DATASET": "benchmark", "RESEARCH_PROBLEM": "task"}
    else:
        files = ("train.data", "dev.data", "dev-abs.data") if sub == "pwc" else (
            "train.data", "dev.data", "train-abs.data", "dev-abs.data")  # fmt: skip
        enc = "cp1252"
        mapping = {"METHOD": "method", "RESEARCH_PROBLEM": "task"}
    for f in files:
        for n, doc in enumerate(_conll(data / "csner" / sub / f, enc)):
            if f"{f}:{n}" not in keep:
                continue
            text, spans = _from_tokens([w for w, _ in doc], _tag_spans([t for _, t in doc], mapping))
            field = "abstract" if "abs" in f else "title"
            yield Example(f"csner-{sub}:{f}:{n}", f"csner-{sub}", field, text, tuple(spans),
                          frozenset(set(mapping.values())))


def scirex(data: Path, split: str) -> Iterator[Example]:
    keep = split_ids("scirex", split)
    mapping = {"Method": "method", "Material": "benchmark", "Task": "task"}
    with (data / "scirex" / "title_abstract_train_dev.jsonl").open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["doc_id"] not in keep:
                continue
            tagged = [(s, e, mapping[t]) for s, e, t in d["ner"] if t in mapping]
            text, spans = _from_tokens(d["words"], tagged)
            yield Example(f"scirex:{d['doc_id']}", "scirex", "abstract", text, tuple(spans),
                          frozenset(mapping.values()))


def scierc(data: Path, split: str) -> Iterator[Example]:
    keep = split_ids("scierc", split)
    unescape = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
    for part in ("train", "dev"):
        with (data / "scierc" / f"{part}_abstracts_charoffsets.jsonl").open(encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if d["doc_key"] not in keep:
                    continue
                words = [unescape.get(w, w) for w in d["text"].split(" ")]
                tagged = [(e["tok_start"], e["tok_end_incl"] + 1, "task") for e in d["entities"]
                          if e["type"] == "Task"]
                text, spans = _from_tokens(words, tagged)
                yield Example(f"scierc:{d['doc_key']}", "scierc", "abstract", text, tuple(spans),
                              frozenset({"task"}))


def silver(corpus_file: Path, etype: str, n: int, nlp) -> Iterator[Example]:
    """ML Anthology abstracts (2012 on, gold papers excluded, every k-th record) labelled by the
    vocabulary's unambiguous matches of ``etype`` (generic terms left out), for the tagger to learn
    the contexts names stand in; their vocabulary features are hidden in training."""
    import gzip

    from graphbuild.extract.components import CANDIDATES, paper_doc
    from graphbuild.extract.vocabulary import load_vocabulary

    skip = {x.strip() for x in (ROOT / "tests" / "gold" / "excluded_ids.txt").read_text("utf-8").splitlines()
            if x.strip() and not x.startswith("#")}
    gold_dev = json.loads((ROOT / "tests" / "gold" / "dev.json").read_text("utf-8"))
    generic = {x.lower() for x in gold_dev["generic_terms"]}
    vocab = load_vocabulary()
    rows = []
    with gzip.open(corpus_file, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 41:
                continue
            d = json.loads(line)
            if d["id"] not in skip and (d.get("year") or 0) >= 2012 and len(d.get("abstract") or "") > 200:
                rows.append(d)
    procs = [proc for name, proc in nlp.pipeline if name != "paperkg_tagger"]
    for d in rows[:n]:
        text = " ".join(d["abstract"].split())
        doc = paper_doc(nlp.make_doc, (("abstract", text),))
        for proc in procs:
            doc = proc(doc)
        spans = tuple(
            (c.start, c.end, etype) for c in (doc.user_data.get(CANDIDATES) or {}).get("abstract", ())
            if c.rule == "vocabulary" and c.type == etype and not vocab.entries[c.vocab_id].ambiguous
            and c.surface.lower() not in generic
        )
        yield Example(f"silver:{d['id']}", f"silver-{etype}", "abstract", text, spans, frozenset({etype}),
                      hide_vocabulary=True)


def corpus(data: Path, name: str, split: str) -> Iterator[Example]:
    """Examples of one data set (``tdmsci``, ``csner-pwc``, ``csner-acl``, ``scirex``, ``scierc``)."""
    if name == "tdmsci":
        return tdmsci(data, split)
    if name.startswith("csner-"):
        return csner(data, split, name.removeprefix("csner-"))
    if name == "scirex":
        return scirex(data, split)
    if name == "scierc":
        return scierc(data, split)
    raise ValueError(f"unknown corpus {name}")
