"""Refuse Cypher that writes or administers unless the caller asked for writes (``--write``).

Three layers, the rules in ``graphbuild/data/store/read_only.yaml``:

1. here, on the text (outside string literals, comments and backtick-quoted names): one statement
   only; it starts with a reading clause; no write, file, extension, transaction or administration
   keyword anywhere; ``CALL`` only of listed read procedures. So ``WHERE p.title CONTAINS 'CREATE'``
   is a read while ``EXPORT DATABASE '/tmp/x'`` or ``CALL dbms.listConfig()`` is refused;
2. the engine: the embedded store opens LadybugDB read-only, and Neo4j runs reads in READ
   access-mode sessions, so a data write that slipped past the text check still fails;
3. on Neo4j, the server's own plan of the statement (``EXPLAIN``, never executed) must be a read
   (query type ``r``) without SHOW/TERMINATE/LOAD CSV operators or unlisted procedure calls:
   what TERMINATE TRANSACTIONS or a DBMS procedure would get past a READ session.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from graphbuild.errors import WriteNotAllowedError

_LITERALS = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/""",
    re.DOTALL,
)
_WORD = r"(?<![.$\w])({})(?![\w])"
# query options and EXPLAIN/PROFILE before the first clause: "CYPHER 5 runtime=slotted PROFILE MATCH ..."
_PREFIX = re.compile(
    r"^\s*(?:CYPHER\b(?:\s+(?:\d+(?:\.\d+)?|[\w.]+\s*=\s*[\w.]+))*\s*)?(?:(EXPLAIN|PROFILE)\b\s*)?", re.IGNORECASE
)
_FIRST = re.compile(r"\s*([A-Za-z]+)")
_CALL = re.compile(r"(?<![.$\w])CALL\s*([\w.]+|`[^`]*`|[({])", re.IGNORECASE)


@dataclass(frozen=True)
class ReadRules:
    read_clauses: frozenset[str]
    refused: re.Pattern[str]
    procedures: frozenset[str]  # lower-cased
    refused_operators: re.Pattern[str]


@cache
def rules() -> ReadRules:

    from graphbuild.assets import data_dir, read_yaml

    raw = read_yaml((data_dir() / "store" / "read_only.yaml").read_text("utf-8"))
    refused = re.compile(_WORD.format("|".join(raw["refused"])), re.IGNORECASE)
    return ReadRules(
        read_clauses=frozenset(c.upper() for c in raw["read_clauses"]),
        refused=refused,
        procedures=frozenset(p.lower() for p in raw["procedures"]),
        refused_operators=re.compile("|".join(f"(?:{p})" for p in raw["refused_operators"])),
    )


def _code(cypher: str) -> str:
    """The statement with literals, comments and quoted names blanked (so keywords in them never count)."""
    return _LITERALS.sub(lambda m: "``" if m.group(0).startswith("`") else " ", cypher)


#: beyond these LadybugDB's recursive parser overflows the C stack and kills the process (measured: 1,000 nested
#: lists or ~10,000 chained operators); no real query comes near them
MAX_NESTING = 100
MAX_TOKENS = 4000
_TOKEN = re.compile(r"\w+|[^\s\w]")


def ensure_parsable(cypher: str) -> None:
    """Refuse a statement too deeply nested or too long for an engine's parser to survive (either store)."""
    from graphbuild.errors import QueryError

    code = _code(cypher)
    depth = deepest = 0
    for ch in code:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    if deepest > MAX_NESTING:
        raise QueryError(f"the statement nests brackets {deepest} levels deep, over the {MAX_NESTING} paperkg allows")
    tokens = sum(1 for _ in _TOKEN.finditer(code))
    if tokens > MAX_TOKENS:
        raise QueryError(f"the statement has {tokens:,} tokens, over the {MAX_TOKENS:,} paperkg allows; "
                         "pass long lists as a --param value instead")  # fmt: skip


