"""The interactive viewer: one self-contained, offline HTML file per graph.

The page is built from ``viz/`` (template, CSS, the controls in ``app.js`` and the
renderer adapter in ``renderers.js``) plus one of two inlined renderers:
vis-network through pyvis for small and medium views, sigma.js + graphology
(``viz/vendor/``) for large ones. Layout is computed here with igraph's
Fruchterman–Reingold, so the browser draws at once instead of simulating physics.

Safety: corpus text only travels inside ``<script type="application/json">``
blocks with ``<``, ``>`` and ``&`` escaped, the page builds its DOM with
``textContent``, and a Content-Security-Policy that allows only the page's own
inline scripts (by hash) and no network source at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from graphbuild.assets import viz_dir
from graphbuild.errors import ConfigError
from graphbuild.model import LABELS
from graphbuild.schema import load_schema

log = logging.getLogger(__name__)

Renderer = Literal["auto", "pyvis", "sigma"]
RENDERERS: tuple[str, ...] = ("auto", "pyvis", "sigma")
VIS_LIB = "lib/vis-9.1.2/vis-network.min.js"  # the vis-network build pyvis 0.3.2 ships
SIGMA_LIB = "vendor/sigma-graphology.min.js"
_LABEL_TYPE = {label: etype for etype, label in LABELS.items()}
_MARKER = re.compile(r"@@PAPERKG_([A-Z_]+)@@")


@dataclass(frozen=True)
class ViewReport:
    """What :func:`render_view` wrote."""

    path: Path
    renderer: str  # "pyvis" or "sigma"
    nodes: int
    edges: int
    size_bytes: int
    layout_seconds: float
    build_seconds: float
    links_shown: bool = True  # False: the page opens with links hidden (too many to draw each frame)


def load_theme() -> dict[str, Any]:
    return json.loads((viz_dir() / "theme.json").read_text(encoding="utf-8"))


def choose_renderer(n_nodes: int, requested: str = "auto", theme: dict[str, Any] | None = None) -> str:
    """``pyvis`` up to ``auto_sigma_above_nodes`` nodes, ``sigma`` above (unless asked)."""
    if requested not in RENDERERS:
        raise ConfigError(f"unknown renderer {requested!r}; choose one of {', '.join(RENDERERS)}")
    if requested != "auto":
        return requested
    limit = int((theme or load_theme())["auto_sigma_above_nodes"])
    return "pyvis" if n_nodes <= limit else "sigma"


def script_json(obj: Any) -> str:
    """JSON that is inert inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where their ``\\uXXXX``
    forms parse to the same text, so ``</script>`` can never close the block.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def display_text(text: str) -> str:
    """The field text the panel shows: whitespace collapsed like the extractor's input."""
    return " ".join(text.split())


