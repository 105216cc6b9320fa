"""The overview map: entities linked by co-occurrence, clustered, laid out so clusters separate.

Above a few thousand nodes a drawing of every paper is unreadable. The overview shows the
best-supported entities instead (methods, benchmarks, tasks, domains: every node label the schema
links papers to), like a VOSviewer term map:

* two entities are linked by the papers they share (co-occurrence count ``c_ij``), normalized by
  association strength ``s_ij = 2m·c_ij / (w_i·w_j)`` (``w_i``: entity i's total co-occurrences,
  ``m``: half their sum) — observed over expected shared papers, so a link means "more often together
  than their sizes explain", not merely "both are big";
* clusters come from Leiden (igraph, modularity on association strength), coloured by cluster;
* the layout places each cluster in a disc of its own (area ∝ members) — the discs by
  Fruchterman–Reingold on the cluster graph, then pushed apart until none overlap — and the members
  inside their disc by Fruchterman–Reingold on the cluster's own links;
* papers come on demand: each entity carries its papers-per-year, its top co-occurring entities and
  its best few papers (those proposing/introducing it first, then the newest), whose titles, years,
  links and the start of their abstracts are the only paper text in the page (≤ 20 MB at 157k papers).

Input is two streams, so that a build of any size never needs a networkx graph in memory:
``nodes`` (key, attributes as in graph.json), read to the end first, then ``edges`` (source, target,
relationship type, attributes). The nodes are read twice (pass a :class:`Restartable` stream; a one-shot
iterator is kept in a list): the first pass keeps numbers, the second only the text of the papers the
page lists (at 1M papers, every title and abstract excerpt held at once would take hundreds of MB).
Links are kept as compact integer arrays and grouped with numpy, so
the edges may come in any order (a build writes them grouped by source paper). :func:`graph_streams`
is the networkx adapter.
"""

from __future__ import annotations

import math
import random
import time
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from itertools import combinations
from typing import Any

import networkx as nx

from graphbuild.model import LABELS
from graphbuild.schema import load_schema
from graphbuild.spellings import distinct_spellings

NodeStream = Iterable[tuple[str, Mapping[str, Any]]]
EdgeStream = Iterable[tuple[str, str, str, Mapping[str, Any]]]


class Restartable:
    """A stream that can be read more than once: each ``iter()`` calls ``make`` for a fresh iterator."""

    def __init__(self, make: Any) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Any]:
        return iter(self._make())

_TYPE_OF_LABEL = {label: etype for etype, label in LABELS.items()}
_STRONG_ROLES = {"proposed", "introduced"}


@dataclass(frozen=True)
class OverviewOptions:
    """What goes on the map (defaults: ``overview`` in viz/theme.json)."""

    entities: int = 1500  # the map's size: this many best-supported entities
    min_papers: int = 2  # an entity needs at least this many papers to be on the map
    min_shared: int = 2  # two entities are linked when they share at least this many papers
    links_per_entity: int = 6  # drawn links: each entity's strongest ones (association strength)
    papers_per_entity: int = 12  # papers listed per entity (text included in the page)
    co_entities: int = 8  # top co-occurring entities listed per entity
    abstract_chars: int = 300  # abstracts are cut at a word boundary near this length
    off_map: int = 20000  # the best-supported entities beyond the map stay searchable (name, papers, neighbours)
    resolution: float = 1.0  # Leiden modularity resolution: higher → more, smaller clusters
    extent: float = 1000.0  # layout coordinates span [-extent, extent]

    @classmethod
    def from_theme(cls, theme: Mapping[str, Any], **overrides: Any) -> OverviewOptions:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in dict(theme.get("overview", {})).items() if k in known}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def entity_types() -> list[str]:
    """Entity types: the targets of the schema's relationships from papers (method, benchmark, task, domain)."""
    schema = load_schema()
    targets = {spec.target for spec in schema.relationships.values() if spec.source == "Paper"}
    return [_TYPE_OF_LABEL.get(label, label.lower()) for label in schema.nodes if label in targets]


def graph_streams(g: nx.MultiDiGraph) -> tuple[Restartable, Restartable]:
    """The (nodes, edges) streams of an in-memory graph (edges come grouped by source); each can be read
    more than once."""
    nodes = Restartable(lambda: ((k, d) for k, d in g.nodes(data=True)))
    edges = Restartable(lambda: ((u, v, d.get("type", k), d) for u, v, k, d in g.edges(keys=True, data=True)))
    return nodes, edges


def display_text(text: str) -> str:
    """Whitespace collapsed, as the extractor read the field."""
    return " ".join(text.split())


