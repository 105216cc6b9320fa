"""``paperkg query``: run a named Cypher query from ``queries/`` on the embedded store or Neo4j."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from graphbuild.commands.common import cli_command, out
from graphbuild.commands.result_output import OutputFormat, print_result
from graphbuild.commands.store_options import (
    DEFAULT,
    DatabaseOption,
    ParamOption,
    PasswordOption,
    StoreOption,
    UserOption,
)
from graphbuild.errors import QueryParameterError


@cli_command
def query_command(
    name: Annotated[str | None, typer.Argument(help="The named query to run (see --list).")] = None,
    param: ParamOption = None,
    list_queries_: Annotated[
        bool, typer.Option("--list", help="List the named queries with their parameters and exit.")
    ] = False,
    example: Annotated[
        bool, typer.Option("--example", help="Run the query with the parameters of its `// example:` line.")
    ] = False,
    store: StoreOption = DEFAULT,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    user: UserOption = None,
    password: PasswordOption = None,
    database: DatabaseOption = None,
) -> None:
    """Answer a research question with a named Cypher query (the same text on the embedded store and on Neo4j).

    Example: paperkg query papers-on-benchmark --param benchmark=ImageNet --param limit=5

    Example: paperkg query --list

    Example: paperkg query top-methods --example --store bolt://localhost:7687 --format json
    """
    from graphbuild.queries import get_query, list_queries, parse_param_args, run_named_query
    from graphbuild.store import open_store

    if list_queries_:
        queries = list_queries()
        if fmt is OutputFormat.json:
            rows = [
                {"name": q.name, "description": q.description,
                 "params": [p.describe() for p in q.params], "example": dict(q.example)}
                for q in queries
            ]  # fmt: skip
            out.file.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            return
        t = Table(title="Named queries", header_style="bold")
        for col in ("name", "parameters", "description"):
            t.add_column(col, overflow="fold")
        for q in queries:
            t.add_row(q.name, Text(", ".join(p.describe() for p in q.params)), Text(q.description))
        out.print(t)
        return
    if name is None:
        raise QueryParameterError("give a query name, or --list to see them (e.g. `paperkg query top-methods`)")
    query = get_query(name)
    given: dict[str, str] = dict(query.example) if example else {}
    given.update(parse_param_args(param or []))
    s = open_store(store, user=user, password=password, database=database)
    try:
        result = run_named_query(s, query, given)
    finally:
        s.close()
    print_result(result, fmt, title=query.name)
