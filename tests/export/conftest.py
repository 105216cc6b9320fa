"""The hostile-text fixture graph (built in ``hostile_graph.py``)."""

from __future__ import annotations

import networkx as nx
import pytest
from hostile_graph import build_hostile_graph


@pytest.fixture
def hostile_graph() -> nx.MultiDiGraph:
    return build_hostile_graph()
