"""The ``--store`` option and Neo4j credentials shared by ``query`` and ``cypher``."""

from __future__ import annotations

from typing import Annotated

import typer

from graphbuild.store import DEFAULT_STORE

StoreOption = Annotated[
    str,
    typer.Option(
        "--store",
        "-s",
        help="embedded:DIR (a `paperkg build` output directory; its database is rebuilt from "
        "graph.json when stale) or a Neo4j URI: neo4j://…, bolt://…, neo4j+s://….",
    ),
]
DEFAULT = DEFAULT_STORE
UserOption = Annotated[str | None, typer.Option("--user", help="Neo4j user (env NEO4J_USERNAME; default neo4j).")]
PasswordOption = Annotated[str | None, typer.Option("--password", help="Neo4j password (env NEO4J_PASSWORD).")]
DatabaseOption = Annotated[
    str | None, typer.Option("--database", help="Neo4j database (env NEO4J_DATABASE; default: server default).")
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="A parameter as name=value; repeat for several."),
]
