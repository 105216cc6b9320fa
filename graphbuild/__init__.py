"""paperkg: research papers → knowledge graph (Neo4j, Cypher, HTML viewer, CLI exports)."""

__version__ = "0.1.0"