def cut(text: str, limit: int) -> str:
    """``text`` cut at a word boundary near ``limit`` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return (head[:space] if space > limit * 0.6 else head).rstrip(" ,;:") + "…"


def mention_span(text: str, start: int | None, end: int | None, surface: str | None) -> tuple[int, int] | None:
    """Where a link's mention sits in ``text`` (the displayed field).

    Offsets refer to the extractor's normalized text; when they do not land on the surface
    form here (LaTeX residue removed before extraction, say), the occurrence of the surface
    nearest to ``start`` is used; no occurrence → None.
    """
    if not surface:
        return None
    exact = start is not None and end is not None and 0 <= start < end <= len(text)
    if exact and text[start:end].casefold() == surface.casefold():  # type: ignore[index]
        return start, end  # type: ignore[return-value]
    low, needle = text.casefold(), surface.casefold()
    if len(low) != len(text):  # casefold changed lengths (ß → ss): offsets would drift
        low, needle = text.lower(), surface.lower()
        if len(low) != len(text):
            return None
    best: int | None = None
    i = low.find(needle)
    while i != -1:
        if best is None or abs(i - (start or 0)) < abs(best - (start or 0)):
            best = i
        i = low.find(needle, i + 1)
    return None if best is None else (best, best + len(surface))


@dataclass
class _Tables:
    """What the first pass over the streams keeps (everything else is dropped as it goes by): no paper
    text — a 1M-paper build would hold hundreds of MB of it, and the page lists a few thousand papers."""

    ent_index: dict[str, int]
    ent_key: list[str]
    ent_name: list[str]
    ent_type: list[str]
    ent_known: list[list[str]]
    paper_index: dict[str, int]
    paper_key: list[str]
    paper_year: array  # -1: no year
    # one row per paper→entity link
    l_paper: array
    l_ent: array
    l_role: array  # index into roles
    l_surface: array  # index into surfaces; -1: no surface in the title or abstract
    # where the mention sits: field (0 title, 1 abstract, -1 none), start and end offsets (-1: not given);
    # arrays, not a tuple per link (a 1M-paper build has 6M links)
    l_field: array
    l_start: array
    l_end: array
    surfaces: dict[str, int]  # surface form → index
    roles: list[str]


@dataclass(frozen=True)
class _PaperText:
    """What the second pass reads for the papers the page lists: their displayed text."""

    title: dict[int, str]
    abstract: dict[int, str]  # already cut
    url: dict[int, str | None]


def _restartable(stream: Iterable[Any]) -> Iterable[Any]:
    """``stream`` itself when iterating it twice reads it twice; a one-shot iterator is kept in a list."""
    return list(stream) if isinstance(stream, Iterator) else stream


def _read(nodes: NodeStream, edges: EdgeStream, types: list[str]) -> _Tables:
    t = _Tables({}, [], [], [], [], {}, [], array("i"), array("i"), array("i"), array("b"), array("i"),
                array("b"), array("i"), array("i"), {}, [""])  # fmt: skip
    role_index = {"": 0}
    type_set = set(types)
    for key, d in nodes:
        label = d.get("label") or load_schema().label_of_key(key)
        if label == "Paper":
            t.paper_index[key] = len(t.paper_key)
            t.paper_key.append(key)
            year = d.get("year")
            t.paper_year.append(year if isinstance(year, int) and 0 < year < 10_000 else -1)
        else:
            etype = _TYPE_OF_LABEL.get(str(label), str(label).lower())
            if etype not in type_set:
                continue
            t.ent_index[key] = len(t.ent_key)
            t.ent_key.append(key)
            t.ent_name.append(str(d.get("name") or key))
            t.ent_type.append(etype)
            t.ent_known.append([str(a) for a in d.get("aliases") or []])
    for source, target, _rel, d in edges:
        p = t.paper_index.get(source)
        e = t.ent_index.get(target)
        if p is None or e is None:
            continue
        role = str(d.get("role") or "")
        r = role_index.get(role)
        if r is None:
            r = role_index[role] = len(t.roles)
            t.roles.append(role)
        t.l_paper.append(p)
        t.l_ent.append(e)
        t.l_role.append(r)
        surface, field = d.get("surface"), d.get("field")
        if surface and field in ("title", "abstract"):
            t.l_surface.append(t.surfaces.setdefault(str(surface), len(t.surfaces)))
            t.l_field.append(0 if field == "title" else 1)
            start, end = d.get("start"), d.get("end")
            t.l_start.append(start if isinstance(start, int) and start >= 0 else -1)
            t.l_end.append(end if isinstance(end, int) and end >= 0 else -1)
        else:
            t.l_surface.append(-1)
            t.l_field.append(-1)
            t.l_start.append(-1)
            t.l_end.append(-1)
    return t


def _read_text(nodes: NodeStream, t: _Tables, papers: set[int], abstract_chars: int) -> _PaperText:
    """Second pass over the nodes: the displayed text of the listed ``papers`` (and nothing else)."""
    text = _PaperText({}, {}, {})
    for key, d in nodes:
        p = t.paper_index.get(key)
        if p is None or p not in papers:
            continue
        text.title[p] = display_text(str(d.get("title") or d.get("name") or key))
        text.abstract[p] = cut(display_text(str(d.get("abstract") or "")), abstract_chars)
        url = d.get("url")
        text.url[p] = url if isinstance(url, str) and url.startswith(("https://", "http://")) else None
        if len(text.title) == len(papers):
            break  # every listed paper found: the rest of the stream is not needed
    return text


def _highlight(t: _Tables, k: int, text: _PaperText, p: int, surfaces: list[str]) -> tuple[int, int, int] | None:
    """Where link row ``k`` of paper ``p`` sits in its displayed field: (field, start, end), or None."""
    field = t.l_field[k]
    if field < 0:
        return None
    start, end = t.l_start[k], t.l_end[k]
    shown = text.title[p] if field == 0 else text.abstract[p]
    found = mention_span(shown, start if start >= 0 else None, end if end >= 0 else None, surfaces[t.l_surface[k]])
    return (field, found[0], found[1]) if found else None


def build_overview(
    nodes: NodeStream,
    edges: EdgeStream,
    *,
    seed: int = 0,
    options: OverviewOptions | None = None,
    types: list[str] | None = None,
    layout: bool = True,
) -> dict[str, Any]:
    """The overview part of the viewer payload (see the module docstring); no networkx graph needed.

    Keys: ``types`` (entity types), ``n`` (map nodes, columnar), ``e`` (drawn links), ``clusters``,
    ``years`` ([first, last] or None), ``P`` (the papers listed in panels), ``xn`` (entities off the map:
    the ``off_map`` best-supported ones, searchable, then any a listed paper links to; with their papers,
    first year and the map entities they share most papers with), ``roles``, ``aliases``, ``stats``,
    ``layoutSeconds``.
    ``layout=False`` skips clustering and layout (every cluster -1, every position 0): the full
    view uses the rest (papers per year, co-occurring entities, spellings) for its panels.
    """
    import numpy as np

    o = options or OverviewOptions()
    types = types or entity_types()
    nodes = _restartable(nodes)
    t = _read(nodes, edges, types)
    n_ent = len(t.ent_key)
    lp = np.frombuffer(t.l_paper, dtype=np.int32) if len(t.l_paper) else np.zeros(0, np.int32)
    le = np.frombuffer(t.l_ent, dtype=np.int32) if len(t.l_ent) else np.zeros(0, np.int32)
    lr = np.frombuffer(t.l_role, dtype=np.int8) if len(t.l_role) else np.zeros(0, np.int8)
    # one link per (paper, entity): a stream may carry two relationship types for one pair
    if len(lp):
        pair = lp.astype(np.int64) * max(n_ent, 1) + le
        strong = np.array([r in _STRONG_ROLES for r in t.roles])[lr]
        order = np.lexsort((~strong, pair))  # by pair, the strongest role first
        keep = order[np.concatenate(([True], pair[order][1:] != pair[order][:-1]))]
        keep.sort()
    else:
        keep = np.zeros(0, np.int64)
    le_all = le
    lp, le, lr = lp[keep], le[keep], lr[keep]
    pc = np.bincount(le, minlength=n_ent)

    # ---- the map's entities: best supported first, ties by key (stable across runs)
    ranked = sorted((i for i in range(n_ent) if pc[i] >= max(1, o.min_papers)), key=lambda i: (-pc[i], t.ent_key[i]))
    chosen = ranked[: o.entities]

    pyear = np.frombuffer(t.paper_year, dtype=np.int32) if len(t.paper_year) else np.zeros(0, np.int32)
    dated = pyear[pyear >= 0]
    years = [int(dated.min()), int(dated.max())] if len(dated) else None
    y0 = years[0] if years else 0
    n_years = years[1] - years[0] + 1 if years else 0
    ly = pyear[lp] if len(lp) else np.zeros(0, np.int32)

    M, m_of, lm, on_map, co_counts = _cooccurrence(chosen, n_ent, le, lp, ly, y0, n_years)
    if layout:
        # like VOSviewer, the map shows linked entities only: an entity sharing too few papers
        # with every other one would float alone; the next best-supported take its place
        linked_ents = _linked(co_counts, M, o.min_shared)
        if len(linked_ents) < M:
            pool = ranked[: o.entities * 2]
            M2, _, _, _, co2 = _cooccurrence(pool, n_ent, le, lp, ly, y0, n_years)
            chosen = [pool[j] for j in sorted(_linked(co2, M2, o.min_shared))][: o.entities]
            M, m_of, lm, on_map, co_counts = _cooccurrence(chosen, n_ent, le, lp, ly, y0, n_years)
    pair_of, year_of, cnt, pairs, first, c_total = co_counts

    # ---- papers per year of each map entity
    yh: list[list[int]] = [[] for _ in range(M)]
    if years:
        sel = on_map & (ly >= 0)
        codes = lm[sel] * n_years + (ly[sel] - y0)
        uniq, ycnt = np.unique(codes, return_counts=True)
        for code, c in zip(uniq.tolist(), ycnt.tolist(), strict=True):
            yh[code // n_years] += [code % n_years, c]

    pa, pb = pairs // max(M, 1), pairs % max(M, 1)
    w = np.bincount(pa, weights=c_total, minlength=M) + np.bincount(pb, weights=c_total, minlength=M)
    m_total = w.sum() / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        strength = np.where(w[pa] * w[pb] > 0, 2 * m_total * c_total / (w[pa] * w[pb]), 0.0)
    linked = c_total >= max(1, o.min_shared)

    # ---- clusters and layout
    t0 = time.perf_counter()
    la, lb, ls = pa[linked].tolist(), pb[linked].tolist(), strength[linked].tolist()
    if layout:
        cluster = _clusters(M, la, lb, ls, o.resolution, seed)
        coords = _cluster_layout(M, la, lb, ls, cluster, pc[chosen].tolist(), seed, o.extent)
    else:
        cluster, coords = [-1] * M, [(0.0, 0.0)] * M
    layout_seconds = time.perf_counter() - t0

    # ---- drawn links: every entity's strongest few, with their per-year counts
    best: set[int] = set()
    idx_linked = np.flatnonzero(linked)
    if len(idx_linked):
        for side in (pa, pb):
            s_side = side[idx_linked]
            o_ = np.lexsort((-strength[idx_linked], s_side))
            best.update(idx_linked[o_[_rank_in_group(s_side[o_]) < o.links_per_entity]].tolist())
    drawn = sorted(best, key=lambda k: (int(pa[k]), int(pb[k])))
    e_yh: list[list[int]] = []
    for k in drawn:
        lo = first[k]
        hi = first[k + 1] if k + 1 < len(first) else len(pair_of)
        row: list[int] = []
        for j in range(lo, hi):
            if year_of[j] < n_years:
                row += [int(year_of[j]), int(cnt[j])]
        e_yh.append(row)

    # ---- top co-occurring entities (by shared papers)
    co: list[list[int]] = [[] for _ in range(M)]
    if len(pairs):
        for side, other in ((pa, pb), (pb, pa)):
            o_ = np.lexsort((other, -c_total, side))
            for k in o_[_rank_in_group(side[o_]) < o.co_entities].tolist():
                co[int(side[k])].append(int(other[k]))
                co[int(side[k])].append(int(c_total[k]))
        for i in range(M):  # side a then side b were appended: re-sort by count
            items = sorted(zip(co[i][::2], co[i][1::2], strict=True), key=lambda x: (-x[1], x[0]))[: o.co_entities]
            co[i] = [v for item in items for v in item]

    # ---- each map entity's listed papers: the oldest papers proposing/introducing it (where it
    # comes from; a third of the list at most), then the newest papers of any role
    strong_arr = np.array([r in _STRONG_ROLES for r in t.roles])[lr] if len(lr) else np.zeros(0, bool)
    sel = np.flatnonzero(on_map)
    oldest_first = np.where(ly >= 0, ly, 10**6)  # undated papers last
    origin = sel[strong_arr[sel]]
    origin = origin[np.lexsort((lp[origin], oldest_first[origin], lm[origin]))]
    origin = origin[_rank_in_group(lm[origin]) < o.papers_per_entity // 3]
    taken = np.zeros(len(lp), bool)
    taken[origin] = True
    quota = o.papers_per_entity - np.bincount(lm[origin], minlength=M)
    recent = sel[~taken[sel]]
    recent = recent[np.lexsort((lp[recent], -ly[recent], lm[recent]))]
    recent = recent[_rank_in_group(lm[recent]) < quota[lm[recent]]]
    paper_rows: dict[int, int] = {}
    pp: list[list[int]] = [[] for _ in range(M)]
    pp_role: list[list[int]] = [[] for _ in range(M)]
    for k in origin.tolist() + recent.tolist():
        p = int(lp[k])
        row = paper_rows.setdefault(p, len(paper_rows))
        pp[int(lm[k])].append(row)
        pp_role[int(lm[k])].append(int(lr[k]))

    # ---- the listed papers: their links (map entities by index, others by a name table) and highlights
    papers_sorted = sorted(paper_rows, key=paper_rows.__getitem__)
    by_paper = np.argsort(lp, kind="stable")
    lp_sorted = lp[by_paper]
    # entities off the map: the best-supported ones (searchable), then any a listed paper links to
    xn_index: dict[int, int] = {}
    if layout:
        for e in ranked:
            if len(xn_index) >= o.off_map:
                break
            if m_of[e] < 0:
                xn_index[e] = len(xn_index)
    text = _read_text(nodes, t, set(papers_sorted), o.abstract_chars) if papers_sorted else _PaperText({}, {}, {})
    surface_names = list(t.surfaces)
    P: dict[str, list[Any]] = {"key": [], "title": [], "year": [], "url": [], "abs": [], "ents": [], "hl": []}
    # every listed paper's link range at once, searched with the links' own dtype: a Python list per call
    # made numpy convert all of lp_sorted each time (0.4 ms a paper at 157k papers, 13k papers listed)
    wanted = np.asarray(papers_sorted, dtype=lp_sorted.dtype)
    los = np.searchsorted(lp_sorted, wanted, side="left").tolist()
    his = np.searchsorted(lp_sorted, wanted + 1, side="left").tolist()
    for p, lo, hi in zip(papers_sorted, los, his, strict=True):
        ents: list[int] = []
        spans: list[list[int]] = []
        for k in sorted(by_paper[lo:hi].tolist(), key=lambda k: (-pc[le[k]], t.ent_key[le[k]])):
            e = int(le[k])
            ref = int(m_of[e])
            if ref < 0:
                ref = -1 - xn_index.setdefault(e, len(xn_index))
            ents += [ref, int(lr[k])]
            span = _highlight(t, int(keep[k]), text, p, surface_names)
            if span:
                spans.append([*span, ref])
        P["key"].append(t.paper_key[p])
        P["title"].append(text.title[p])
        P["year"].append(int(pyear[p]) if pyear[p] >= 0 else None)
        P["url"].append(text.url[p])
        P["abs"].append(text.abstract[p])
        P["ents"].append(ents)
        P["hl"].append(without_overlaps(spans))
    xn_sorted = sorted(xn_index, key=xn_index.__getitem__)
    xn = _off_map_facts(xn_sorted, lp, le, ly, lm, M, pc, o.co_entities // 2)

    # ---- aliases: distinct spellings, most frequent first
    surf_by_ent = _surfaces_of(m_of, le_all, np.frombuffer(t.l_surface, dtype=np.int32), t.surfaces)
    aliases = {}
    for m, e in enumerate(chosen):
        spellings = distinct_spellings(t.ent_name[e], surf_by_ent.get(e, {}), t.ent_known[e])
        if spellings:
            aliases[str(m)] = spellings

    return {
        "types": types,
        "years": years,
        "roles": t.roles,
        "n": {
            "key": [t.ent_key[e] for e in chosen],
            "t": [types.index(t.ent_type[e]) for e in chosen],
            "name": [t.ent_name[e] for e in chosen],
            "x": [c[0] for c in coords],
            "y": [c[1] for c in coords],
            "pc": [int(pc[e]) for e in chosen],
            "cl": cluster,
            "yh": yh,
            "co": co,
            "pp": pp,
            "ppr": pp_role,
        },
        "e": {
            "s": [int(pa[k]) for k in drawn],
            "t": [int(pb[k]) for k in drawn],
            "w": [int(c_total[k]) for k in drawn],
            "a": [round(float(strength[k]), 3) for k in drawn],
            "yh": e_yh,
        },
        "clusters": _cluster_summary(cluster, [t.ent_name[e] for e in chosen], pc[chosen].tolist()),
        "P": P,
        "xn": {
            "key": [t.ent_key[e] for e in xn_sorted],
            "name": [t.ent_name[e] for e in xn_sorted],
            "t": [types.index(t.ent_type[e]) for e in xn_sorted],
            **xn,
        },
        "aliases": aliases,
        "stats": {
            "papers": len(t.paper_key),
            "entities": n_ent,
            "linkedEntities": int((pc > 0).sum()),
            "links": len(lp),
            "pairs": int(linked.sum()),
        },
        "layoutSeconds": round(layout_seconds, 3),
    }



def _surfaces_of(m_of: Any, le: Any, ls: Any, surfaces: dict[str, int]) -> dict[int, dict[str, int]]:
    """Each map entity's surface forms → links, in the order the stream first showed each pair."""
    import numpy as np

    sel = (ls >= 0) & (m_of[le] >= 0) if len(ls) else np.zeros(0, bool)
    if not sel.any():
        return {}
    n_surf = len(surfaces)
    codes = le[sel].astype(np.int64) * n_surf + ls[sel]
    uniq, first, counts = np.unique(codes, return_index=True, return_counts=True)
    names = list(surfaces)
    out: dict[int, dict[str, int]] = {}
    for j in np.argsort(first, kind="stable").tolist():
        e, s = divmod(int(uniq[j]), n_surf)
        out.setdefault(e, {})[names[s]] = int(counts[j])
    return out


