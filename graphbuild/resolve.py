"""Corpus-level entity resolution: one entity per method/benchmark/task, every spelling kept.

Identity is the ``match_key`` of a spelling (absorbs case, hyphens, spaces,
plurals: "Transformers" = Transformer, "CIFAR10" = "CIFAR-10", "LLMs" = "LLM")
plus the vocabulary's aliases. Acronyms are merged with their long forms from
the per-document definitions ("Regularized Optimal Transport (ROT)"): inside a
document the local definition wins; elsewhere a bare acronym joins its long
form only when the corpus defines it one way. An acronym defined with two
different long forms stays two entities, and nothing merges names whose
letters or digits differ (GPT-3 ≠ GPT-4, ResNet-50 ≠ ResNet-101,
ImageNet ≠ ImageNet-C).

Resolution streams: a :class:`NameTable` takes one document at a time and keeps
a *name table* (surface forms, acronym definitions, counts, and a few integers
per mention), never the documents. :meth:`NameTable.resolve` then decides the
entities once for the whole corpus, and :meth:`Resolution.keys_of` gives any
document's keys afterwards — so a corpus read in shards resolves exactly as in
one pass. Keys are stable across corpus growth when the previous build's
:class:`KeyRegistry` is given: an entity keeps the key it had (a bare acronym
that later joins its long form keeps the acronym's key; slug suffixes are never
handed to another entity).
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from graphbuild.extract.names import clean_surface, match_key, slugify
from graphbuild.extract.vocabulary import Vocabulary


class Node(NamedTuple):
    """A resolution node: a vocabulary entry, or a name nobody knows (by its match key)."""

    vocab: bool
    type: str  # entity type (a vocabulary node: the entry's kind)
    id: str  # vocabulary id, or match key


@dataclass(frozen=True, slots=True)
class MentionRef:
    """What resolution needs to know about one mention (``type`` is any mention type)."""

    type: str
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


# ----------------------------------------------------------------------------- stable keys


@dataclass
class KeyRegistry:
    """Keys handed out by earlier builds: (type, match key) → entity key.

    A build reads the previous build's registry and writes the grown one, so a
    name keeps its key however the corpus grows, and a key once given to one
    entity is never given to another.
    """

    keys: dict[tuple[str, str], str] = field(default_factory=dict)

    def rows(self) -> Iterator[tuple[str, str, str]]:
        """``(type, match key, entity key)`` rows, sorted (a stable file)."""
        for (etype, mkey), key in sorted(self.keys.items()):
            yield etype, mkey, key

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str]]) -> KeyRegistry:
        return cls({(etype, mkey): key for etype, mkey, key in rows})


# ----------------------------------------------------------------------------- the name table


@dataclass
class _Spelling:
    count: int
    first: int  # global position of its first mention (orders ties as one pass over the corpus would)


_UNUSED = 1 << 62  # first position of a pre-node no mention has used (yet)


class _PreNode(NamedTuple):
    """A mention's node before the corpus-wide acronym rule: ``joinable`` = a bare acronym may still join
    the long form the corpus defines for it."""

    node: Node
    joinable: bool


class NameTable:
    """Resolution state over a stream of documents: add each, then :meth:`resolve` once."""

    def __init__(self, vocab: Vocabulary | None = None) -> None:
        self.vocab = vocab
        self._base: dict[MentionRef, tuple[Node, str, str, int]] = {}
        self._pre_ids: dict[_PreNode, int] = {}
        self._pre: list[_PreNode] = []
        self._spellings: list[dict[str, _Spelling]] = []  # per pre-node
        self._first: list[int] = []  # per pre-node: global position of its first mention
        self._long: dict[Node, Counter[str]] = defaultdict(Counter)  # long-form spellings of defined nodes
        self._definitions: dict[tuple[str, str], set[Node]] = defaultdict(set)  # (type, acronym key) -> long nodes
        self._mentions = array("i")  # pre-node id of every mention, documents one after another
        self._offsets = array("q", [0])  # where each document's mentions start in _mentions

    @property
    def documents(self) -> int:
        return len(self._offsets) - 1

    def add(self, doc: DocInput) -> int:
        """Record one document; returns its index (documents are numbered in the order added)."""
        seen = [self._seen(m) for m in doc.mentions]
        overrides = self._overrides(doc, seen) if doc.pairs else None
        pos = len(self._mentions)
        for n, spelling, mkey, plain in seen:
            if overrides is None:
                i = plain  # no acronym definition in this document: the mention's pre-node is fixed
            else:
                n = overrides.get(mkey, n)
                i = self._pre_id(_PreNode(n, not n.vocab and n.id not in overrides))
            sp = self._spellings[i]
            s = sp.get(spelling)
            if s is None:
                sp[spelling] = _Spelling(1, pos)
                if pos < self._first[i]:
                    self._first[i] = pos
            else:
                s.count += 1
            self._mentions.append(i)
            pos += 1
        self._offsets.append(pos)
        return self.documents - 1

    def _pre_id(self, pre: _PreNode) -> int:
        i = self._pre_ids.get(pre)
        if i is None:
            i = self._pre_ids[pre] = len(self._pre)
            self._pre.append(pre)
            self._spellings.append({})
            self._first.append(_UNUSED)  # set by its first mention
        return i

    def _seen(self, m: MentionRef) -> tuple[Node, str, str, int]:
        """What a mention alone says (cached per spelling): its node without acronym definitions, its clean
        spelling, its match key, and its pre-node id when its document defines no acronym."""
        got = self._base.get(m)
        if got is None:
            vocab = self.vocab
            if m.vocab_id and vocab is not None and m.vocab_id in vocab.entries:
                n = Node(True, vocab.entries[m.vocab_id].kind, m.vocab_id)
            else:
                n = self._vocab_node(m.surface, m.type) or Node(False, m.type, match_key(m.surface))
            plain = self._pre_id(_PreNode(n, not n.vocab))
            got = self._base[m] = (n, clean_surface(m.surface), match_key(m.surface), plain)
        return got

    def _vocab_node(self, surface: str, kind: str | None) -> Node | None:
        vocab = self.vocab
        if vocab is None:
            return None
        vid = vocab.lookup(surface, kind)
        if vid is None and kind is not None:
            vid = vocab.lookup(surface)
        return Node(True, vocab.entries[vid].kind, vid) if vid else None

    def _overrides(self, doc: DocInput, seen: list[tuple[Node, str, str, int]]) -> dict[str, Node]:
        """This document's acronym definitions: acronym match key → the long form's node."""
        by_key: dict[str, Node] = {}
        for n, _, mkey, _ in seen:
            by_key.setdefault(mkey, n)
        overrides: dict[str, Node] = {}
        for short, long in doc.pairs:
            sk, lk = match_key(short), match_key(long)
            if sk not in by_key and lk not in by_key:
                continue
            lnode = by_key.get(lk) or self._vocab_node(long, None)
            if lnode is None:
                # a long form nobody knows is a new entity, even when the vocabulary
                # knows the acronym with another meaning (DT = digital twin here)
                lnode = Node(False, by_key[sk].type, lk)
            self._long[lnode][clean_surface(long)] += 1
            overrides[sk] = lnode
            self._definitions[(lnode.type, sk)].add(lnode)
        return overrides

    def resolve(self, registry: KeyRegistry | None = None) -> Resolution:
        """Decide the entities of everything added (call once, after the last document)."""
        return _resolve(self, registry or KeyRegistry())


@dataclass(frozen=True)
class Resolution:
    """The corpus's entities, each document's keys, and the grown key registry."""

    table: dict[str, ResolvedEntity]
    registry: KeyRegistry
    _key_of_pre: list[str]
    _mentions: array
    _offsets: array

    def keys_of(self, doc: int) -> list[str]:
        """Entity key of every mention of document ``doc`` (in mention order)."""
        key_of = self._key_of_pre
        return [key_of[i] for i in self._mentions[self._offsets[doc] : self._offsets[doc + 1]]]

    def all_keys(self) -> list[list[str]]:
        return [self.keys_of(d) for d in range(len(self._offsets) - 1)]


def _final_nodes(t: NameTable) -> list[Node]:
    """Each pre-node's entity node: a bare acronym joins its long form when the corpus defines it one way only."""
    out = []
    for pre in t._pre:
        n = pre.node
        if pre.joinable:
            defs = t._definitions.get((n.type, n.id))
            if defs and len(defs) == 1:
                n = next(iter(defs))
        out.append(n)
    return out


