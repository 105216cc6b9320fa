"""The interactive viewer: one self-contained, offline HTML file per graph.

Two kinds of page, one app (``viz/``: template, CSS, the scripts listed in ``_APP_SCRIPTS``):

* the **overview map** (default above ``overview_above_nodes`` nodes, theme.json): the
  best-supported entities linked by co-occurrence, clustered, papers on demand
  (:mod:`graphbuild.overview`); built from node/edge streams, so a build of any size can write it;
* the **full graph** (smaller graphs, ``paperkg view --full``, selections): every paper and entity,
  laid out here with igraph's Fruchterman–Reingold, so the browser draws at once.

Both are drawn by sigma.js + graphology (``viz/vendor/``) unless vis-network (pyvis) is asked for.
Labels are the page's own (``viz/labels.js``): sized by weight, placed largest first, never
overlapping.

Safety: corpus text only travels inside ``<script type="application/json">`` blocks with ``<``,
``>`` and ``&`` escaped, the page builds its DOM with ``textContent``, and a
Content-Security-Policy that allows only the page's own inline scripts (by hash) and no network
source at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
import random
import re
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from graphbuild.assets import viz_dir
from graphbuild.errors import ConfigError
from graphbuild.model import LABELS
from graphbuild.overview import (
    OverviewOptions,
    build_overview,
    display_text,
    entity_types,
    graph_streams,
    mention_span,
    without_overlaps,
)
from graphbuild.schema import load_schema

__all__ = [
    "MODES",
    "RENDERERS",
    "ViewReport",
    "build_html",
    "choose_mode",
    "choose_renderer",
    "display_text",
    "load_theme",
    "mention_span",
    "overview_data",
    "render_overview",
    "render_view",
    "script_json",
    "view_data",
]

log = logging.getLogger(__name__)

Renderer = Literal["auto", "pyvis", "sigma"]
Mode = Literal["auto", "overview", "full"]
RENDERERS: tuple[str, ...] = ("auto", "pyvis", "sigma")
MODES: tuple[str, ...] = ("auto", "overview", "full")
VIS_LIB = "lib/vis-9.1.2/vis-network.min.js"  # the vis-network build pyvis 0.3.2 ships
SIGMA_LIB = "vendor/sigma-graphology.min.js"
# concatenated in this order into the page's one app script
_APP_SCRIPTS = ("renderers.js", "labels.js", "chart.js", "app.js")
_LABEL_TYPE = {label: etype for etype, label in LABELS.items()}
_MARKER = re.compile(r"@@PAPERKG_([A-Z_]+)@@")


@dataclass(frozen=True)
class ViewReport:
    """What :func:`render_view` / :func:`render_overview` wrote."""

    path: Path
    renderer: str  # "pyvis" or "sigma"
    nodes: int  # nodes drawn
    edges: int  # links in the payload
    size_bytes: int
    layout_seconds: float
    build_seconds: float
    links_shown: bool = True  # False: the page opens with links hidden (too many to draw each frame)
    mode: str = "full"  # "full" or "overview"
    graph_nodes: int = 0  # nodes of the graph the page was made from


def load_theme() -> dict[str, Any]:
    return json.loads((viz_dir() / "theme.json").read_text(encoding="utf-8"))


def choose_renderer(n_nodes: int, requested: str = "auto", theme: dict[str, Any] | None = None) -> str:
    """``sigma`` unless asked otherwise: it is interactive sooner than vis-network at every size we measured."""
    if requested not in RENDERERS:
        raise ConfigError(f"unknown renderer {requested!r}; choose one of {', '.join(RENDERERS)}")
    return "sigma" if requested == "auto" else requested


def choose_mode(n_nodes: int, requested: str = "auto", theme: dict[str, Any] | None = None) -> str:
    """``overview`` above the theme's ``overview_above_nodes``, ``full`` up to it (unless asked)."""
    if requested not in MODES:
        raise ConfigError(f"unknown view mode {requested!r}; choose one of {', '.join(MODES)}")
    if requested != "auto":
        return requested
    return "overview" if n_nodes > int((theme or load_theme())["overview_above_nodes"]) else "full"


