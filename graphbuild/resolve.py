"""Corpus-level entity resolution: one entity per method/benchmark, every spelling kept.

Identity is the ``match_key`` of a spelling (absorbs case, hyphens, spaces,
plurals: "Transformers" = Transformer, "CIFAR10" = "CIFAR-10", "LLMs" = "LLM")
plus the vocabulary's aliases. Acronyms are merged with their long forms from
the per-document definitions ("Regularized Optimal Transport (ROT)"): inside a
document the local definition wins; elsewhere a bare acronym joins its long
form only when the corpus defines it one way. An acronym defined with two
different long forms stays two entities, and nothing merges names whose
letters or digits differ (GPT-3 ≠ GPT-4, ResNet-50 ≠ ResNet-101,
ImageNet ≠ ImageNet-C).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from graphbuild.extract.names import clean_surface, match_key, slugify
from graphbuild.extract.vocabulary import Vocabulary

Node = tuple[str, str, str]  # ("v", kind, vocab id) | ("n", type, match key)


@dataclass(frozen=True, slots=True)
class MentionRef:
    """What resolution needs to know about one mention."""

    type: str  # "method" | "benchmark"
    surface: str
    vocab_id: str | None = None


@dataclass(frozen=True, slots=True)
class DocInput:
    """One paper's mentions and its acronym definitions (short, long)."""

    mentions: tuple[MentionRef, ...]
    pairs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ResolvedEntity:
    """A corpus entity: canonical key and name, all spellings, number of papers."""

    key: str
    type: str
    name: str
    aliases: tuple[str, ...]
    paper_count: int


def _vocab_node(vocab: Vocabulary | None, surface: str, kind: str | None) -> Node | None:
    if vocab is None:
        return None
    vid = vocab.lookup(surface, kind)
    if vid is None and kind is not None:
        vid = vocab.lookup(surface)
    return ("v", vocab.entries[vid].kind, vid) if vid else None


def _base_node(m: MentionRef, vocab: Vocabulary | None) -> Node:
    if m.vocab_id and vocab is not None and m.vocab_id in vocab.entries:
        return ("v", vocab.entries[m.vocab_id].kind, m.vocab_id)
    return _vocab_node(vocab, m.surface, m.type) or ("n", m.type, match_key(m.surface))


def resolve(
    docs: Sequence[DocInput], vocab: Vocabulary | None = None
) -> tuple[list[list[str]], dict[str, ResolvedEntity]]:
    """Entity key of every mention (per doc, in order) and the entity table by key."""
    nodes: list[list[Node]] = []
    long_spelling: dict[Node, Counter[str]] = defaultdict(Counter)
    definitions: dict[tuple[str, str], set[Node]] = defaultdict(set)  # (type, acronym key) -> long nodes
    local: list[dict[str, Node]] = []
    # a mention's node without acronym definitions depends only on the mention: once per spelling
    base_nodes: dict[MentionRef, Node] = {}
    for doc in docs:
        base = []
        for m in doc.mentions:
            n = base_nodes.get(m)
            if n is None:
                n = base_nodes[m] = _base_node(m, vocab)
            base.append(n)
        if not doc.pairs:  # no acronym definitions (most papers): nothing to override
            local.append({})
            nodes.append(base)
            continue
        by_key: dict[str, Node] = {}
        for m, n in zip(doc.mentions, base, strict=True):
            by_key.setdefault(match_key(m.surface), n)
        overrides: dict[str, Node] = {}
        for short, long in doc.pairs:
            sk, lk = match_key(short), match_key(long)
            if sk not in by_key and lk not in by_key:
                continue
            lnode = by_key.get(lk)
            if lnode is None:
                lnode = _vocab_node(vocab, long, None)
            if lnode is None:
                # a long form nobody knows is a new entity, even when the vocabulary
                # knows the acronym with another meaning (DT = digital twin here)
                lnode = ("n", by_key[sk][1], lk)
            long_spelling[lnode][clean_surface(long)] += 1
            overrides[sk] = lnode
            definitions[(lnode[1], sk)].add(lnode)
        local.append(overrides)
        nodes.append([overrides.get(match_key(m.surface), n) for m, n in zip(doc.mentions, base, strict=True)])

    # a bare acronym elsewhere joins its long form when the corpus defines it one way only
    for doc_nodes, overrides in zip(nodes, local, strict=True):
        for i, n in enumerate(doc_nodes):
            if n[0] != "n" or n[2] in overrides:
                continue
            defs = definitions.get((n[1], n[2]))
            if defs and len(defs) == 1:
                doc_nodes[i] = next(iter(defs))

    spellings: dict[Node, Counter[str]] = defaultdict(Counter)
    papers: dict[Node, set[int]] = {}
    order: dict[Node, int] = {}
    for d, (doc, doc_nodes) in enumerate(zip(docs, nodes, strict=True)):
        for m, n in zip(doc.mentions, doc_nodes, strict=True):
            spellings[n][clean_surface(m.surface)] += 1
            found = papers.get(n)
            if found is None:
                papers[n] = {d}
                order[n] = len(order)
            else:
                found.add(d)

    keys: dict[Node, str] = {}
    table: dict[str, ResolvedEntity] = {}
    # vocabulary ids are fixed keys: a new name whose slug collides gets a suffix
    taken: set[str] = {n[2] for n in order if n[0] == "v"}
    for n in sorted(order, key=order.__getitem__):
        if n[0] == "v" and vocab is not None:
            entry = vocab.entries[n[2]]
            key, name, etype = entry.id, entry.name, entry.kind
            known = list(entry.aliases)
        else:
            etype = n[1]
            name = _pick_name(long_spelling.get(n) or spellings[n])
            key = f"{etype}:{slugify(name)}"
            known = []
            i = 2
            while key in taken:
                key = f"{etype}:{slugify(name)}-{i}"
                i += 1
        taken.add(key)
        keys[n] = key
        seen = [s for s in [*known, *long_spelling.get(n, {}), *spellings[n]] if s != name]
        table[key] = ResolvedEntity(key, etype, name, tuple(dict.fromkeys(seen)), len(papers[n]))
    return [[keys[n] for n in doc_nodes] for doc_nodes in nodes], table


def _pick_name(counts: Counter[str]) -> str:
    """Most frequent spelling; ties go to the one written with more capitals, then first seen."""
    best = max(counts.items(), key=lambda kv: (kv[1], sum(c.isupper() for c in kv[0]), -list(counts).index(kv[0])))
    return best[0]
