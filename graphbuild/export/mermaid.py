"""A Mermaid flowchart for small subgraphs (READMEs, docs, GitHub comments).

``flowchart LR`` with one node per graph node (ids ``n0``, ``n1`` ..., label = the node's name, one
style class per type, coloured like the viewer) and one arrow per link labelled with its type.
Larger subgraphs are unreadable as a diagram, so more than :data:`MAX_NODES` nodes is refused with a
hint to narrow the selection.

Labels are double-quoted and every character outside letters, digits, space and ``.,:!?()/+-_'``
is written as a Mermaid entity code ``#<decimal>;`` (``"`` → ``#34;``, ``<`` → ``#60;``), so no
label can end the string, inject markup or break the diagram; :func:`label_unescape` reverses it.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

from graphbuild.errors import ExportError
from graphbuild.export.dispatch import Written
from graphbuild.export.style import label_colours

MAX_NODES = 200
_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:!?()/+-_'")
_ENTITY = re.compile(r"#(\d+);")


def label_escape(s: str) -> str:
    return "".join(c if c in _SAFE or (ord(c) > 127 and c.isalnum()) else f"#{ord(c)};" for c in s)


def label_unescape(s: str) -> str:
    return _ENTITY.sub(lambda m: chr(int(m.group(1))), s)


def diagram(graph: nx.MultiDiGraph) -> str:
    n_nodes = graph.number_of_nodes()
    if n_nodes > MAX_NODES:
        raise ExportError(
            f"mermaid: {n_nodes} nodes is too many for a readable diagram (max {MAX_NODES}); "
            f"narrow the selection, e.g. --limit {MAX_NODES} or --focus NAME --hops 1"
        )
    ids = {n: f"n{i}" for i, n in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    by_label: dict[str, list[str]] = {}
    for n, d in graph.nodes(data=True):
        lines.append(f'  {ids[n]}["{label_escape(str(d.get("name", n)))}"]')
        by_label.setdefault(str(d.get("label", "Node")), []).append(ids[n])
    for u, v, k in graph.edges(keys=True):
        lines.append(f"  {ids[u]} -->|{label_escape(str(k))}| {ids[v]}")
    colours = label_colours()
    for label, members in by_label.items():
        if label in colours:  # class names come from the schema labels only
            lines.append(f"  classDef {label} fill:{colours[label]},color:#ffffff,stroke:#333333")
            lines.append(f"  class {','.join(members)} {label}")
    return "\n".join(lines) + "\n"


def write(graph: nx.MultiDiGraph, out: Path) -> Written:
    text = diagram(graph)  # raises before anything is written
    out.write_text(text, encoding="utf-8")
    return Written((out,))
