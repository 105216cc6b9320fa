"""CSV with a header row: ``title``, ``abstract`` and optional ``id``, ``year``, ``url``, ``categories``.

Parsed strictly: a quote that is never closed, or text after a closing quote, is an error naming
the line where the record starts, and reading resumes on the next line (it never swallows the rows
that follow). A quoted field may span lines, up to :data:`MAX_RECORD_LINES` of them. The header
decides the delimiter (``,``, ``;`` or tab: whichever shows the required columns) and must not
repeat a column.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from graphbuild.errors import InputError
from graphbuild.ingest.source import MAX_LINE_BYTES, BadRecord, RawRecord, numbered_lines

REQUIRED = ("title", "abstract")
OPTIONAL = ("id", "year", "url", "doi", "categories", "authors")
#: a quoted field spanning more lines than this is taken for an unclosed quote
MAX_RECORD_LINES = 1000
_DELIMITERS = (",", ";", "\t")

# Oversized fields are rejected per record by the validator with a clear reason;
# the csv module's own 128 KiB limit would fail with an opaque error instead.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class _TooLong(Exception):
    pass


class _Feed:
    """The lines handed to ``csv.reader``, remembering those of the record being parsed so that a
    broken record can be reported at its first line and its other lines parsed again."""

    def __init__(self, items: Iterable[tuple[int, str] | BadRecord]) -> None:
        self._items = iter(items)
        self._back: deque[tuple[int, str]] = deque()
        self.taken: list[tuple[int, str]] = []
        self.size = 0
        self.problems: deque[BadRecord] = deque()  # reader problems (overlong line, unreadable rest)
        self.fatal: BadRecord | None = None

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        if len(self.taken) >= MAX_RECORD_LINES or self.size > MAX_LINE_BYTES:
            raise _TooLong
        if self._back:
            item = self._back.popleft()
        else:
            while True:
                if self.fatal is not None:
                    raise StopIteration
                got = next(self._items)
                if isinstance(got, BadRecord):
                    self.problems.append(got)
                    if got.fatal:
                        self.fatal = got
                    continue
                item = got
                break
        self.taken.append(item)
        self.size += len(item[1])
        return item[1] + "\n"

    def start(self) -> int:
        return self.taken[0][0] if self.taken else 0

    def restart_after_first(self) -> None:
        """Give back every line of the current record except its first."""
        self._back.extendleft(reversed(self.taken[1:]))
        self.clear()

    def clear(self) -> None:
        self.taken = []
        self.size = 0


def _header(path: str, row: list[str]) -> tuple[list[str], str | None]:
    """Lower-cased column names, and the delimiter to re-read with if not ','."""
    columns = [h.strip().lower() for h in row]
    if len(columns) == 1:
        for delim in _DELIMITERS[1:]:
            split = [c.strip().lower() for c in columns[0].split(delim)]
            if all(c in split for c in REQUIRED):
                return split, delim
    return columns, None


def _check_header(path: str, line: int, columns: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(
            path, line,
            f"missing column {', '.join(repr(c) for c in missing)} in the CSV header "
            f"(found: {', '.join(columns) or 'nothing'}); expected title, abstract "
            f"and optionally {', '.join(OPTIONAL)}",
        )  # fmt: skip
    repeated = sorted(c for c, n in Counter(c for c in columns if c).items() if n > 1)
    if repeated:
        raise InputError(
            path, line,
            f"column {', '.join(repr(c) for c in repeated)} appears more than once in the CSV header; "
            "rename or remove the extra one (paperkg will not guess which one holds the data)",
        )  # fmt: skip


def read_csv(path: Path, name: str | None = None) -> Iterator[RawRecord | BadRecord]:
    where = name if name is not None else str(path)
    feed = _Feed(numbered_lines(path, where))
    reader = csv.reader(feed, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        header = None
    except csv.Error as e:
        raise InputError(where, feed.start() or 1, f"malformed CSV header: {e}") from None
    except _TooLong:
        raise InputError(where, 1, "malformed CSV header: a quote in it is never closed") from None
    if header is None:
        yield from feed.problems
        return
    head_line = feed.start() or 1
    columns, delimiter = _header(where, header)
    _check_header(where, head_line, columns)
    if delimiter:
        reader = csv.reader(feed, strict=True, delimiter=delimiter)
    feed.clear()
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except (csv.Error, _TooLong) as e:
            start = feed.start()
            if isinstance(e, _TooLong):
                reason = (
                    f"malformed CSV: a quoted field opened on line {start} is still open after "
                    f"{len(feed.taken):,} lines; is a closing quote missing?"
                )
            elif "unexpected end of data" in str(e):
                reason = f"malformed CSV: a quote opened on line {start} is never closed"
            else:
                reason = f"malformed CSV: {e}"
            yield from _drain(feed)
            yield BadRecord(where, start, reason)
            feed.restart_after_first()  # the lines after it are read again, as records of their own
            reader = csv.reader(feed, strict=True, delimiter=delimiter or ",")
            continue
        yield from _drain(feed)
        start = feed.start()
        feed.clear()
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            yield BadRecord(where, start, f"expected {len(columns)} columns, found {len(row)}")
            continue
        yield RawRecord(where, start, dict(zip(columns, row, strict=True)))
    yield from _drain(feed)


def _drain(feed: _Feed) -> Iterator[BadRecord]:
    while feed.problems:
        yield feed.problems.popleft()
