"""JSON Lines: the arXiv metadata snapshot schema or plain ``title``/``abstract`` objects.

Both shapes are read by one reader; :mod:`graphbuild.ingest.records` maps the
arXiv fields (``id``, ``categories`` as a space-separated string, ``authors``,
``versions``/``update_date``) to paperkg's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from graphbuild.ingest.source import BadRecord, RawRecord, numbered_lines


def read_jsonl(path: Path) -> Iterator[RawRecord | BadRecord]:
    for item in numbered_lines(path):
        if isinstance(item, BadRecord):
            yield item
            return
        n, text = item
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            yield BadRecord(str(path), n, f"invalid JSON: {e.msg} (column {e.colno})")
            continue
        if not isinstance(obj, dict):
            yield BadRecord(str(path), n, f"expected a JSON object per line, got {type(obj).__name__}")
            continue
        yield RawRecord(str(path), n, obj)
