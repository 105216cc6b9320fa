"""Which node a user means: the one resolver behind ``--focus``, ``--domain``, query parameters and the library.

A spelling matches a node by its key (``method:transformer``), its name (a paper's title) or one of its
aliases, case-insensitively (Python's ``str.lower``, Cypher's ``toLower``) and ignoring surrounding
whitespace. Matches come in three tiers — key, name, alias — and the first tier with a match decides:

* one node in it wins; of several, a single method/benchmark/task/domain beats papers of the same title
  (a paper titled "DeepMind Control Suite" must not hide the benchmark);
* several nodes in it raise :class:`~graphbuild.errors.AmbiguousEntityError` listing them (pass a key);
* no match in any tier raises :class:`~graphbuild.errors.UnknownEntityError` with up to three
  "did you mean" suggestions (closest names and aliases by difflib, else closest keys).

Candidates come from one of two sources that must agree (``tests/queries/test_lookup.py`` checks the
graph, LadybugDB and Neo4j against each other):

* :class:`GraphLookup` — a networkx graph in memory (``export``, ``view``: one scan for all names);
* :class:`StoreLookup` — a :class:`~graphbuild.store.base.GraphStore`, through one Cypher statement per
  spelling (named queries, on LadybugDB and Neo4j alike): parameters are matched inside the database,
  never by filtering result rows afterwards.

Kinds name what a parameter may match: a schema type (``paper``, ``method``, ``benchmark``, ``task``,
``domain``), ``entity`` (any of them but papers) or ``node`` (anything).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from graphbuild.errors import AmbiguousEntityError, ConfigError, UnknownEntityError
from graphbuild.model import LABELS

#: how many "did you mean" suggestions an unknown name gets
SUGGESTIONS = 3
#: kinds beyond the schema's node types
ANY_ENTITY, ANY_NODE = "entity", "node"
_PAPER = "Paper"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def kinds() -> tuple[str, ...]:
    """Every kind a query parameter may declare: the schema's node types, ``entity`` and ``node``."""
    return (*LABELS, ANY_ENTITY, ANY_NODE)


def labels_for(kind: str | None) -> tuple[str, ...]:
    """Node labels a kind covers (``None`` = every label)."""
    if kind is None or kind == ANY_NODE:
        return tuple(LABELS.values())
    if kind == ANY_ENTITY:
        return tuple(label for label in LABELS.values() if label != _PAPER)
    if kind in LABELS:
        return (LABELS[kind],)
    raise ConfigError(f"unknown node kind {kind!r}; choose from {', '.join(kinds())}")


def normalize(text: str) -> str:
    """What a spelling is compared as: stripped and lower-cased (Cypher's ``toLower`` does the same)."""
    return text.strip().lower()


@dataclass(frozen=True)
class Match:
    """A node a spelling matches, and how: ``tier`` 0 = key, 1 = name, 2 = alias."""

    key: str
    name: str
    label: str
    tier: int


class Lookup(Protocol):
    def matches(self, texts: Iterable[str], labels: tuple[str, ...]) -> dict[str, list[Match]]:
        """For each text (stripped, as typed), every node of ``labels`` it matches: by key when the key
        equals the text or the text lower-cased, by name or alias when they lower-case to the same."""
        ...

    def spellings(self, labels: tuple[str, ...], near: int) -> Iterator[tuple[str, str]]:
        """(name or alias, key) of the nodes of ``labels``, for suggestions; of the labels without aliases
        (papers: tens of thousands of titles) only names of a length within :func:`length_window` of ``near``."""
        ...


def length_window(n: int) -> tuple[int, int]:
    """Name lengths worth suggesting for a spelling of length ``n``: a title much shorter or longer than
    the one typed is not what was meant (and difflib needs ratio >= 0.6, at most 2.3x the length)."""
    return int(n * 0.75), int(n * 1.34) + 1


# --------------------------------------------------------------------------- the decision


def resolve(lookup: Lookup, names: Iterable[str], *, kind: str | None = None, what: str = "--focus") -> tuple[str, ...]:
    """Node keys for ``names`` in the given order (duplicates once); see the module docstring."""
    names = list(names)
    if any(not isinstance(n, str) or not n.strip() for n in names):
        raise ConfigError(f"{what} needs a non-empty name")
    if not names:
        return ()
    labels = labels_for(kind)
    found = lookup.matches({n.strip() for n in names}, labels)
    keys = [_pick(lookup, n, found.get(n.strip(), []), kind, labels, what) for n in names]
    return tuple(dict.fromkeys(keys))


def resolve_one(lookup: Lookup, name: str, *, kind: str | None = None, what: str = "--focus") -> str:
    (key,) = resolve(lookup, [name], kind=kind, what=what)
    return key


def _one_line(s: str) -> str:
    # error messages are one line, whatever a title contains
    return " ".join(s.split())


def _describe(m: Match) -> str:
    name = _one_line(m.name)
    if len(name) > 60:
        name = name[:57] + "..."
    return f"{name} ({m.label}, {m.key})"