def _cooccurrence(chosen: list[int], n_ent: int, le: Any, lp: Any, ly: Any, y0: int, n_years: int) -> tuple:
    """Shared papers of every pair of ``chosen`` entities, per year (index ``n_years``: no year).

    Returns (M, map index of each entity (-1: off the map), map index of each link, links on the
    map, (pair-year codes' pair, year, count; distinct pairs, their first code, their total)).
    """
    import numpy as np

    M = len(chosen)
    m_of = np.full(n_ent, -1, dtype=np.int64)
    m_of[chosen] = np.arange(M)
    lm = m_of[le]
    on_map = lm >= 0
    order = np.argsort(lp[on_map], kind="stable")
    mp, mm, my = lp[on_map][order], lm[on_map][order], ly[on_map][order]
    yslot = n_years + 1
    codes_arr = array("q")
    if len(mp):
        bounds = np.flatnonzero(np.diff(mp)) + 1
        starts = np.concatenate(([0], bounds)).tolist()
        ends = np.concatenate((bounds, [len(mp)])).tolist()
        mml, myl = mm.tolist(), my.tolist()
        for s, e in zip(starts, ends, strict=True):
            if e - s < 2:
                continue
            y = myl[s] - y0 if myl[s] >= 0 else n_years
            members = sorted(mml[s:e])
            for a, b in combinations(members, 2):
                codes_arr.append((a * M + b) * yslot + y)
    if len(codes_arr):
        uniq, cnt = np.unique(np.frombuffer(codes_arr, dtype=np.int64), return_counts=True)
        pair_of = uniq // yslot
        year_of = uniq % yslot
        pairs, first = np.unique(pair_of, return_index=True)
        c_total = np.add.reduceat(cnt, first)
    else:
        pair_of = year_of = pairs = first = c_total = cnt = np.zeros(0, np.int64)
    return M, m_of, lm, on_map, (pair_of, year_of, cnt, pairs, first, c_total)


