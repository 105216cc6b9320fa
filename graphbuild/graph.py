"""The knowledge graph as a networkx ``MultiDiGraph``, and its files.

Conventions every other module relies on:

* node id = canonical key (``paper:<id>``, ``method:transformer`` ...);
  node attribute ``label`` is the schema label (``Paper``, ``Method`` ...);
  the other node attributes are the schema properties except ``key``.
* edge key = relationship type (so a paper has at most one edge of a type
  to an entity); edge attribute ``type`` repeats it.
* attributes that would be ``None`` are left out; list values are lists.

``graph.json`` is node-link JSON plus ``schema_version``; GraphML stores list
attributes as JSON strings and is decoded back through the schema, so both
round trips are exact.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from graphbuild.errors import GraphFileError
from graphbuild.model import DOMAIN_REL, LABELS, REL_TYPES, PaperExtraction
from graphbuild.schema import load_schema

GRAPH_FILE = "graph.json"
_ROLE_RANK = {"proposed": 2, "introduced": 2, "used": 1, "addressed": 1}


def new_graph() -> nx.MultiDiGraph:
    return nx.MultiDiGraph(schema_version=load_schema().version)


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in attrs.items() if v is not None}


@dataclass(frozen=True, slots=True)
class EntityTouch:
    """A paper naming an entity: the entity's first name, the spellings this paper adds, its parent."""

    key: str
    type: str
    name: str
    spellings: tuple[str, ...]
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class PaperElements:
    """What one paper adds to the graph: its node, the entities it names, its links (target, type, attrs)."""

    key: str
    attrs: dict[str, Any]
    entities: tuple[EntityTouch, ...]
    links: tuple[tuple[str, str, dict[str, Any]], ...]


def paper_elements(ex: PaperExtraction) -> PaperElements:
    """One paper's node, entities and links (the in-memory graph and the streamed tables both use this).

    Several mentions of one entity in one paper become one link whose
    provenance is the first mention with the strongest role and whose
    ``count`` is the number of mentions.
    """
    p = ex.paper
    attrs: dict[str, Any] = {
        "label": "Paper", "name": p.title, "title": p.title, "abstract": p.abstract, "year": p.year,
        "url": p.url, "doi": p.doi, "categories": list(p.categories), "authors": list(p.authors),
        "source": p.source,
    }  # fmt: skip
    for optional in ("year", "url", "doi"):  # the only ones that can be missing
        if attrs[optional] is None:
            del attrs[optional]
    by_entity: dict[str, list[Any]] = {}
    for m in ex.mentions:
        group = by_entity.get(m.key)
        if group is None:
            by_entity[m.key] = [m]
        else:
            group.append(m)
    touches = []
    links = []
    for key, mentions in by_entity.items():
        first = mentions[0]
        if len(mentions) > 1:
            best = max(mentions, key=lambda m: _ROLE_RANK[m.role])
            first = next(m for m in mentions if m.role == best.role)
        touches.append(EntityTouch(key, first.type, first.name, (*(m.surface for m in mentions), *first.aliases)))
        rel = REL_TYPES[(first.type, first.role)]
        # a mention has every provenance value (no None to leave out)
        links.append((key, rel, {
            "type": rel, "role": first.role, "evidence": first.sentence, "field": first.field,
            "start": first.start, "end": first.end, "surface": first.surface, "rule": first.rule,
            "confidence": round(float(first.confidence), 4), "count": len(mentions),
        }))  # fmt: skip
    for d in ex.domains:
        touches.append(EntityTouch(d.key, "domain", d.name, (), d.parent))
        links.append((d.key, DOMAIN_REL, {
            "type": DOMAIN_REL, "evidence": "; ".join(d.evidence), "rule": "domain-taxonomy",
            "confidence": round(float(d.score), 4), "count": max(1, len(d.evidence)),
        }))  # fmt: skip
    return PaperElements(p.key, attrs, tuple(touches), tuple(links))


