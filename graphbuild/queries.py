"""Named Cypher queries: the ``queries/*.cypher`` files and how to run them.

Each file starts with comment lines::

    // description: Papers that evaluate on a benchmark, newest first.
    // params: benchmark (string), limit (int, 20)
    // example: benchmark=ImageNet limit=10

A parameter without a default is required. Types: ``string``, ``int``,
``float``, ``bool``, ``string[]`` (comma-separated on the command line), and
node kinds — ``paper``, ``method``, ``benchmark``, ``task``, ``domain``,
``entity`` (any but a paper), ``node`` (anything): such a parameter takes a
name, an alias or a key, case-insensitively, and :func:`run_named_query`
resolves it to the node's key in the store (:mod:`graphbuild.lookup`, the
resolver ``--focus`` uses) before the query runs — so the query text matches
``{key: $param}``, and an unknown name is an error with suggestions, not 0 rows.
``<name>.ladybug.cypher`` beside a query is its dialect variant for the
embedded store (same parameters and columns); every other store runs the
plain file. Values always travel as Cypher parameters, never as text.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from graphbuild.assets import queries_dir
from graphbuild.errors import QueryError, QueryParameterError, UnknownQueryError
from graphbuild.lookup import kinds
from graphbuild.store.base import GraphStore, QueryResult

_SCALARS = ("string", "int", "float", "bool", "string[]")
#: node kinds: parameters resolved to a node key (see the module docstring)
NODE_KINDS = kinds()
_TYPES = (*_SCALARS, *NODE_KINDS)
_HEADER = re.compile(r"^//\s*(description|params|example)\s*:\s*(.*)$")
_PARAM = re.compile(r"^\s*(?P<name>[A-Za-z_]\w*)\s*\(\s*(?P<type>[a-z]+(?:\[\])?)\s*(?:,\s*(?P<default>.*?))?\s*\)\s*$")
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str
    default: Any = None
    required: bool = True

    @property
    def kind(self) -> str | None:
        """The node kind this parameter names (resolved to a key), or ``None`` for a plain value."""
        return self.type if self.type in NODE_KINDS else None

    def describe(self) -> str:
        return f"{self.name} ({self.type})" if self.required else f"{self.name} ({self.type}, {self.default})"


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[QueryParam, ...]
    example: Mapping[str, str]
    text: str
    path: Path
    variants: Mapping[str, str] = field(default_factory=dict)

    def text_for(self, dialect: str | None) -> str:
        return self.variants.get(dialect or "", self.text)

    @property
    def ordered(self) -> bool:
        """True when the final RETURN has an ORDER BY (rows come in a defined order)."""
        code = _strip_comments(self.text)
        last_return = code.upper().rfind("RETURN")
        return re.search(r"\bORDER\s+BY\b", code[last_return:], re.IGNORECASE) is not None


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def _split_params(spec: str) -> list[str]:
    """Split ``a (int, 2), b (string, "x, y")`` on the commas between parameters."""
    parts, depth, quote, cur = [], 0, "", []
    for ch in spec:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def _parse_header(path: Path, text: str) -> tuple[str, tuple[QueryParam, ...], dict[str, str]]:
    description, params, example = "", [], {}
    for lineno, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line.strip())
        if not m:
            continue
        kind, value = m.group(1), m.group(2).strip()
        if kind == "description":
            description = value
        elif kind == "params":
            for item in _split_params(value):
                pm = _PARAM.match(item)
                if not pm or pm["type"] not in _TYPES:
                    raise QueryError(
                        f"{path}:{lineno}: bad parameter spec {item!r}; expected `name (type)` or "
                        f"`name (type, default)` with type one of {', '.join(_TYPES)}"
                    )
                name, ptype, default = pm["name"], pm["type"], pm["default"]
                if default is None:
                    params.append(QueryParam(name, ptype))
                else:
                    value_text = default.strip().strip("\"'")
                    params.append(QueryParam(name, ptype, _coerce(name, ptype, value_text), required=False))
        else:
            try:
                example = dict(_split_assignment(item) for item in shlex.split(value))
            except (ValueError, QueryParameterError) as e:
                raise QueryError(f"{path}:{lineno}: bad example line ({e})") from None
    if not description:
        raise QueryError(f"{path}:1: missing `// description: ...` header line")
    return description, tuple(params), example


def _split_assignment(item: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name.strip():
        raise QueryParameterError(f"parameter {item!r} is not of the form name=value")
    return name.strip(), value


def parse_param_args(items: Iterable[str]) -> dict[str, str]:
    """``["k=v", "limit=5"]`` (as typed after ``--param``) → ``{"k": "v", "limit": "5"}``."""
    return dict(_split_assignment(item) for item in items)


def _coerce(name: str, ptype: str, value: Any) -> Any:
    if ptype in NODE_KINDS:
        ptype = "string"  # a name, alias or key; resolved against the store later
    if not isinstance(value, str):
        ok = {
            "string": isinstance(value, str),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, int | float) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "string[]": isinstance(value, list | tuple) and all(isinstance(v, str) for v in value),
        }[ptype]
        if not ok:
            raise QueryParameterError(f"parameter {name} must be {ptype}, got {value!r}")
        return float(value) if ptype == "float" else list(value) if ptype == "string[]" else value
    try:
        if ptype == "int":
            return int(value)
        if ptype == "float":
            return float(value)
    except ValueError:
        raise QueryParameterError(f"parameter {name} must be {ptype}, got {value!r}") from None
    if ptype == "bool":
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise QueryParameterError(f"parameter {name} must be bool (true/false), got {value!r}")
    if ptype == "string[]":
        return [v.strip() for v in value.split(",") if v.strip()]
    return value


def _load(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    name = path.name.removesuffix(".cypher")
    description, params, example = _parse_header(path, text)
    variants = {}
    for variant in sorted(path.parent.glob(f"{name}.*.cypher")):
        dialect = variant.name.removeprefix(f"{name}.").removesuffix(".cypher")
        variants[dialect] = variant.read_text(encoding="utf-8")
    return NamedQuery(name, description, params, example, text, path, variants)


@cache
def _load_all(folder: Path) -> dict[str, NamedQuery]:
    queries = {}
    for path in sorted(folder.glob("*.cypher")):
        if path.name.count(".") > 1:  # a dialect variant, read with its base query
            continue
        q = _load(path)
        queries[q.name] = q
    return queries


def list_queries(folder: Path | None = None) -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return list(_load_all(folder or queries_dir()).values())


def get_query(name: str, folder: Path | None = None) -> NamedQuery:
    queries = _load_all(folder or queries_dir())
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=1, cutoff=0.4)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise UnknownQueryError(f"no named query {name!r}{hint} (`paperkg query --list` shows them all)")


def bind_params(query: NamedQuery, given: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values for every declared parameter: given (coerced from text if needed) or default."""
    known = {p.name for p in query.params}
    unknown = sorted(set(given) - known)
    if unknown:
        names = ", ".join(p.describe() for p in query.params) or "none"
        raise QueryParameterError(f"query {query.name!r} has no parameter {unknown[0]!r}; its parameters: {names}")
    bound = {}
    for p in query.params:
        if p.name in given:
            bound[p.name] = _coerce(p.name, p.type, given[p.name])
        elif p.required:
            raise QueryParameterError(
                f"query {query.name!r} needs parameter {p.name} ({p.type}); pass --param {p.name}=VALUE"
            )
        else:
            bound[p.name] = p.default
    return bound


