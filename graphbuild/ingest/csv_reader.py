"""CSV with a header row: ``title``, ``abstract`` and optional ``id``, ``year``, ``url``, ``categories``."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from graphbuild.errors import InputError
from graphbuild.ingest.source import BadRecord, RawRecord, numbered_lines

REQUIRED = ("title", "abstract")
OPTIONAL = ("id", "year", "url", "doi", "categories", "authors")

# Oversized fields are rejected per record by the validator with a clear reason;
# the csv module's own 128 KiB limit would fail with an opaque error instead.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_csv(path: Path) -> Iterator[RawRecord | BadRecord]:
    pending: list[BadRecord] = []

    def lines() -> Iterator[str]:
        for item in numbered_lines(path):
            if isinstance(item, BadRecord):
                pending.append(item)
                return
            yield item[1] + "\n"

    reader = csv.reader(lines())
    try:
        header = next(reader)
    except StopIteration:
        if pending:
            yield pending[0]
        return
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(
            str(path), 1,
            f"missing column {', '.join(repr(c) for c in missing)} in the CSV header "
            f"(found: {', '.join(columns) or 'nothing'}); expected title, abstract "
            f"and optionally {', '.join(OPTIONAL)}",
        )  # fmt: skip
    last = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            yield BadRecord(str(path), last + 1, f"malformed CSV: {e}")
            last = reader.line_num
            continue
        start, last = last + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            yield BadRecord(str(path), start, f"expected {len(columns)} columns, found {len(row)}")
            continue
        yield RawRecord(str(path), start, dict(zip(columns, row, strict=True)))
    yield from pending