def _pick(lookup: Lookup, name: str, found: list[Match], kind: str | None, labels: tuple[str, ...], what: str) -> str:
    for tier in range(3):
        hits = sorted({m.key: m for m in found if m.tier == tier}.values(), key=lambda m: m.key)
        entities = [m for m in hits if m.label != _PAPER]
        if len(entities) == 1:
            return entities[0].key
        if len(hits) == 1:
            return hits[0].key
        if len(hits) > 1:
            shown = hits[:10]
            more = f" and {len(hits) - 10} more" if len(hits) > 10 else ""
            raise AmbiguousEntityError(
                f"{what} {name!r} matches {len(hits)} nodes: "
                + "; ".join(_describe(m) for m in shown)
                + f"{more}; pass a key instead, e.g. {what}{'=' if what.startswith('--param') else ' '}{shown[0].key}"
            )
    what_kind = "node" if kind in (None, ANY_NODE) else kind
    hint = suggestions(lookup, name, labels)
    tip = f"; did you mean: {', '.join(hint)}?" if hint else "; check the spelling or run `paperkg stats`"
    raise UnknownEntityError(f"{what} {_one_line(name)!r} matches no {what_kind}{tip}")


def suggestions(lookup: Lookup, name: str, labels: tuple[str, ...], n: int = SUGGESTIONS) -> list[str]:
    """Up to ``n`` names or aliases close to ``name`` (difflib), one per node, else keys close to it."""
    wanted = normalize(name)
    spellings: dict[str, tuple[str, str]] = {}  # lower-cased → (as written, key)
    keys: list[str] = []
    for spelling, key in lookup.spellings(labels, len(wanted)):
        keys.append(key)
        if spelling:
            spellings.setdefault(spelling.lower(), (spelling, key))
    shown: dict[str, str] = {}  # key → spelling: "Transformers" and "Transformer" are one suggestion
    # sorted: the graph and the stores list nodes in different orders, and must suggest the same
    for close in difflib.get_close_matches(wanted, _pool(wanted, sorted(spellings)), n=10 * n, cutoff=0.6):
        spelling, key = spellings[close]
        shown.setdefault(key, _one_line(spelling))
        if len(shown) == n:
            break
    if shown:
        return list(shown.values())
    # keys catch slug-like input ("deepmind-control-suite")
    return difflib.get_close_matches(wanted, _pool(wanted, sorted(set(keys))), n=n, cutoff=0.6)


