"""GraphML (yEd, Gephi, Cytoscape, networkx): every node and link attribute, provenance included.

Written by :func:`graphbuild.graph.write_graphml`: node ids are keys, edge ids are relationship
types, list attributes (``aliases``, ``authors``, ``categories``) are JSON-encoded strings that
:func:`graphbuild.graph.read_graphml` decodes back, so the round trip is exact.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from graphbuild.export.dispatch import Written
from graphbuild.graph import write_graphml


def write(graph: nx.MultiDiGraph, out: Path) -> Written:
    return Written((write_graphml(graph, out),))