def resolve_params(store: GraphStore, query: NamedQuery, bound: Mapping[str, Any]) -> dict[str, Any]:
    """``bound`` with every node-kind parameter replaced by the key of the node it names in ``store``
    (:func:`graphbuild.lookup.resolve`; unknown or ambiguous names raise with suggestions)."""
    from graphbuild.lookup import StoreLookup, resolve_one

    out = dict(bound)
    lookup = StoreLookup(store)
    for p in query.params:
        if p.kind is not None and out.get(p.name) is not None:
            out[p.name] = resolve_one(lookup, out[p.name], kind=p.kind, what=f"--param {p.name}")
    return out


def prepare(
    store: GraphStore, name: str | NamedQuery, params: Mapping[str, Any] | None = None
) -> tuple[NamedQuery, dict[str, Any]]:
    """The query and its final parameters: typed, defaults filled, node names resolved to keys."""
    query = name if isinstance(name, NamedQuery) else get_query(name)
    return query, resolve_params(store, query, bind_params(query, params or {}))


def run_named_query(store: GraphStore, name: str | NamedQuery, params: Mapping[str, Any] | None = None) -> QueryResult:
    """Run a named query on ``store`` with typed parameters (the store's dialect variant if any);
    node parameters may be names, aliases or keys (see the module docstring)."""
    query, bound = prepare(store, name, params)
    return store.run(query.text_for(getattr(store, "dialect", None)), bound)
