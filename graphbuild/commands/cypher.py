"""``paperkg cypher``: run one ad-hoc Cypher statement, read-only unless ``--write``."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from graphbuild.commands.common import cli_command
from graphbuild.commands.result_output import FormatOption, OutputFormat, print_result
from graphbuild.commands.store_options import (
    DEFAULT,
    DatabaseOption,
    ParamOption,
    PasswordOption,
    StoreOption,
    UserOption,
)


def typed_value(text: str) -> Any:
    """A ``--param`` value: a JSON literal (5, 2.5, true, null, ["a","b"], "007") when it parses, else text."""
    try:
        return json.loads(text)
    except RecursionError:
        from graphbuild.errors import QueryParameterError

        raise QueryParameterError(f"--param value nested too deeply to read ({text[:20]}…)") from None
    except ValueError:  # not JSON (or an integer over Python's 4,300-digit limit): the text itself
        return text


@cli_command
def cypher_command(
    statement: Annotated[str, typer.Argument(help="One Cypher statement; pass values with --param, not inline.")],
    param: ParamOption = None,
    store: StoreOption = DEFAULT,
    fmt: FormatOption = OutputFormat.table,
    write: Annotated[
        bool,
        typer.Option(
            "--write",
            help="Allow CREATE/MERGE/SET/DELETE/... (the embedded store is a cache of graph.json: "
            "writes there are lost on the next rebuild).",
        ),
    ] = False,
    user: UserOption = None,
    password: PasswordOption = None,
    database: DatabaseOption = None,
) -> None:
    """Run one ad-hoc Cypher statement, read-only unless --write.

    On Neo4j reads also run in a READ session. --param values are JSON literals when they parse
    (5, true, ["a","b"]) and text otherwise. The table shows exactly the columns you RETURN.

    Example: paperkg cypher 'MATCH (m:Method) WHERE m.paper_count >= $k RETURN m.name, m.paper_count' --param k=5

    Example: paperkg cypher 'MATCH (p:Paper)-[r]->(b:Benchmark) RETURN label(r) AS link, count(*) AS n'

    Example: paperkg cypher 'MATCH (m:Method {name: $name}) RETURN m.key, m.aliases' --param name=Transformer -f json

    Example: paperkg cypher "MATCH (p:Paper) RETURN count(p) AS papers" --store bolt://localhost:7687
    """
    from graphbuild.cypher_hints import hint
    from graphbuild.errors import CypherError
    from graphbuild.queries import parse_param_args
    from graphbuild.store import open_store
    from graphbuild.store.write_guard import ensure_read_only

    if not write:
        ensure_read_only(statement)  # before opening: a refused write must not rebuild anything
    params = {k: typed_value(v) for k, v in parse_param_args(param or []).items()}
    s = open_store(store, write=write, user=user, password=password, database=database)
    try:
        result = s.run(statement, params, write=write)
    except CypherError as e:
        tip = hint(statement, getattr(s, "dialect", None))
        if tip is None:
            raise
        raise CypherError(f"{e} (hint: {tip})") from None
    finally:
        s.close()
    print_result(result, fmt)