class EntityNodes:
    """Entity nodes as papers touch them, in first-touch order: first name, aliases (one per
    case-insensitive spelling, sorted), parent (the last one given), number of linking papers."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self._seen: dict[str, set[str]] = {}

    def touch(self, t: EntityTouch) -> None:
        node = self.nodes.get(t.key)
        if node is None:
            node = self.nodes[t.key] = {"label": LABELS[t.type], "name": t.name, "aliases": [], "paper_count": 0}
            self._seen[t.key] = {t.name.casefold()}
        seen = self._seen[t.key]
        for s in t.spellings:
            if s and (f := s.casefold()) not in seen:
                seen.add(f)
                node["aliases"].append(s)
        if t.parent:
            node["parent"] = t.parent
        node["paper_count"] += 1  # a paper touches each of its entities once

    def finished(self) -> dict[str, dict[str, Any]]:
        for node in self.nodes.values():
            node["aliases"].sort()
        return self.nodes


def build_graph(extractions: Iterable[PaperExtraction]) -> nx.MultiDiGraph:
    """Papers, entities and provenance-carrying links from extraction records (all in memory)."""
    g = new_graph()
    entities = EntityNodes()
    for ex in extractions:
        el = paper_elements(ex)
        g.add_node(el.key, **el.attrs)
        for t in el.entities:
            if t.key not in entities.nodes:
                g.add_node(t.key)  # nodes in first-touch order
            entities.touch(t)
        for target, rel, attrs in el.links:
            g.add_edge(el.key, target, key=rel, **attrs)
    for key, attrs in entities.finished().items():
        g.nodes[key].update(attrs)
    return g


def update_paper_counts(g: nx.MultiDiGraph) -> None:
    """Set ``paper_count`` of every entity to its number of distinct linking papers."""
    for node, data in g.nodes(data=True):
        if data.get("label") != "Paper":
            data["paper_count"] = len({u for u, _ in g.in_edges(node)})


# --------------------------------------------------------------------------- files


def resolve_graph_path(path: str | Path) -> Path:
    """Accept ``graph.json`` itself or a ``paperkg build`` output directory."""
    p = Path(path)
    if p.is_dir():
        p = p / GRAPH_FILE
    if not p.exists():
        raise GraphFileError(
            f"{p}: no graph file here; run `paperkg build INPUT --out {p.parent}` first "
            "or pass the path of a graph.json"
        )
    return p


def save_graph(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write node-link JSON (``graph.json``); returns the path written."""
    p = Path(path)
    if p.is_dir() or p.suffix == "":
        p.mkdir(parents=True, exist_ok=True)
        p = p / GRAPH_FILE
    data = nx.node_link_data(g, edges="links")
    data = {"schema_version": load_schema().version, **data}
    tmp = p.with_suffix(p.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(p)
    return p


def load_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read ``graph.json`` (or the one inside a build directory)."""
    p = resolve_graph_path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:  # ValueError: JSONDecodeError, huge ints
        raise GraphFileError(f"{p}: not a paperkg graph.json ({type(e).__name__}: {e})") from None
    except OSError as e:
        raise GraphFileError(f"{p}: cannot read it ({e.strerror or e})") from None
    version = data.pop("schema_version", None) if isinstance(data, dict) else None
    expected = load_schema().version
    if version != expected:
        raise GraphFileError(
            f"{p}: schema_version {version!r}, expected {expected}; rebuild it with `paperkg build`"
        )
    from graphbuild.graph_check import graph_from_node_link

    return graph_from_node_link(data, str(p))


def list_properties() -> set[str]:
    """Schema properties whose values are lists (JSON-encoded in GraphML and GEXF)."""
    s = load_schema()
    names = {k for spec in s.nodes.values() for k, t in spec.properties.items() if t.endswith("[]")}
    names |= {k for k, t in s.relationship_properties.items() if t.endswith("[]")}
    return names


def write_graphml(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """GraphML with list attributes JSON-encoded (decoded by :func:`read_graphml`)."""
    from graphbuild.export.graphml import write

    p = Path(path)
    write(g, p)
    return p


def read_graphml(path: str | Path) -> nx.MultiDiGraph:
    lists = list_properties()
    try:
        h = nx.read_graphml(Path(path), force_multigraph=True)
    except Exception as e:  # networkx raises bare XML errors of several kinds
        raise GraphFileError(f"{path}: not readable as GraphML ({e})") from None
    g = nx.MultiDiGraph(**h.graph)
    for n, d in h.nodes(data=True):
        g.add_node(n, **{k: (json.loads(v) if k in lists else v) for k, v in d.items()})
    for u, v, k, d in h.edges(keys=True, data=True):
        # networkx keys a multigraph's edges by the GraphML edge id; paperkg keys them by type
        g.add_edge(u, v, key=d.get("type", k), **{a: (json.loads(b) if a in lists else b) for a, b in d.items()})
    return g


def graphs_equal(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    """Same nodes, edges (with keys) and attributes; used by round-trip tests."""
    if dict(a.nodes(data=True)) != dict(b.nodes(data=True)):
        return False
    ea = {(u, v, k): d for u, v, k, d in a.edges(keys=True, data=True)}
    eb = {(u, v, k): d for u, v, k, d in b.edges(keys=True, data=True)}
    return ea == eb