def _paper_counts(t: NameTable, final_of_pre: list[int]) -> Counter[int]:
    """Distinct documents per entity."""
    counts: Counter[int] = Counter()
    mentions, offsets = t._mentions, t._offsets
    for d in range(len(offsets) - 1):
        seen = {final_of_pre[i] for i in mentions[offsets[d] : offsets[d + 1]]}
        counts.update(seen)
    return counts


def _resolve(t: NameTable, registry: KeyRegistry) -> Resolution:
    finals = _final_nodes(t)
    final_ids: dict[Node, int] = {}
    final_of_pre: list[int] = []
    members: list[list[int]] = []  # per entity: its pre-nodes
    for i, n in enumerate(finals):
        if t._first[i] == _UNUSED:  # made for a mention its document's acronym definition overrode
            final_of_pre.append(-1)
            continue
        f = final_ids.setdefault(n, len(final_ids))
        if f == len(members):
            members.append([])
        members[f].append(i)
        final_of_pre.append(f)
    nodes = list(final_ids)
    papers = _paper_counts(t, final_of_pre)
    first = [min(t._first[i] for i in pre) for pre in members]
    order = sorted(range(len(nodes)), key=first.__getitem__)

    spellings: list[Counter[str]] = []
    for pre in members:
        merged = sorted(((s, sp) for i in pre for s, sp in t._spellings[i].items()), key=lambda x: x[1].first)
        c: Counter[str] = Counter()
        for s, sp in merged:
            c[s] += sp.count
        spellings.append(c)

    keys = _assign_keys(t, nodes, members, spellings, order, registry)
    vocab = t.vocab
    table: dict[str, ResolvedEntity] = {}
    for f in order:
        n = nodes[f]
        if n.vocab and vocab is not None:
            entry = vocab.entries[n.id]
            etype, name, known = entry.kind, entry.name, list(entry.aliases)
        else:
            etype, name, known = n.type, _pick_name(t._long.get(n) or spellings[f]), []
        seen = [s for s in [*known, *t._long.get(n, {}), *spellings[f]] if s != name]
        table[keys[f]] = ResolvedEntity(keys[f], etype, name, tuple(dict.fromkeys(seen)), papers[f])
    grown = KeyRegistry(dict(registry.keys))
    for f, n in enumerate(nodes):
        if not n.vocab:
            for i in members[f]:
                grown.keys[(t._pre[i].node.type, t._pre[i].node.id)] = keys[f]
            grown.keys[(n.type, n.id)] = keys[f]
    return Resolution(table, grown, [keys[f] if f >= 0 else "" for f in final_of_pre], t._mentions, t._offsets)


