"""JSON Lines: the arXiv metadata snapshot schema or plain ``title``/``abstract`` objects.

Both shapes are read by one reader; :mod:`graphbuild.ingest.records` maps the
arXiv fields (``id``, ``categories`` as a space-separated string, ``authors``,
``versions``/``update_date``) to paperkg's. Every way ``json`` can fail on one line
(syntax, an integer over Python's 4,300-digit limit, nesting deeper than the
parser's recursion limit) is a bad record with its line number.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from graphbuild.ingest.source import BadRecord, RawRecord, numbered_lines


def parse_line(text: str) -> object:
    """``json.loads`` with its non-syntax failures turned into ``ValueError`` reasons."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"invalid JSON: {e.msg} (column {e.colno})") from None
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply to parse") from None
    except ValueError as e:  # e.g. "Exceeds the limit (4300 digits) for integer string conversion"
        raise ValueError(f"invalid JSON: {str(e).splitlines()[0]}") from None


def read_jsonl(path: Path, name: str | None = None) -> Iterator[RawRecord | BadRecord]:
    where = name if name is not None else str(path)
    for item in numbered_lines(path, where):
        if isinstance(item, BadRecord):
            yield item
            if item.fatal:
                return
            continue
        n, text = item
        if not text.strip():
            continue
        try:
            obj = parse_line(text)
        except ValueError as e:
            yield BadRecord(where, n, str(e))
            continue
        if not isinstance(obj, dict):
            yield BadRecord(where, n, f"expected a JSON object per line, got {type(obj).__name__}")
            continue
        yield RawRecord(where, n, obj)
