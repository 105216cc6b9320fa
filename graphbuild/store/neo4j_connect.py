"""Neo4j connection options: command-line values first, then the variables Neo4j's own tools read.

``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE`` are the names used by
``cypher-shell`` and the official drivers' examples, so one ``.env`` serves all of them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from graphbuild.errors import ConfigError

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


@dataclass(frozen=True)
class Neo4jOptions:
    uri: str
    user: str
    password: str
    database: str | None = None  # None = the server's default database

    def __repr__(self) -> str:  # never print the password
        return f"Neo4jOptions(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def resolve_options(
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Neo4jOptions:
    """Fill missing options from the environment; raise :class:`ConfigError` naming what is missing."""
    env = os.environ if env is None else env
    uri = uri or env.get("NEO4J_URI") or DEFAULT_URI
    scheme, sep, rest = uri.partition("://")
    if not sep or scheme.lower() not in _SCHEMES or not rest:
        raise ConfigError(
            f"Neo4j URI {uri!r} is not valid; expected e.g. bolt://localhost:7687 or neo4j+s://host "
            f"(schemes: {', '.join(_SCHEMES)})"
        )
    password = password if password is not None else env.get("NEO4J_PASSWORD")
    if password is None:
        raise ConfigError(f"no Neo4j password for {uri}: pass --password or set NEO4J_PASSWORD")
    return Neo4jOptions(
        uri=uri,
        user=user or env.get("NEO4J_USERNAME") or DEFAULT_USER,
        password=password,
        database=database or env.get("NEO4J_DATABASE") or None,
    )