def mention_span(text: str, start: int | None, end: int | None, surface: str | None) -> tuple[int, int] | None:
    """Where a link's mention sits in ``text`` (the displayed field).

    Offsets refer to the extractor's normalized text; when they do not land on
    the surface form here (LaTeX residue removed before extraction, say), the
    occurrence of the surface nearest to ``start`` is used; no occurrence → None.
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


def view_data(
    g: nx.MultiDiGraph, *, title: str = "paperkg", renderer: str = "pyvis", focus: str | None = None, seed: int = 0
) -> dict[str, Any]:
    """The payload the page reads: columnar node/edge arrays plus paper texts.

    Nodes are referred to by index. ``n.t`` indexes ``types``, ``e.r`` indexes
    ``rels``; ``e.ev`` indexes the de-duplicated evidence strings ``ev`` (-1: none).
    ``papers[i].hl`` lists mention spans ``[field, start, end, entity index]``
    (field 0 = title, 1 = abstract) over ``papers[i].title`` / ``abstract``.
    """
    theme = load_theme()
    types: list[str] = theme["types"]
    schema = load_schema()
    rels = sorted(schema.relationships)
    rel_index = {r: j for j, r in enumerate(rels)}
    roles = {name: spec.role for name, spec in schema.relationships.items()}
    keys = sorted(g.nodes, key=lambda k: (types.index(_LABEL_TYPE.get(g.nodes[k].get("label"), "paper")), k))
    index = {k: i for i, k in enumerate(keys)}
    tidx = [types.index(_LABEL_TYPE.get(g.nodes[k].get("label", ""), "paper")) for k in keys]

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
                "year": d.get("year"),
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
        paper["hl"] = _without_overlaps(paper["hl"])

    t0 = time.perf_counter()
    coords = _scale(compute_layout(len(keys), sorted(pairs), seed), float(theme["layout_extent"]))
    layout_seconds = time.perf_counter() - t0

    support = [
        int(g.nodes[k].get("paper_count", 0)) if types[tidx[i]] != "paper" else degree[i] for i, k in enumerate(keys)
    ]
    sz = theme["size"]
    sizes = [
        sz["paper"]
        if types[tidx[i]] == "paper"
        else round(min(sz["entity_max"], sz["entity_min"] + sz["entity_scale"] * math.sqrt(support[i])), 1)
        for i in range(len(keys))
    ]
    entities = [i for i in range(len(keys)) if types[tidx[i]] != "paper"]
    labelled = sorted(entities, key=lambda i: (-support[i], keys[i]))[: int(theme["labelled_nodes"])]
    aliases = {
        str(i): [str(a) for a in g.nodes[k].get("aliases", [])] for i, k in enumerate(keys) if g.nodes[k].get("aliases")
    }
    return {
        "v": 1,
        "title": title,
        "renderer": "vis" if renderer == "pyvis" else "sigma",
        "types": types,
        "colors": theme["colors"],
        "faded": theme["faded_color"],
        "edgeColor": theme["edge_color"],
        "relaxMax": theme["relax_max_nodes"],
        "linksOn": len(pairs) <= int(theme["links_shown_max"]),
        "rels": rels,
        "roles": [roles.get(r) or "" for r in rels],
        "n": {
            "key": keys,
            "t": tidx,
            "name": [str(g.nodes[k].get("name") or k) for k in keys],
            "x": [c[0] for c in coords],
            "y": [c[1] for c in coords],
            "s": sizes,
            "pc": support,
            "lab": sorted(labelled),
        },
        "aliases": aliases,
        "papers": papers,
        "e": {"s": e_s, "t": e_t, "r": e_r, "ev": e_ev},
        "ev": ev_strings,
        "focus": focus if focus in index else None,
        "layoutSeconds": round(layout_seconds, 3),
    }


def _without_overlaps(spans: list[list[int]]) -> list[list[int]]:
    kept: list[list[int]] = []
    for span in sorted(spans, key=lambda s: (s[0], s[1], -s[2])):
        if kept and kept[-1][0] == span[0] and span[1] < kept[-1][2]:
            continue
        kept.append(span)
    return kept


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
    for s, t in zip(data["e"]["s"], data["e"]["t"], strict=True):
        if (s, t) not in seen:
            seen.add((s, t))
            edges.append({"id": len(edges), "from": s, "to": t})
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


def build_html(
    g: nx.MultiDiGraph, *, renderer: str = "auto", title: str = "paperkg", focus: str | None = None, seed: int = 0
) -> tuple[str, str, dict[str, Any]]:
    """The page text, the renderer used and the payload (no file written)."""
    theme = load_theme()
    chosen = choose_renderer(g.number_of_nodes(), renderer, theme)
    data = view_data(g, title=title, renderer=chosen, focus=focus, seed=seed)
    vdir = viz_dir()
    if chosen == "pyvis":
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
    scripts = {
        "VENDOR_JS": _inline_script(lib),
        "APP_JS": _inline_script(
            (vdir / "renderers.js").read_text(encoding="utf-8") + "\n" + (vdir / "app.js").read_text(encoding="utf-8")
        ),
    }
    parts = {
        **scripts,
        "CSS": (vdir / "viewer.css").read_text(encoding="utf-8").replace("</", "<\\/"),
        "DATA": script_json(data),
        "CSP": "default-src 'none'; script-src "
        + " ".join(_csp_hash(s) for s in scripts.values())
        + "; style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'",
    }
    html = _MARKER.sub(lambda m: parts[m.group(1)], skeleton)
    return html, chosen, data


def render_view(
    graph: nx.MultiDiGraph,
    out: Path,
    *,
    renderer: Renderer = "auto",
    title: str = "paperkg knowledge graph",
    focus: str | None = None,
    seed: int = 0,
) -> ViewReport:
    """Write the viewer for ``graph`` to ``out`` (UTF-8, everything inlined).

    ``focus`` is a node key the page opens on when its URL has no ``#node=``.
    """
    t0 = time.perf_counter()
    html, chosen, data = build_html(graph, renderer=renderer, title=title, focus=focus, seed=seed)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)
    report = ViewReport(
        path=out,
        renderer=chosen,
        nodes=graph.number_of_nodes(),
        edges=len(data["e"]["s"]),
        size_bytes=out.stat().st_size,
        layout_seconds=float(data["layoutSeconds"]),
        build_seconds=time.perf_counter() - t0,
        links_shown=bool(data["linksOn"]),
    )
    log.info("viewer written: %s (%s, %d nodes)", out, chosen, report.nodes)
    return report
