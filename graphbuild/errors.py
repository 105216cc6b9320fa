"""paperkg's exception tree.

Every error a user can cause derives from :class:`PaperkgError`. Messages say
what was expected, where, and how to fix it; the CLI prints ``str(error)`` on
one line and exits with ``error.exit_code``, never a traceback: 2 for a usage
error or bad input (the user can fix the command or the file), 1 for a runtime
failure (server down, engine failure, disk full, interrupted).

    PaperkgError
    ├── InputError            bad input record / file       (file:line: ...)
    │   └── UnsupportedFormatError
    ├── GraphFileError        graph.json / GraphML unreadable or wrong schema
    ├── ConfigError           bad option value or environment variable
    ├── OutputError           an output path cannot be used (a file where a folder is needed, ...)
    │   ├── WriteFailedError        writing failed at run time (disk full, I/O error)   exit 1
    │   └── BuildLockedError        another build is writing the same --out             exit 1
    ├── ClusterError          the Dask scheduler is unreachable or a task failed  exit 1
    ├── StoreError            a graph store failed                                exit 1
    │   ├── StoreUnavailableError   server unreachable / database locked        exit 1
    │   ├── StoreAuthError          wrong credentials                           exit 2
    │   └── DatabaseNotFoundError   unknown database name                       exit 2
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

import re


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


class OutputError(PaperkgError):
    """An output path cannot be used as given (a file where a folder is needed, no permission, ...)."""


class WriteFailedError(OutputError):
    """Writing an output failed while running (disk full, I/O error): a runtime failure."""

    exit_code = 1


class BuildLockedError(OutputError):
    """Another paperkg build holds the lock of the same output directory (a runtime failure)."""

    exit_code = 1


class ClusterError(PaperkgError):
    """The Dask cluster cannot be reached or an extraction task failed on it (a runtime failure)."""

    exit_code = 1


class StoreError(PaperkgError):
    """A graph store (embedded or Neo4j) failed at run time."""

    exit_code = 1


class StoreUnavailableError(StoreError):
    """The server is unreachable or the embedded database cannot be opened."""


class StoreAuthError(StoreError):
    """The server refused the credentials (the user's input: exit 2)."""

    exit_code = 2


class DatabaseNotFoundError(StoreError):
    """The named database does not exist on the server (the user's input: exit 2)."""

    exit_code = 2


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


# ----------------------------------------------------------------------------- message text

# C0/C1 controls, DEL, lone surrogates (U+DC80..U+DCFF are undecodable bytes from file names or argv),
# line/paragraph separators and bidi controls: each would break a one-line message or fake its text
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` with every control character escaped (``\\n``, ``\\x1b``, ...), so it prints as one line
    and cannot move the cursor, recolour the terminal or fake another message."""
    return _UNPRINTABLE.sub(_escape, text)


def engine_message(text: str) -> str:
    """A database engine's multi-line message as one line: lines joined with a space, caret-only lines
    (the ``^`` under a syntax error) dropped; the quoted statement line is kept."""
    lines = [line.strip() for line in str(text).strip().splitlines()]
    return " ".join(line for line in lines if line and set(line) != {"^"})