def script_json(obj: Any) -> str:
    """JSON that is inert inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where their ``\\uXXXX``
    forms parse to the same text, so ``</script>`` can never close the block.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _iterations(n: int) -> int:
    # FR cost grows with n per iteration; big graphs settle into their clusters early enough
    return 500 if n <= 2000 else 300 if n <= 8000 else 150


def compute_layout(n: int, pairs: list[tuple[int, int]], seed: int = 0) -> list[tuple[float, float]]:
    """Fruchterman–Reingold positions (igraph), deterministic for a seed."""
    if n == 0:
        return []
    import igraph

    ig = igraph.Graph(n=n, edges=pairs, directed=False)
    # igraph draws its start positions from Python's `random` module; pin it so a graph
    # always gets the same picture. (Passing start positions instead is ~100x slower:
    # the grid variant of FR expects igraph's own sqrt(n)-wide start square.)
    state = random.getstate()
    random.seed(seed)
    try:
        layout = ig.layout_fruchterman_reingold(niter=_iterations(n), grid="auto")
    finally:
        random.setstate(state)
    return [(float(x), float(y)) for x, y in layout.coords]


def _scale(coords: list[tuple[float, float]], extent: float) -> list[tuple[float, float]]:
    if not coords:
        return []
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    k = extent / half
    return [(round((x - cx) * k, 1), round((y - cy) * k, 1)) for x, y in coords]


def node_sizes(support: list[int], is_paper: list[bool], theme: Mapping[str, Any]) -> list[float]:
    """Disc sizes: papers fixed, entities by the square root of their support (as the page does)."""
    sz = theme["size"]
    top = max((s for s, p in zip(support, is_paper, strict=True) if not p), default=1) or 1
    return [
        float(sz["paper"])
        if p
        else round(sz["entity_min"] + (sz["entity_max"] - sz["entity_min"]) * math.sqrt(max(s, 0) / top), 1)
        for s, p in zip(support, is_paper, strict=True)
    ]


def _common(theme: Mapping[str, Any], title: str, renderer: str, mode: str) -> dict[str, Any]:
    return {
        "v": 2,
        "mode": mode,
        "title": title,
        "renderer": "vis" if renderer == "pyvis" else "sigma",
        "colors": theme["colors"],
        "clusterColors": theme["cluster_colors"],
        "yearColors": theme["year_colors"],
        "otherColor": theme["other_color"],
        "faded": theme["faded_color"],
        "edgeColor": theme["edge_color"],
        "relaxMax": theme["relax_max_nodes"],
        "size": theme["size"],
        "labels": theme["labels"],
    }


def view_data(
    g: nx.MultiDiGraph, *, title: str = "paperkg", renderer: str = "sigma", focus: str | None = None, seed: int = 0
) -> dict[str, Any]:
    """The full-graph payload: every node, columnar, plus paper texts and per-entity time data.

    Nodes are referred to by index. ``n.t`` indexes ``types``, ``e.r`` indexes
    ``rels``; ``e.ev`` indexes the de-duplicated evidence strings ``ev`` (-1: none).
    ``papers[i].hl`` lists mention spans ``[field, start, end, entity index]``
    (field 0 = title, 1 = abstract) over ``papers[i].title`` / ``abstract``.
    ``n.yh[i]``: papers per year of entity i as ``[year - years[0], count, ...]``;
    ``n.co[i]``: its top co-occurring entities as ``[node index, shared papers, ...]``.
    """
    theme = load_theme()
    types: list[str] = ["paper", *entity_types()]
    schema = load_schema()
    rels = sorted(schema.relationships)
    rel_index = {r: j for j, r in enumerate(rels)}
    roles = {name: spec.role for name, spec in schema.relationships.items()}

    def type_index(k: str) -> int:
        t = _LABEL_TYPE.get(g.nodes[k].get("label", ""), "paper")
        return types.index(t) if t in types else 0

    keys = sorted(g.nodes, key=lambda k: (type_index(k), k))
    index = {k: i for i, k in enumerate(keys)}
    tidx = [type_index(k) for k in keys]

    e_s: list[int] = []
    e_t: list[int] = []
    e_r: list[int] = []
    e_ev: list[int] = []
    ev_strings: list[str] = []
    ev_index: dict[str, int] = {}
    pairs: set[tuple[int, int]] = set()
    degree = [0] * len(keys)
    papers: dict[str, dict[str, Any]] = {}
    for k in keys:
        d = g.nodes[k]
        if d.get("label") == "Paper":
            papers[str(index[k])] = {
                "title": display_text(str(d.get("title") or d.get("name") or "")),
                "abstract": display_text(str(d.get("abstract") or "")),
                "year": d.get("year") if isinstance(d.get("year"), int) else None,
                "url": d.get("url") if str(d.get("url", "")).startswith(("https://", "http://")) else None,
                "hl": [],
            }
    for u, v, rel, d in g.edges(keys=True, data=True):
        s, t = index[u], index[v]
        rel = d.get("type", rel)
        e_s.append(s)
        e_t.append(t)
        e_r.append(rel_index.get(rel, -1))
        ev = d.get("evidence")
        if ev:
            # keyed by the raw sentence: big corpora repeat them, normalizing once is enough
            j = ev_index.get(ev)
            if j is None:
                clean = display_text(str(ev))
                j = ev_index[ev] = ev_index.setdefault(clean, len(ev_strings))
                if j == len(ev_strings):
                    ev_strings.append(clean)
            e_ev.append(j)
        else:
            e_ev.append(-1)
        pairs.add((min(s, t), max(s, t)))
        degree[s] += 1
        degree[t] += 1
        paper = papers.get(str(s))
        field = d.get("field")
        if paper is not None and field in ("title", "abstract"):
            span = mention_span(paper[field], d.get("start"), d.get("end"), d.get("surface"))
            if span:
                paper["hl"].append([0 if field == "title" else 1, span[0], span[1], t])
    for paper in papers.values():
        paper["hl"] = without_overlaps(paper["hl"])

    t0 = time.perf_counter()
    coords = _scale(compute_layout(len(keys), sorted(pairs), seed), float(theme["layout_extent"]))
    layout_seconds = time.perf_counter() - t0

    is_paper = [types[t] == "paper" for t in tidx]
    support = [int(g.nodes[k].get("paper_count", 0)) if not is_paper[i] else degree[i] for i, k in enumerate(keys)]
    # time and co-occurrence of every entity: the overview's numbers, without its layout
    facts = build_overview(
        *graph_streams(g),
        options=OverviewOptions(entities=len(keys), min_papers=1, papers_per_entity=0, abstract_chars=0),
        types=types[1:],
        layout=False,
    )
    fk = facts["n"]["key"]
    yh: list[list[int] | None] = [None] * len(keys)
    co: list[list[int]] = [[] for _ in keys]
    aliases: dict[str, list[str]] = {}
    for j, k in enumerate(fk):
        i = index[k]
        yh[i] = facts["n"]["yh"][j]
        pairs_co = facts["n"]["co"][j]
        co[i] = [index[fk[x]] if m % 2 == 0 else x for m, x in enumerate(pairs_co)]
        if str(j) in facts["aliases"]:
            aliases[str(i)] = facts["aliases"][str(j)]
    return {
        **_common(theme, title, renderer, "full"),
        "types": types,
        "rels": rels,
        "roles": [roles.get(r) or "" for r in rels],
        "linksOn": len(pairs) <= int(theme["links_shown_max"]),
        "years": facts["years"],
        "n": {
            "key": keys,
            "t": tidx,
            "name": [str(g.nodes[k].get("name") or k) for k in keys],
            "x": [c[0] for c in coords],
            "y": [c[1] for c in coords],
            "s": node_sizes(support, is_paper, theme),
            "pc": support,
            "yh": yh,
            "co": co,
        },
        "aliases": aliases,
        "papers": papers,
        "e": {"s": e_s, "t": e_t, "r": e_r, "ev": e_ev},
        "ev": ev_strings,
        "focus": focus if focus in index else None,
        "layoutSeconds": round(layout_seconds, 3),
    }


def overview_data(
    nodes: Iterable[tuple[str, Mapping[str, Any]]],
    edges: Iterable[tuple[str, str, str, Mapping[str, Any]]],
    *,
    title: str = "paperkg",
    renderer: str = "sigma",
    focus: str | None = None,
    seed: int = 0,
    options: OverviewOptions | None = None,
) -> dict[str, Any]:
    """The overview payload (see :func:`graphbuild.overview.build_overview`) plus the page's settings."""
    theme = load_theme()
    o = options or OverviewOptions.from_theme(theme)
    data = build_overview(nodes, edges, seed=seed, options=o)
    n = data["n"]
    n["s"] = node_sizes(n["pc"], [False] * len(n["pc"]), theme)
    keys = set(n["key"]) | set(data["P"]["key"])
    return {
        **_common(theme, title, renderer, "overview"),
        **data,
        "linksOn": len(data["e"]["s"]) <= int(theme["links_shown_max"]),
        "focus": focus if focus in keys else None,
    }