def find_write_clause(cypher: str) -> str | None:
    """What makes ``cypher`` more than a read (upper-cased: ``"CREATE"``, ``"CALL dbms.listConfig"``,
    ``"several statements"``), or None for a statement the read-only rules allow."""
    r = rules()
    code = _code(cypher)
    body = code.rstrip().rstrip(";")
    if ";" in body:
        return "several statements"
    m = r.refused.search(code)
    if m:
        return " ".join(m.group(1).upper().split())
    rest = code[_PREFIX.match(code).end() :]  # type: ignore[union-attr]
    first = _FIRST.match(rest)
    if first is None or first.group(1).upper() not in r.read_clauses:
        return first.group(1).upper() if first else "an empty statement"
    for call in _CALL.finditer(code):
        target = call.group(1)
        if target in ("(", "{"):  # CALL { subquery } / CALL (x) { subquery }
            continue
        name = target.strip("`")
        if name.lower() not in r.procedures:
            return f"CALL {name}"
    return None


_DATA_WRITES = frozenset({"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "FOREACH", "COPY"})


def refusal(what: str) -> WriteNotAllowedError:
    """The error for a statement that is more than a read (``what``: the clause or the reason)."""
    does = "writes" if what in _DATA_WRITES else "is not a plain read"
    return WriteNotAllowedError(
        f"this statement {does} ({what}); queries are read-only by default, pass --write to allow changes, "
        "administration, files and extensions"
    )


def ensure_read_only(cypher: str) -> None:
    clause = find_write_clause(cypher)
    if clause is not None:
        raise refusal(clause)


# --------------------------------------------------------------------------- Neo4j plans


def explain_statement(cypher: str) -> str | None:
    """``cypher`` as an ``EXPLAIN`` (planned, never run), or None when it already is one."""
    m = _PREFIX.match(cypher)
    assert m is not None
    if m.group(1) and m.group(1).upper() == "EXPLAIN":
        return None
    head, rest = cypher[: m.start(1)] if m.group(1) else cypher[: m.end()], cypher[m.end() :]
    return f"{head}EXPLAIN {rest}"


def unexplain(message: str, cypher: str, explain: str) -> str:
    """An engine message about ``explain`` retold about ``cypher``: the statement as given, positions
    on the line of the inserted ``EXPLAIN`` moved back."""
    shift = len(explain) - len(cypher)
    at = explain.find("EXPLAIN ")
    line = explain.count("\n", 0, at) + 1
    col = at - (explain.rfind("\n", 0, at) + 1) + 1

    def back(m: re.Match[str]) -> str:
        ln, c, off = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if off > at:
            off -= shift
            if ln == line and c > col:
                c -= shift
        return f"line {ln}, column {c} (offset: {off})"

    message = message.replace(explain, cypher)
    return re.sub(r"line (\d+), column (\d+) \(offset: (\d+)\)", back, message)


def _operators(plan: Mapping[str, Any] | None) -> Iterator[tuple[str, str]]:
    if not plan:
        return
    stack = [plan]
    while stack:
        node = stack.pop()
        op = str(node.get("operatorType", "")).split("@", 1)[0]
        details = str((node.get("args") or {}).get("Details", ""))
        yield op, details
        stack.extend(node.get("children") or [])


def plan_refusal(query_type: str | None, plan: Mapping[str, Any] | None) -> str | None:
    """Why the server's plan of a statement is more than a read, or None.

    ``query_type`` is the summary's ``r``/``rw``/``w``/``s``; ``plan`` the ``EXPLAIN`` plan tree
    (``operatorType``, ``args.Details``, ``children``)."""
    r = rules()
    if query_type != "r":
        kinds = {"rw": "reads and writes", "w": "writes", "s": "changes the schema or calls a DBMS procedure"}
        return f"the server says it {kinds.get(str(query_type), f'is of type {query_type!r}')}"
    for op, details in _operators(plan):
        if r.refused_operators.fullmatch(op):
            return f"the server plans it as {op}"
        if op.startswith("ProcedureCall"):
            name = details.split("(", 1)[0].strip()
            if name.lower() not in r.procedures:
                return f"it calls the procedure {name}"
    return None
