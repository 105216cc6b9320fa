"""Checking Cypher parameter values before a store sends them (both stores call it).

Values come from ``--param`` (JSON literals), named-query defaults or library callers. Without this
check a 20-digit integer fails inside the Neo4j driver with ``OverflowError``, a deeply nested list
with ``RecursionError``, and ``[1, "a"]`` inside LadybugDB with ``ValueError``; here each is a
:class:`~graphbuild.errors.QueryParameterError` naming the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from graphbuild.errors import QueryParameterError

INT_MIN, INT_MAX = -(2**63), 2**63 - 1  # Cypher integers are 64-bit in both engines
MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


def _fail(name: str, problem: str) -> QueryParameterError:
    return QueryParameterError(f"parameter {name}: {problem}")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "map"
    return "null" if value is None else type(value).__name__


def _check(name: str, value: Any, depth: int, dialect: str | None) -> Any:
    if depth > MAX_DEPTH:
        raise _fail(name, f"nested more than {MAX_DEPTH} levels deep")
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            digits = str(value)
            shown = digits if len(digits) <= 30 else digits[:30] + "…"
            raise _fail(name, f"integer {shown} is outside the 64-bit range of Cypher integers "
                        f"({INT_MIN} to {INT_MAX}); pass it as a string or a float")  # fmt: skip
        return value
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise _fail(name, "text with a lone surrogate (\\ud800-style) is not valid Unicode")
        return value
    if isinstance(value, list | tuple):
        items = [_check(name, v, depth + 1, dialect) for v in value]
        if dialect == "ladybug":
            kinds = {_kind(v) for v in items} - {"null"}
            if not kinds:
                raise _fail(name, "the embedded store cannot take an empty list or a list of nulls "
                            "(LadybugDB types a list by its elements)")  # fmt: skip
            if len(kinds) > 1:
                raise _fail(name, f"the embedded store needs list items of one type, got {', '.join(sorted(kinds))}")
        return items
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise _fail(name, f"map keys must be strings, got {k!r}")
            out[k] = _check(name, v, depth + 1, dialect)
        return out
    raise _fail(name, f"a {type(value).__name__} cannot be a Cypher value")


def check_params(params: Mapping[str, Any] | None, dialect: str | None = None) -> dict[str, Any]:
    """A plain dict of checked values (tuples become lists); ``dialect="ladybug"`` adds LadybugDB's limits."""
    if params is None:
        return {}
    out = {}
    for name, value in params.items():
        if not isinstance(name, str) or not name:
            raise QueryParameterError(f"parameter names must be non-empty text, got {name!r}")
        out[name] = _check(name, value, 0, dialect)
    return out