def _rank_in_group(grouped: Any) -> Any:
    """For a sorted array of group ids, each element's position within its group (0, 1, 2, …)."""
    import numpy as np

    return np.arange(len(grouped)) - np.searchsorted(grouped, grouped, side="left")


def _linked(co_counts: tuple, M: int, min_shared: int) -> set[int]:
    """Map indices of the entities with at least one link (``min_shared`` papers with another)."""
    pairs, c_total = co_counts[3], co_counts[5]
    strong = pairs[c_total >= max(1, min_shared)]
    return set((strong // max(M, 1)).tolist()) | set((strong % max(M, 1)).tolist())


def _off_map_facts(ents: list[int], lp: Any, le: Any, ly: Any, lm: Any, M: int, pc: Any, top: int) -> dict[str, list]:
    """For entities off the map: papers, first year, and the map entities they share most papers with
    (``co``: ``[map index, shared papers, ...]``, at most ``top`` pairs) — where they would sit on it."""
    import numpy as np

    X = len(ents)
    if X == 0:
        return {"pc": [], "fy": [], "co": []}
    x_of = np.full(len(pc), -1, dtype=np.int64)
    x_of[ents] = np.arange(X)
    lx = x_of[le]
    first = np.full(X, 1 << 30, dtype=np.int64)
    dated = (lx >= 0) & (ly >= 0)
    np.minimum.at(first, lx[dated], ly[dated])
    # shared papers with map entities: per paper, each off-map entity × each map entity
    keep = (lx >= 0) | (lm >= 0)
    order = np.argsort(lp[keep], kind="stable")
    kp, kx, km = lp[keep][order], lx[keep][order], lm[keep][order]
    codes = array("q")
    if len(kp):
        bounds = np.flatnonzero(np.diff(kp)) + 1
        starts = np.concatenate(([0], bounds)).tolist()
        ends = np.concatenate((bounds, [len(kp)])).tolist()
        kxl, kml = kx.tolist(), km.tolist()
        for s, e in zip(starts, ends, strict=True):
            xs = [x for x in kxl[s:e] if x >= 0]
            ms = [m for m in kml[s:e] if m >= 0]
            for x in xs:
                for m in ms:
                    codes.append(x * M + m)
    co: list[list[int]] = [[] for _ in range(X)]
    if len(codes):
        uniq, cnt = np.unique(np.frombuffer(codes, dtype=np.int64), return_counts=True)
        ux, um = uniq // M, uniq % M
        o_ = np.lexsort((um, -cnt, ux))
        for k in o_[_rank_in_group(ux[o_]) < top].tolist():
            co[int(ux[k])] += [int(um[k]), int(cnt[k])]
    return {
        "pc": [int(pc[e]) for e in ents],
        "fy": [int(f) if f < (1 << 30) else None for f in first.tolist()],
        "co": co,
    }

def without_overlaps(spans: list[list[int]]) -> list[list[int]]:
    """Highlight spans ``[field, start, end, target]`` sorted, the later of two overlapping ones dropped."""
    kept: list[list[int]] = []
    for span in sorted(spans, key=lambda s: (s[0], s[1], -s[2])):
        if kept and kept[-1][0] == span[0] and span[1] < kept[-1][2]:
            continue
        kept.append(span)
    return kept


class _PinnedRandom:
    """igraph draws from Python's ``random``: pin it so that a graph always gets the same picture."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __enter__(self) -> None:
        self.state = random.getstate()
        random.seed(self.seed)

    def __exit__(self, *exc: object) -> None:
        random.setstate(self.state)


def _clusters(n: int, a: list[int], b: list[int], w: list[float], resolution: float, seed: int) -> list[int]:
    """Leiden clusters (modularity, association-strength weights), numbered by size (0 = largest).

    Entities without any link form no cluster: -1.
    """
    if n == 0:
        return []
    import igraph

    g = igraph.Graph(n=n, edges=list(zip(a, b, strict=True)), directed=False)
    with _PinnedRandom(seed):
        parts = g.community_leiden(
            objective_function="modularity", weights=w or None, resolution=resolution, n_iterations=-1
        )
    membership = parts.membership
    degree = g.degree()
    sizes: dict[int, int] = {}
    for i, c in enumerate(membership):
        if degree[i]:
            sizes[c] = sizes.get(c, 0) + 1
    ranked = sorted(sizes, key=lambda c: (-sizes[c], min(i for i, m in enumerate(membership) if m == c)))
    number = {c: j for j, c in enumerate(ranked)}
    return [number[c] if degree[i] else -1 for i, c in enumerate(membership)]


def _cluster_summary(cluster: list[int], names: list[str], support: list[int]) -> dict[str, list[Any]]:
    """Per cluster: size and the names of its three best-supported members (the legend's label)."""
    count = max(cluster, default=-1) + 1
    members: list[list[int]] = [[] for _ in range(count)]
    for i, c in enumerate(cluster):
        if c >= 0:
            members[c].append(i)
    top = [sorted(m, key=lambda i: -support[i])[:3] for m in members]
    return {"size": [len(m) for m in members], "top": [[names[i] for i in tops] for tops in top]}


def _fr(n: int, edges: list[tuple[int, int]], weights: list[float] | None, seed: int) -> list[tuple[float, float]]:
    import igraph

    if n == 1:
        return [(0.0, 0.0)]
    g = igraph.Graph(n=n, edges=edges, directed=False)
    with _PinnedRandom(seed):
        layout = g.layout_fruchterman_reingold(weights=weights, niter=500 if n < 2000 else 200)
    return [(float(x), float(y)) for x, y in layout.coords]


def _cluster_layout(
    n: int, a: list[int], b: list[int], w: list[float], cluster: list[int], support: list[int], seed: int,
    extent: float,
) -> list[tuple[float, float]]:  # fmt: skip
    """Positions: one disc per cluster (area ∝ members), members laid out inside their disc."""
    if n == 0:
        return []
    groups: dict[int, list[int]] = {}
    for i, c in enumerate(cluster):
        groups.setdefault(c, []).append(i)
    # unlinked entities (-1) share one group of their own, placed like a cluster without links
    gid = sorted(groups)
    gpos = {c: j for j, c in enumerate(gid)}
    # the cluster graph: summed association strength between clusters
    between: dict[tuple[int, int], float] = {}
    for u, v, s in zip(a, b, w, strict=True):
        cu, cv = gpos[cluster[u]], gpos[cluster[v]]
        if cu != cv:
            k = (min(cu, cv), max(cu, cv))
            between[k] = between.get(k, 0.0) + s
    cedges = sorted(between)
    centres = _fr(len(gid), cedges, [between[k] for k in cedges] or None, seed) if len(gid) > 1 else [(0.0, 0.0)]
    radius = [math.sqrt(len(groups[c])) for c in gid]
    centres = _separate(centres, radius)
    # members inside their disc
    local_edges: dict[int, list[tuple[int, int, float]]] = {}
    for u, v, s in zip(a, b, w, strict=True):
        if cluster[u] == cluster[v]:
            local_edges.setdefault(cluster[u], []).append((u, v, s))
    coords: list[tuple[float, float]] = [(0.0, 0.0)] * n
    for j, c in enumerate(gid):
        members = groups[c]
        local = {m: k for k, m in enumerate(members)}
        es = local_edges.get(c, [])
        pos = _fr(len(members), [(local[u], local[v]) for u, v, _ in es], [s for *_, s in es] or None, seed + j)
        cx = sum(p[0] for p in pos) / len(pos)
        cy = sum(p[1] for p in pos) / len(pos)
        far = max((math.hypot(p[0] - cx, p[1] - cy) for p in pos), default=0.0) or 1.0
        k = radius[j] * 0.92 / far
        spread = _spread([((p[0] - cx) * k, (p[1] - cy) * k) for p in pos], radius[j])
        for m, p in zip(members, spread, strict=True):
            coords[m] = (centres[j][0] + p[0], centres[j][1] + p[1])
    # scale into [-extent, extent]
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    mx, my = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    s = extent / half
    return [(round((x - mx) * s, 1), round((y - my) * s, 1)) for x, y in coords]


def _spread(pos: list[tuple[float, float]], radius: float, rounds: int = 60) -> list[tuple[float, float]]:
    """Push members of one disc apart until none is closer than a fair share of the disc allows.

    Fruchterman–Reingold packs a cluster's hubs and their satellites into a few pixels; with
    ``len(pos)`` members in a disc of this radius, an even spread leaves about
    ``radius * sqrt(pi / len(pos))`` between neighbours, and each pair is kept at least 0.75 of that
    apart (vectorized: clusters have hundreds of members at most).
    """
    import numpy as np

    n = len(pos)
    if n < 2:
        return pos
    p = np.array(pos, dtype=float)
    need = 0.75 * radius * math.sqrt(math.pi / n)
    for _ in range(rounds):
        d = p[:, None, :] - p[None, :, :]
        dist = np.sqrt((d**2).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        close = dist < need
        if not close.any():
            break
        # identical points get a fixed direction (by index), others move along their difference
        safe = np.where(dist < 1e-9, 1.0, dist)
        apart = np.sign(np.arange(n)[:, None] - np.arange(n)[None, :])[:, :, None] * np.array([1.0, 0.0])
        unit = np.where((dist < 1e-9)[:, :, None], apart, d / safe[:, :, None])
        push = np.where(close, (need - np.minimum(dist, need)) / 2, 0.0)
        p += (unit * push[:, :, None]).sum(axis=1)
        # stay inside the disc (a little room is allowed for the push)
        r = np.sqrt((p**2).sum(axis=1))
        over = r > radius * 1.1
        p[over] *= (radius * 1.1 / r[over])[:, None]
    return [(float(x), float(y)) for x, y in p]


def _separate(centres: list[tuple[float, float]], radius: list[float]) -> list[tuple[float, float]]:
    """Scale the cluster graph's layout to the discs' size, then push overlapping discs apart."""
    n = len(centres)
    if n <= 1:
        return [(0.0, 0.0)] * n
    # first: spread the FR layout so that its typical spacing matches the discs
    dists = [math.hypot(centres[i][0] - centres[j][0], centres[i][1] - centres[j][1])
             for i in range(n) for j in range(i + 1, n)]  # fmt: skip
    dists.sort()
    typical = dists[len(dists) // 4] or 1.0
    k = 2 * sorted(radius)[n // 2] / typical
    pos = [[x * k, y * k] for x, y in centres]
    gap = 0.08 * max(radius)

    def push_apart() -> bool:
        moved = False
        for i in range(n):
            for j in range(i + 1, n):
                dx, dy = pos[j][0] - pos[i][0], pos[j][1] - pos[i][1]
                d = math.hypot(dx, dy)
                need = radius[i] + radius[j] + gap
                if d < need:
                    if d < 1e-9:
                        dx, dy, d = 1.0, 0.0, 1.0
                    push = (need - d) / 2 + 1e-6
                    ux, uy = dx / d, dy / d
                    pos[i][0] -= ux * push
                    pos[i][1] -= uy * push
                    pos[j][0] += ux * push
                    pos[j][1] += uy * push
                    moved = True
        return moved

    for _ in range(300):
        if not push_apart():
            break
        # a little gravity keeps the picture compact while discs make room for each other
        cx = sum(p[0] for p in pos) / n
        cy = sum(p[1] for p in pos) / n
        for p in pos:
            p[0] -= (p[0] - cx) * 0.02
            p[1] -= (p[1] - cy) * 0.02
    for _ in range(1000):  # no gravity at the end: no two discs overlap
        if not push_apart():
            break
    return [(p[0], p[1]) for p in pos]