def _vis_network(data: dict[str, Any]) -> Any:
    """A pyvis Network holding the drawable part only (ids, positions, colours).

    ``net.nodes``/``net.edges`` are filled directly (``add_node`` is quadratic,
    ``from_nx`` mutates its input) and carry no corpus text: labels and details
    come from the escaped payload, and pyvis ``title`` HTML is never used.
    """
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=False, notebook=False, cdn_resources="in_line")
    n = data["n"]
    colors = data["colors"]
    net.nodes = [
        {"id": i, "x": n["x"][i], "y": n["y"][i], "size": n["s"][i], "color": colors[data["types"][n["t"][i]]]}
        for i in range(len(n["key"]))
    ]
    seen: set[tuple[int, int]] = set()
    edges = []
    for k, (s, t) in enumerate(zip(data["e"]["s"], data["e"]["t"], strict=True)):
        if (s, t) not in seen:
            seen.add((s, t))
            edges.append({"id": len(edges), "from": s, "to": t, "k": k})  # k: its first payload link
    net.edges = edges
    net.options = {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "hideEdgesOnDrag": len(edges) > 4000, "tooltipDelay": 10**9},
        "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 14, "face": "sans-serif"}},
        "edges": {"color": {"color": data["edgeColor"], "inherit": False}, "smooth": False, "width": 0.6},
    }
    return net