def _pool(wanted: str, candidates: list[str]) -> list[str]:
    """The candidates worth difflib's time. difflib costs ~30 µs a candidate, so among tens of thousands
    (paper titles) only those sharing one of the rarer words of ``wanted`` are compared: per word a
    substring test in C, rarest words first, until a few hundred candidates are in."""
    if len(candidates) <= _POOL_ALL:
        return candidates
    words = set(re.findall(r"\w{4,}", wanted))
    hits = sorted(([c for c in candidates if w in c] for w in words), key=len)
    slack = max(2, len(wanted) // 10)

    def similar_length(cs: Iterable[str]) -> dict[str, None]:
        return dict.fromkeys(c for c in cs if abs(len(c) - len(wanted)) <= slack)

    pool: dict[str, None] = {}
    for found in hits:
        if not found:
            continue
        if len(pool) + len(found) > _POOL_ALL:
            # a word (nearly) every title has: keep the rarer words' matches, or, when even the
            # rarest word is everywhere, those of its matches with a similar length
            pool = pool or similar_length(found)
            break
        pool.update(dict.fromkeys(found))
        if len(pool) >= _POOL_ENOUGH:
            break
    # no shared word at all (a typo in every word): compare what has a similar length
    return list(pool or similar_length(candidates))[:_POOL_ALL]


#: candidate counts for :func:`_pool`
_POOL_ALL, _POOL_ENOUGH = 5_000, 300


# --------------------------------------------------------------------------- a graph in memory


class GraphLookup:
    """Candidates from a networkx graph (node attributes ``label``, ``name``, ``aliases``)."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph

    def matches(self, texts: Iterable[str], labels: tuple[str, ...]) -> dict[str, list[Match]]:
        g, wanted_labels = self.graph, set(labels)
        hits: dict[str, list[Match]] = {}
        by_needle: dict[str, list[str]] = {}
        for text in texts:
            hits[text] = []
            by_needle.setdefault(normalize(text), []).append(text)
            # keys: a dictionary lookup, as typed or lower-cased
            for key in dict.fromkeys((text, normalize(text))):
                data = g.nodes[key] if key in g else None
                if data is not None and data.get("label") in wanted_labels:
                    hits[text].append(Match(key, str(data.get("name", key)), data["label"], 0))
        if any(not found for found in hits.values()):
            self._scan(by_needle, wanted_labels, hits)
        return hits

    def _scan(self, by_needle: dict[str, list[str]], labels: set[str], hits: dict[str, list[Match]]) -> None:
        """Names and aliases, in one pass over the nodes. No index is kept: resolving a few names on a
        60k-node graph costs one scan, building a full index costs several times more."""
        lengths = {len(w) for w in by_needle}

        def texts(s: object) -> list[str]:
            # lower-casing 50k titles dominates the scan; ASCII text keeps its length when lower-cased,
            # so a length check skips most of them safely
            if not isinstance(s, str) or (s.isascii() and len(s.strip()) not in lengths):
                return []
            return by_needle.get(normalize(s), [])

        for node, data in self.graph.nodes(data=True):
            label = data.get("label")
            if label not in labels:
                continue
            name = str(data.get("name", node))
            for text in texts(data.get("name")):
                hits[text].append(Match(node, name, label, 1))
            for alias in data.get("aliases") or ():
                for text in texts(alias):
                    hits[text].append(Match(node, name, label, 2))

    def spellings(self, labels: tuple[str, ...], near: int) -> Iterator[tuple[str, str]]:
        wanted, (lo, hi) = set(labels), length_window(near)
        narrowed = {label for label in wanted if not _has_aliases(label)}
        for node, data in self.graph.nodes(data=True):
            label = data.get("label")
            if label not in wanted:
                continue
            name = data.get("name")
            if label in narrowed and not (isinstance(name, str) and lo <= len(name) <= hi):
                continue
            for s in (name, *(data.get("aliases") or ())):
                if isinstance(s, str):
                    yield s, str(node)


# --------------------------------------------------------------------------- a Cypher store


def _ident(label: str) -> str:
    # labels come from the schema, but a hostile schema edit must not become Cypher injection
    if not _IDENT.match(label):
        raise ConfigError(f"schema label {label!r} is not a plain identifier")
    return label


def _has_aliases(label: str) -> bool:
    from graphbuild.schema import load_schema

    return "aliases" in load_schema().nodes[label].properties


@cache
def match_statement(labels: tuple[str, ...]) -> str:
    """One read-only statement (Neo4j and LadybugDB alike) returning ``key, name, label, tier`` of the
    nodes of ``labels`` whose key equals ``$key`` or ``$needle``, or whose name or an alias lower-cased
    equals ``$needle``. Labels without an ``aliases`` property skip that test (LadybugDB would reject
    it). The parameters are bound with WITH first: LadybugDB cannot read one inside ``any(...)``."""
    parts = []
    for label in labels:
        alias = _has_aliases(label)
        by_alias = " OR any(a IN n.aliases WHERE toLower(a) = needle)" if alias else ""
        parts.append(
            "WITH $key AS k, $needle AS needle\n"
            f"MATCH (n:{_ident(label)})\n"
            f"WHERE n.key = k OR n.key = needle OR toLower(n.name) = needle{by_alias}\n"
            f"RETURN n.key AS key, n.name AS name, '{label}' AS label,\n"
            "       CASE WHEN n.key = k OR n.key = needle THEN 0\n"
            "            WHEN toLower(n.name) = needle THEN 1 ELSE 2 END AS tier"
        )
    return "\nUNION ALL\n".join(parts)


@cache
def spellings_statement(label: str) -> str:
    """Names and aliases of a label for suggestions; a label without aliases (papers) only names whose
    length is in ``[$lo, $hi]``, so an unknown title does not ship every title out of the store."""
    if _has_aliases(label):
        return f"MATCH (n:{_ident(label)}) RETURN n.key AS key, n.name AS name, n.aliases AS aliases"
    return (
        f"MATCH (n:{_ident(label)}) WHERE size(n.name) >= $lo AND size(n.name) <= $hi "
        "RETURN n.key AS key, n.name AS name, [] AS aliases"
    )


class StoreLookup:
    """Candidates from a graph store, matched in Cypher by :func:`match_statement`."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def matches(self, texts: Iterable[str], labels: tuple[str, ...]) -> dict[str, list[Match]]:
        statement = match_statement(labels)
        out: dict[str, list[Match]] = {}
        for text in texts:
            result = self.store.run(statement, {"key": text, "needle": normalize(text)})
            out[text] = [Match(str(k), str(k if n is None else n), str(lab), int(t)) for k, n, lab, t in result.rows]
        return out

    def spellings(self, labels: tuple[str, ...], near: int) -> Iterator[tuple[str, str]]:
        lo, hi = length_window(near)
        for label in labels:
            for key, name, aliases in self.store.run(spellings_statement(label), {"lo": lo, "hi": hi}).rows:
                for s in (name, *(aliases or ())):
                    if isinstance(s, str):
                        yield s, str(key)


def resolve_in(source: Any, names: Iterable[str], *, kind: str | None = None, what: str = "--focus") -> tuple[str, ...]:
    """:func:`resolve` against a networkx graph or a graph store, whichever ``source`` is."""
    lookup: Lookup = GraphLookup(source) if hasattr(source, "nodes") else StoreLookup(source)
    return resolve(lookup, names, kind=kind, what=what)


__all__ = [
    "ANY_ENTITY",
    "ANY_NODE",
    "GraphLookup",
    "Lookup",
    "Match",
    "StoreLookup",
    "kinds",
    "labels_for",
    "match_statement",
    "normalize",
    "resolve",
    "resolve_in",
    "resolve_one",
    "suggestions",
]
