"""Refuse Cypher that writes unless the caller asked for writes.

The check looks at clause keywords outside string literals, comments and
backtick-quoted names, so ``WHERE p.title CONTAINS 'CREATE'`` is a read while
``MATCH (n) DETACH DELETE n`` is a write. On Neo4j the store additionally runs
reads in a READ access-mode session, so the server enforces it too.
"""

from __future__ import annotations

import re

from graphbuild.errors import WriteNotAllowedError

#: clauses that change data or schema in Neo4j or Ladybug
_WRITE_CLAUSES = re.compile(
    r"(?<![.$\w])(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|DROP|ALTER|FOREACH|COPY|INSTALL|IMPORT"
    r"|LOAD\s+CSV|LOAD\s+FROM|LOAD\s+EXTENSION|LOAD\s+\w+|ATTACH|DETACH\s+DATABASE|CHECKPOINT)(?![\w])",
    re.IGNORECASE,
)
_LITERALS = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/""",
    re.DOTALL,
)


def find_write_clause(cypher: str) -> str | None:
    """The first write clause in ``cypher`` (upper-cased), or None for a read-only statement."""
    code = _LITERALS.sub(" ", cypher)
    m = _WRITE_CLAUSES.search(code)
    return " ".join(m.group(1).upper().split()) if m else None


def ensure_read_only(cypher: str) -> None:
    clause = find_write_clause(cypher)
    if clause is not None:
        raise WriteNotAllowedError(
            f"this statement writes ({clause}); queries are read-only by default, "
            "pass --write to allow changes"
        )