def _template_env() -> Any:
    from jinja2 import Environment, FileSystemLoader

    return Environment(loader=FileSystemLoader(str(viz_dir())), autoescape=True)


def _check_offline(skeleton: str) -> None:
    """No element of the page may point at the network (pyvis's own template links CDNs)."""
    bad = re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", skeleton, re.IGNORECASE)
    if bad:
        raise RuntimeError(f"viewer template references an external resource: {bad.group(0)!r}")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def _inline_script(js: str) -> str:
    # a literal "</script" inside a library string would end the element early
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


def page_html(data: dict[str, Any], renderer: str) -> str:
    """The page for a payload (``view_data`` or ``overview_data``), everything inlined."""
    vdir = viz_dir()
    title = str(data["title"])
    if renderer == "pyvis":
        net = _vis_network(data)
        net.heading = title
        net.set_template_dir(str(vdir) + "/", "template.html")
        net.templateEnv = _template_env()
        skeleton = net.generate_html(name="view.html")
        import pyvis

        lib = (Path(pyvis.__file__).parent / "templates" / VIS_LIB).read_text(encoding="utf-8")
    else:
        skeleton = _template_env().get_template("template.html").render(heading=title, nodes=[], edges=[], options="{}")
        lib = (vdir / SIGMA_LIB).read_text(encoding="utf-8")
    _check_offline(skeleton)
    app = "\n".join((vdir / name).read_text(encoding="utf-8") for name in _APP_SCRIPTS)
    scripts = {"VENDOR_JS": _inline_script(lib), "APP_JS": _inline_script(app)}
    parts = {
        **scripts,
        "CSS": (vdir / "viewer.css").read_text(encoding="utf-8").replace("</", "<\\/"),
        # timings stay out of the page: the same graph always gives the same bytes
        "DATA": script_json({k: v for k, v in data.items() if k != "layoutSeconds"}),
        "CSP": "default-src 'none'; script-src "
        + " ".join(_csp_hash(s) for s in scripts.values())
        + "; style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'",
    }
    return _MARKER.sub(lambda m: parts[m.group(1)], skeleton)


