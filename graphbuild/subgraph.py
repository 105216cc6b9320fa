"""Subgraph selection: the one place that decides which nodes and links a view, export or query sees.

A :class:`Selection` is a frozen record of every option; :func:`select` applies it to a graph and
returns a new ``MultiDiGraph`` (a copy: attribute lists are copied too, the input is never changed).

The options compose in this fixed order, each step working on what the previous one left:

1. **paper filters** — ``year_from``/``year_to`` keep papers whose ``year`` lies in the range (papers
   without a year are dropped once a bound is set); ``domain`` keeps papers with an ``IN_DOMAIN`` link
   to that domain (resolved like a focus name, among domains only).
2. **link filters** — ``min_confidence`` drops links whose ``confidence`` is below it; ``roles`` keeps
   links whose ``role`` is one of them (``IN_DOMAIN`` links have no role, so they go too).
3. **orphans** — when steps 1–2 removed anything, a node left without any link is dropped (an entity
   whose papers were all filtered out, a paper that lost every link).
4. ``min_papers`` — entities with fewer *supporting papers in what is left* are dropped.
5. ``focus`` + ``hops`` — keep the nodes within ``hops`` links (either direction) of any focus node.
   Without a focus, everything left so far is kept.
6. ``types`` — keep only nodes of these types (``paper``, ``method``, ``benchmark``, ``task``, ``domain``).
7. ``limit`` — keep the ``limit`` best-supported nodes (most distinct neighbours in the selection,
   ties broken by the graph's ``paper_count`` then by key).

Focus nodes are anchors: steps 3, 4 and 7 never drop them (steps 1, 2 and 6 do, because the user asked
for that explicitly). The result holds the surviving nodes and every surviving link among them.

Focus and domain names resolve with the shared resolver, :mod:`graphbuild.lookup` (the same one named
queries use): case-insensitively against node keys (``method:transformer``), then canonical names
(titles, for papers), then aliases; the first tier with a match wins, and within it a single
method/benchmark/task/domain beats papers of the same title. Several matches in that tier raise
:class:`~graphbuild.errors.AmbiguousEntityError` (listing them); none at all raises
:class:`~graphbuild.errors.UnknownEntityError` with up to three of the closest names.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphbuild.errors import ConfigError
from graphbuild.model import LABELS
from graphbuild.schema import load_schema

if TYPE_CHECKING:
    import networkx as nx

#: option value → node label
TYPE_LABELS: Mapping[str, str] = LABELS
#: roles a link can carry, from the schema (``IN_DOMAIN`` carries none)
ROLES: tuple[str, ...] = tuple(dict.fromkeys(r.role for r in load_schema().relationships.values() if r.role))


@dataclass(frozen=True)
class Selection:
    """Every selection option; the defaults select the whole graph."""

    focus: tuple[str, ...] = ()
    hops: int = 1
    types: tuple[str, ...] = ()
    min_papers: int = 0
    min_confidence: float = 0.0
    domain: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    roles: tuple[str, ...] = ()
    limit: int | None = None

    def __post_init__(self) -> None:
        # tuples even when a caller passes lists, so the record stays hashable and frozen
        for name in ("focus", "types", "roles"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(value))
        bad_types = [t for t in self.types if t not in TYPE_LABELS]
        if bad_types:
            raise ConfigError(f"--types: unknown type {bad_types[0]!r}; choose from {', '.join(TYPE_LABELS)}")
        bad_roles = [r for r in self.roles if r not in ROLES]
        if bad_roles:
            raise ConfigError(f"--roles: unknown role {bad_roles[0]!r}; choose from {', '.join(ROLES)}")
        if self.hops < 0:
            raise ConfigError(f"--hops must be 0 or more, got {self.hops}")
        if self.min_papers < 0:
            raise ConfigError(f"--min-papers must be 0 or more, got {self.min_papers}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError(f"--min-confidence must be between 0 and 1, got {self.min_confidence}")
        if self.limit is not None and self.limit < 1:
            raise ConfigError(f"--limit must be 1 or more, got {self.limit}")
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise ConfigError(f"--year-from {self.year_from} is after --year-to {self.year_to}")
        if any(not f.strip() for f in self.focus):
            raise ConfigError("--focus needs a non-empty name")

    @property
    def is_everything(self) -> bool:
        """True when the selection keeps the whole graph (nothing to filter)."""
        return self == Selection(hops=self.hops)


# --------------------------------------------------------------------------- name resolution


def resolve_names(
    graph: nx.MultiDiGraph, names: Iterable[str], *, label: str | None = None, what: str = "--focus"
) -> tuple[str, ...]:
    """Node keys for ``names`` (keys, names or aliases; case-insensitive), in the given order.

    The shared resolver (:mod:`graphbuild.lookup`) over the graph in memory; ``label`` limits it to one
    node label (``"Domain"`` for ``--domain``)."""
    from graphbuild.lookup import GraphLookup, resolve

    kind = None if label is None else next(k for k, v in TYPE_LABELS.items() if v == label)
    return resolve(GraphLookup(graph), names, kind=kind, what=what)


# --------------------------------------------------------------------------- selection


def _edge_filter(sel: Selection) -> Callable[[Mapping[str, Any]], bool] | None:
    if sel.min_confidence <= 0.0 and not sel.roles:
        return None
    roles = set(sel.roles)
    min_conf = sel.min_confidence

    def ok(d: Mapping[str, Any]) -> bool:
        if min_conf > 0.0 and float(d.get("confidence", 0.0)) < min_conf:
            return False
        return not roles or d.get("role") in roles

    return ok


def _paper_filter(graph: nx.MultiDiGraph, sel: Selection) -> Callable[[str], bool] | None:
    if sel.year_from is None and sel.year_to is None and sel.domain is None:
        return None
    lo = sel.year_from if sel.year_from is not None else -(10**9)
    hi = sel.year_to if sel.year_to is not None else 10**9
    bounded = sel.year_from is not None or sel.year_to is not None
    domain_papers: set[str] | None = None
    if sel.domain is not None:
        (dkey,) = resolve_names(graph, [sel.domain], label="Domain", what="--domain")
        domain_papers = {u for u, _ in graph.in_edges(dkey)}

    def ok(node: str) -> bool:
        if domain_papers is not None and node not in domain_papers:
            return False
        if bounded:
            year = graph.nodes[node].get("year")
            return isinstance(year, int) and lo <= year <= hi
        return True

    return ok


class _Alive:
    """Which nodes and links survive steps 1–4, computed lazily so a focused selection on a large
    graph only looks at the neighbourhood it reaches."""

    def __init__(self, graph: nx.MultiDiGraph, sel: Selection, anchors: set[str]) -> None:
        self.g = graph
        self.edge_ok = _edge_filter(sel)
        self.paper_ok = _paper_filter(graph, sel)
        self.min_papers = sel.min_papers
        self.anchors = anchors
        self.prune = self.edge_ok is not None or self.paper_ok is not None
        self._base: dict[str, bool] = {}
        self._node: dict[str, bool] = {}

    def _is_paper(self, n: str) -> bool:
        return self.g.nodes[n].get("label") == "Paper"

    def _passes_paper_filter(self, n: str) -> bool:
        return self.paper_ok is None or not self._is_paper(n) or self.paper_ok(n)

    def link_ok(self, u: str, v: str, d: Mapping[str, Any]) -> bool:
        """A link survives steps 1–2 (both ends pass the paper filter, the link passes its filter)."""
        if self.edge_ok is not None and not self.edge_ok(d):
            return False
        return self._passes_paper_filter(u) and self._passes_paper_filter(v)

    def _links(self, n: str) -> Iterable[tuple[str, str, Mapping[str, Any]]]:
        # adjacency dicts directly: edge views cost more than the BFS itself on large neighbourhoods
        for v, by_key in self.g.succ[n].items():
            for d in by_key.values():
                yield n, v, d
        for u, by_key in self.g.pred[n].items():
            for d in by_key.values():
                yield u, n, d

    def _base_alive(self, n: str) -> bool:
        """Steps 1–3."""
        hit = self._base.get(n)
        if hit is None:
            if not self._passes_paper_filter(n):
                hit = False
            elif not self.prune or n in self.anchors:
                hit = True
            else:
                hit = any(self.link_ok(u, v, d) for u, v, d in self._links(n))
            self._base[n] = hit
        return hit

    def support(self, n: str) -> int:
        """Distinct papers linked to entity ``n`` through surviving links."""
        return len({u for u, v, d in self.g.in_edges(n, data=True) if self.link_ok(u, v, d)})

    def node(self, n: str) -> bool:
        """Steps 1–4."""
        hit = self._node.get(n)
        if hit is None:
            hit = self._base_alive(n)
            if hit and self.min_papers > 0 and n not in self.anchors and not self._is_paper(n):
                hit = self.support(n) >= self.min_papers
            self._node[n] = hit
        return hit

    def edge(self, u: str, v: str, d: Mapping[str, Any]) -> bool:
        return self.link_ok(u, v, d) and self.node(u) and self.node(v)


def _neighbourhood(alive: _Alive, start: Iterable[str], hops: int) -> set[str]:
    seen = {n for n in start if alive.node(n)}
    frontier = list(seen)
    for _ in range(hops):
        nxt: list[str] = []
        for n in frontier:
            for u, v, d in alive._links(n):
                other = v if u == n else u
                if other not in seen and alive.edge(u, v, d):
                    seen.add(other)
                    nxt.append(other)
        if not nxt:
            break
        frontier = nxt
    return seen


def _copy_attrs(d: Mapping[str, Any]) -> Mapping[str, Any]:
    """Attributes safe to hand to ``add_*_from`` (which copies the dict itself): list values copied."""
    for v in d.values():
        if isinstance(v, list):
            return {k: (list(v) if isinstance(v, list) else v) for k, v in d.items()}
    return d


def _build(
    graph: nx.MultiDiGraph, keep: set[str], link_ok: Callable[[str, str, Mapping[str, Any]], bool]
) -> nx.MultiDiGraph:
    """A new graph of the ``keep`` nodes and the ``link_ok`` links among them, attributes copied."""
    import networkx as nx

    out = nx.MultiDiGraph(**graph.graph)
    # graph order, not set order, so exports are deterministic
    ordered = [n for n in graph if n in keep]
    out.add_nodes_from((n, _copy_attrs(graph.nodes[n])) for n in ordered)
    out.add_edges_from(
        (n, v, k, _copy_attrs(d))
        for n in ordered
        for v, by_key in graph.succ[n].items()
        if v in keep
        for k, d in by_key.items()
        if link_ok(n, v, d)
    )
    return out


def select(graph: nx.MultiDiGraph, selection: Selection | None = None) -> nx.MultiDiGraph:
    """The subgraph ``selection`` describes, as a new graph (see the module docstring for the order)."""
    sel = selection or Selection()
    anchors = set(resolve_names(graph, sel.focus))
    alive = _Alive(graph, sel, anchors)

    keep = _neighbourhood(alive, sorted(anchors), sel.hops) if anchors else {n for n in graph if alive.node(n)}

    if sel.types:
        labels = {TYPE_LABELS[t] for t in sel.types}
        keep = {n for n in keep if graph.nodes[n].get("label") in labels}

    if sel.limit is not None and len(keep) > sel.limit:
        keep = _best_supported(graph, alive, keep, anchors, sel.limit)

    return _build(graph, keep, alive.link_ok)


def _best_supported(graph: nx.MultiDiGraph, alive: _Alive, keep: set[str], anchors: set[str], limit: int) -> set[str]:
    def support(n: str) -> int:
        others = set()
        for u, v, d in alive._links(n):
            other = v if u == n else u
            if other in keep and alive.link_ok(u, v, d):
                others.add(other)
        return len(others)

    fixed = keep & anchors
    rest = keep - anchors
    room = max(0, limit - len(fixed))
    ranked = heapq.nsmallest(
        room, rest, key=lambda n: (-support(n), -int(graph.nodes[n].get("paper_count", 0) or 0), n)
    )
    return fixed | set(ranked)


def describe_selection(sel: Selection) -> str:
    """A short human summary of the options that are set (for logs and summary lines)."""
    parts: list[str] = []
    if sel.focus:
        parts.append(f"focus={','.join(sel.focus)} hops={sel.hops}")
    for name in ("types", "roles"):
        if getattr(sel, name):
            parts.append(f"{name}={','.join(getattr(sel, name))}")
    for name in ("min_papers", "min_confidence", "domain", "year_from", "year_to", "limit"):
        value = getattr(sel, name)
        if value not in (None, 0, 0.0):
            parts.append(f"{name}={value}")
    return " ".join(parts) or "whole graph"


# --------------------------------------------------------------------------- from query results


def keys_in_rows(graph: nx.MultiDiGraph, rows: Iterable[Iterable[Any]]) -> list[str]:
    """Node keys found in query result cells (a cell, or an element of a list cell), first seen first.

    Named queries return keys in columns like ``paper``, ``method`` or ``entity``; any cell whose
    value is a key of ``graph`` counts, so titles and counts never match by accident.
    """
    found: dict[str, None] = {}
    for row in rows:
        for cell in row:
            values = cell if isinstance(cell, list | tuple) else (cell,)
            for v in values:
                if isinstance(v, str) and v in graph:
                    found.setdefault(v)
    return list(found)


def induced(graph: nx.MultiDiGraph, keys: Iterable[str]) -> nx.MultiDiGraph:
    """The nodes ``keys`` and every link among them, as a new graph (in graph order)."""
    return _build(graph, {k for k in keys if k in graph}, lambda u, v, d: True)


def query_subgraph(
    graph: nx.MultiDiGraph, store: Any, name: str, params: Mapping[str, Any] | None = None
) -> nx.MultiDiGraph:
    """The subgraph of ``graph`` a named query returns: the nodes whose keys appear in its rows, the
    nodes its parameters name (the benchmark of ``papers-on-benchmark``: what the query was about) and
    the links among them. ``store`` is an open :class:`~graphbuild.store.base.GraphStore`."""
    from graphbuild.queries import prepare

    query, bound = prepare(store, name, params or {})
    result = store.run(query.text_for(getattr(store, "dialect", None)), bound)
    about = [bound[p.name] for p in query.params if p.kind is not None and bound.get(p.name) is not None]
    return induced(graph, [*about, *keys_in_rows(graph, result.rows)])
