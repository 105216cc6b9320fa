"""Node-link JSON, the same format as ``graph.json`` (``schema_version`` + networkx node-link data).

Read it back with :func:`graphbuild.graph.load_graph` or ``networkx.node_link_graph(data,
edges="links")``; everything, provenance included, round-trips exactly.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from graphbuild.export.dispatch import Written
from graphbuild.graph import save_graph


def write(graph: nx.MultiDiGraph, out: Path) -> Written:
    return Written((save_graph(graph, out),))