def build_html(
    g: nx.MultiDiGraph,
    *,
    renderer: str = "auto",
    title: str = "paperkg",
    focus: str | None = None,
    seed: int = 0,
    mode: str = "auto",
    options: OverviewOptions | None = None,
) -> tuple[str, str, dict[str, Any]]:
    """The page text, the renderer used and the payload (no file written)."""
    theme = load_theme()
    chosen = choose_renderer(g.number_of_nodes(), renderer, theme)
    if choose_mode(g.number_of_nodes(), mode, theme) == "overview":
        data = overview_data(
            *graph_streams(g), title=title, renderer=chosen, focus=focus, seed=seed, options=options
        )
    else:
        data = view_data(g, title=title, renderer=chosen, focus=focus, seed=seed)
    return page_html(data, chosen), chosen, data


def _write(html: str, out: Path | str) -> tuple[Path, int]:
    """Write the page (all or nothing: a temporary sibling, then renamed); ``-`` is stdout. Returns (path, bytes)."""
    data = html.encode("utf-8")
    if str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return Path("-"), len(data)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out, len(data)


def _report(out: Path, size: int, chosen: str, data: dict[str, Any], graph_nodes: int, t0: float) -> ViewReport:
    return ViewReport(
        path=out,
        renderer=chosen,
        nodes=len(data["n"]["key"]),
        edges=len(data["e"]["s"]),
        size_bytes=size,
        layout_seconds=float(data["layoutSeconds"]),
        build_seconds=time.perf_counter() - t0,
        links_shown=bool(data["linksOn"]),
        mode=str(data["mode"]),
        graph_nodes=graph_nodes,
    )


def render_view(
    graph: nx.MultiDiGraph,
    out: Path | str,
    *,
    renderer: Renderer = "auto",
    title: str = "paperkg knowledge graph",
    focus: str | None = None,
    seed: int = 0,
    mode: Mode = "auto",
    options: OverviewOptions | None = None,
) -> ViewReport:
    """Write the viewer for ``graph`` to ``out`` (UTF-8, everything inlined; ``-``: stdout).

    ``mode``: ``overview`` (the entity map), ``full`` (every node) or ``auto`` (overview above the
    theme's ``overview_above_nodes``). ``focus`` is a node key the page opens on when its URL has no
    ``#node=``.
    """
    t0 = time.perf_counter()
    html, chosen, data = build_html(
        graph, renderer=renderer, title=title, focus=focus, seed=seed, mode=mode, options=options
    )
    path, size = _write(html, out)
    report = _report(path, size, chosen, data, graph.number_of_nodes(), t0)
    log.info("viewer written: %s (%s %s, %d nodes)", out, report.mode, chosen, report.nodes)
    return report


def render_overview(
    nodes: Iterable[tuple[str, Mapping[str, Any]]],
    edges: Iterable[tuple[str, str, str, Mapping[str, Any]]],
    out: Path,
    *,
    title: str = "paperkg knowledge graph",
    seed: int = 0,
    focus: str | None = None,
    renderer: Renderer = "auto",
    options: OverviewOptions | None = None,
) -> ViewReport:
    """Write the overview map from node/edge streams (no networkx graph; see :mod:`graphbuild.overview`)."""
    t0 = time.perf_counter()
    chosen = choose_renderer(0, renderer)
    data = overview_data(nodes, edges, title=title, renderer=chosen, focus=focus, seed=seed, options=options)
    path, size = _write(page_html(data, chosen), out)
    report = _report(path, size, chosen, data, int(data["stats"]["papers"] + data["stats"]["entities"]), t0)
    log.info("overview written: %s (%d entities)", out, report.nodes)
    return report
