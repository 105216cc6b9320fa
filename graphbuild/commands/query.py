"""``paperkg query``: run a named Cypher query from ``queries/`` on the embedded store or Neo4j."""

from __future__ import annotations

from typing import Annotated

import typer

from graphbuild.commands.common import cli_command
from graphbuild.commands.result_output import FormatOption, OutputFormat, print_result, rows_result
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
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="The named query to run (see --list).")] = None,
    param: ParamOption = None,
    list_queries_: Annotated[
        bool, typer.Option("--list", "-l", help="List the named queries with their parameters and exit.")
    ] = False,
    example: Annotated[
        bool, typer.Option("--example", "-e", help="Run the query with the parameters of its example line.")
    ] = False,
    store: StoreOption = DEFAULT,
    fmt: FormatOption = OutputFormat.table,
    keys: Annotated[
        bool, typer.Option("--keys", "-k", help="Also show node keys in tables (json, jsonl and csv always have them).")
    ] = False,
    user: UserOption = None,
    password: PasswordOption = None,
    database: DatabaseOption = None,
) -> None:
    """Answer a research question with a named Cypher query, on the embedded store or on Neo4j.

    The same query text runs on both stores. A parameter that names a paper, method, benchmark, task or
    domain takes its name, an alias or its key, in any case; an unknown one stops with suggestions.

    Example: paperkg query papers-on-benchmark --param benchmark=ImageNet --param limit=5

    Example: paperkg query shared-benchmarks --param method_a=PPO --param method_b=DQN --keys

    Example: paperkg query --list

    Example: paperkg query top-methods --example --store bolt://localhost:7687 --format json

    Example: paperkg query top-methods --param limit=10 --format chart
    """
    from graphbuild.queries import get_query, list_queries, parse_param_args, run_named_query
    from graphbuild.store import open_store

    if list_queries_:
        queries = list_queries()
        if fmt is OutputFormat.table:
            rows = [(q.name, ", ".join(p.describe() for p in q.params), q.description) for q in queries]
            print_result(rows_result(("name", "parameters", "description"), rows), fmt, title="Named queries")
        else:
            rows = [(q.name, q.description, [p.describe() for p in q.params], dict(q.example)) for q in queries]
            print_result(rows_result(("name", "description", "params", "example"), rows), fmt)
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
    if fmt is OutputFormat.chart:  # a picture says what it shows: the query and its parameters
        shown = ", ".join(f"{k}={v}" for k, v in given.items() if k != "limit")
        print_result(result, fmt, title=f"{query.name}: {shown}" if shown else query.name)
        return
    print_result(result, fmt, title=query.name, keys=keys)
