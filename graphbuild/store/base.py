"""One interface for every graph store (embedded LadybugDB, Neo4j).

A store is opened from a ``--store`` spec by :func:`graphbuild.store.open_store`
(``embedded:DIR`` | ``neo4j://…`` | ``bolt://…`` | ``neo4j+s://…``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import networkx as nx



@dataclass(frozen=True)
class QueryResult:
    """Rows of a query: ``columns`` in RETURN order, each row a tuple of plain Python values."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class LoadReport:
    """What a write did: counts per label / relationship type as read back from the store."""

    nodes: Mapping[str, int] = field(default_factory=dict)
    relationships: Mapping[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@runtime_checkable
class GraphStore(Protocol):
    def write_graph(self, graph: nx.MultiDiGraph) -> LoadReport:
        """Write (merge) the whole graph; idempotent."""
        ...

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        """Run one Cypher statement with parameters (values never inlined)."""
        ...

    def counts(self) -> LoadReport:
        """Node counts per label and relationship counts per type."""
        ...

    def close(self) -> None: ...
