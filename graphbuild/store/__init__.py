"""Graph stores behind one interface, chosen by a ``--store`` spec.

``embedded:DIR`` (the default ``embedded:out``) is the LadybugDB cache inside a
``paperkg build`` output directory; ``neo4j://``, ``bolt://``, ``neo4j+s://``
(and the other Bolt schemes) name a Neo4j server.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphbuild.errors import ConfigError
from graphbuild.store.base import GraphStore, LoadReport, QueryResult

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["DEFAULT_STORE", "GraphStore", "LoadReport", "QueryResult", "open_store", "write_embedded"]

DEFAULT_STORE = "embedded:out"
_NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def open_store(spec: str = DEFAULT_STORE, *, write: bool = False, **neo4j_options: Any) -> GraphStore:
    """Open the store named by ``spec``.

    Embedded stores open read-only unless ``write`` (so several readers can
    share a build directory) and are rebuilt from ``graph.json`` first when
    stale. ``neo4j_options`` are ``user``, ``password``, ``database``; missing
    ones come from ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD`` / ``NEO4J_DATABASE``.
    """
    scheme, sep, _ = spec.partition("://")
    if sep and scheme.lower() in _NEO4J_SCHEMES:
        from graphbuild.store.neo4j import Neo4jStore
        from graphbuild.store.neo4j_connect import resolve_options

        options = resolve_options(
            spec, neo4j_options.get("user"), neo4j_options.get("password"), neo4j_options.get("database")
        )
        return Neo4jStore.from_options(options)
    if sep:
        raise ConfigError(
            f"--store {spec!r}: unknown scheme {scheme!r}; "
            "use embedded:DIR or a neo4j://, bolt://, neo4j+s:// URI"
        )
    if spec.startswith("embedded:"):
        directory = spec.removeprefix("embedded:")
    elif ":" in spec and not Path(spec).exists():
        raise ConfigError(f"--store {spec!r}: expected embedded:DIR or a neo4j:// / bolt:// URI")
    else:
        directory = spec  # a bare build directory is accepted as embedded:DIR
    if not directory:
        raise ConfigError("--store embedded: needs a directory, e.g. embedded:out")
    from graphbuild.store.embedded import open_embedded

    return open_embedded(directory, write=write)


def write_embedded(graph: nx.MultiDiGraph, out_dir: str | Path) -> Path:
    """Write the embedded database of ``graph`` into a build directory (``paperkg build`` calls this)."""
    from graphbuild.store.embedded import write_embedded as _write

    return _write(graph, out_dir)
