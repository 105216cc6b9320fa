"""The trending-papers text format: a title line, then an abstract line, repeated.

Page-header noise ("Get trending papers in your email inbox…", a "Subscribe"
glued to the first title) is described in ``graphbuild/data/ingest/trending.yaml``.
Blank lines between records are allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from graphbuild.assets import data_dir, read_yaml
from graphbuild.ingest.source import BadRecord, RawRecord, numbered_lines


@cache
def _rules() -> tuple[re.Pattern[str], re.Pattern[str], int]:

    cfg = read_yaml((data_dir() / "ingest" / "trending.yaml").read_text("utf-8"))
    noise = re.compile("|".join(f"(?:{p})" for p in cfg["noise_lines"]))
    prefix = re.compile("|".join(f"(?:{p})" for p in cfg["glued_prefixes"]))
    return noise, prefix, int(cfg["max_title_chars"])


def read_trending(path: Path, name: str | None = None) -> Iterator[RawRecord | BadRecord]:
    where = name if name is not None else str(path)
    noise, prefix, max_title = _rules()
    title: tuple[int, str] | None = None
    for item in numbered_lines(path, where):
        if isinstance(item, BadRecord):
            yield item
            if item.fatal:
                return
            title = None  # an overlong abstract line: that record is the bad one
            continue
        n, text = item
        stripped = text.strip()
        if title is None:
            if not stripped or noise.fullmatch(stripped):
                continue
            stripped = prefix.sub("", stripped, count=1).strip()
            if len(stripped) > max_title:
                yield BadRecord(
                    where, n,
                    f"expected a title line, got {len(stripped):,} characters (titles are at most "
                    f"{max_title}); a title or abstract line is probably missing above this line",
                )  # fmt: skip
                continue
            title = (n, stripped)
            continue
        line, title_text = title
        title = None
        if not stripped:
            yield BadRecord(where, n, f"empty abstract for title {title_text[:60]!r} (line {line})")
            continue
        yield RawRecord(where, line, {"title": title_text, "abstract": text})
    if title is not None:
        yield BadRecord(where, title[0], f"missing abstract: file ends after the title {title[1][:60]!r}")
