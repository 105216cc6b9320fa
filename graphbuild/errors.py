"""paperkg's exception tree.

Every error a user can cause derives from :class:`PaperkgError`. Messages say
what was expected, where, and how to fix it; the CLI prints ``str(error)`` on
one line and exits with ``error.exit_code`` (2 unless stated), never a traceback.

    PaperkgError
    ├── InputError            bad input record / file       (file:line: ...)
    │   └── UnsupportedFormatError
    ├── GraphFileError        graph.json / GraphML unreadable or wrong schema
    ├── ConfigError           bad option value or environment variable
    ├── StoreError            a graph store failed
    │   ├── StoreUnavailableError   server unreachable / database locked
    │   ├── StoreAuthError          wrong credentials
    │   └── DatabaseNotFoundError   unknown database name
    ├── QueryError            named query / Cypher problems
    │   ├── UnknownQueryError       (suggests the closest name)
    │   ├── QueryParameterError     missing or badly typed parameter
    │   ├── WriteNotAllowedError    a write clause without --write
    │   └── CypherError             the engine rejected the statement
    ├── SelectionError        subgraph selection problems
    │   ├── UnknownEntityError      (suggests the closest names)
    │   └── AmbiguousEntityError    (lists the candidates)
    └── ExportError           an export cannot be written (too large for the format, ...)
"""

from __future__ import annotations


class PaperkgError(Exception):
    """Base class: a problem the user can fix. ``exit_code`` is the CLI's."""

    exit_code: int = 2


class InputError(PaperkgError):
    """A malformed input record. ``str()`` is ``file:line: reason``."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class UnsupportedFormatError(InputError):
    """The input format could not be chosen from the extension or --format."""


class GraphFileError(PaperkgError):
    """A graph file is missing, unreadable or of another schema version."""


class ConfigError(PaperkgError):
    """An option or environment variable has a value paperkg cannot use."""


class StoreError(PaperkgError):
    """A graph store (embedded or Neo4j) failed."""


class StoreUnavailableError(StoreError):
    """The server is unreachable or the embedded database cannot be opened."""


class StoreAuthError(StoreError):
    """The server refused the credentials."""


class DatabaseNotFoundError(StoreError):
    """The named database does not exist on the server."""


class QueryError(PaperkgError):
    """A named query or Cypher statement could not be run."""


class UnknownQueryError(QueryError):
    """No named query has this name."""


class QueryParameterError(QueryError):
    """A query parameter is missing or has the wrong type."""


class WriteNotAllowedError(QueryError):
    """A statement contains a write clause (CREATE, MERGE, SET, ...) and writes were not enabled."""


class CypherError(QueryError):
    """The engine rejected the statement; the message is the engine's."""


class SelectionError(PaperkgError):
    """A subgraph selection could not be resolved."""


class UnknownEntityError(SelectionError):
    """A --focus name matches no node."""


class AmbiguousEntityError(SelectionError):
    """A --focus name matches several nodes."""


class ExportError(PaperkgError):
    """An export cannot be written in the requested format (e.g. too large for mermaid)."""