def _assign_keys(
    t: NameTable,
    nodes: list[Node],
    members: list[list[int]],
    spellings: list[Counter[str]],
    order: list[int],
    registry: KeyRegistry,
) -> list[str]:
    """Keys in first-seen order: a vocabulary id; else the key an earlier build gave this name (its own match
    key first, then the names joined into it); else a slug of its name, with a suffix if the slug is taken."""
    keys: list[str | None] = [None] * len(nodes)
    used: set[str] = set()
    known = registry.keys
    for f in order:
        n = nodes[f]
        if n.vocab:
            keys[f] = n.id
            used.add(n.id)
    for f in order:  # the entity's own name first: it outranks a name that only joined another entity
        n = nodes[f]
        if not n.vocab and (k := known.get((n.type, n.id))) is not None and k not in used:
            keys[f] = k
            used.add(k)
    for f in order:
        if keys[f] is None:
            for i in sorted(members[f], key=t._first.__getitem__):
                pre = t._pre[i].node
                k = known.get((pre.type, pre.id))
                if k is not None and k not in used:
                    keys[f] = k
                    used.add(k)
                    break
    taken = used | set(known.values())
    for f in order:
        if keys[f] is None:
            n = nodes[f]
            slug = slugify(_pick_name(t._long.get(n) or spellings[f]))
            key, i = f"{n.type}:{slug}", 2
            while key in taken:
                key = f"{n.type}:{slug}-{i}"
                i += 1
            keys[f] = key
            taken.add(key)
    return keys  # type: ignore[return-value]


def resolve(
    docs: Sequence[DocInput], vocab: Vocabulary | None = None, registry: KeyRegistry | None = None
) -> tuple[list[list[str]], dict[str, ResolvedEntity]]:
    """Entity key of every mention (per doc, in order) and the entity table by key (in one call)."""
    t = NameTable(vocab)
    for doc in docs:
        t.add(doc)
    r = t.resolve(registry)
    return r.all_keys(), r.table


def _pick_name(counts: Counter[str]) -> str:
    """Most frequent spelling; ties go to the one written with more capitals, then first seen."""
    best = max(counts.items(), key=lambda kv: (kv[1], sum(c.isupper() for c in kv[0]), -list(counts).index(kv[0])))
    return best[0]
