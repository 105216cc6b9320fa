"""Pausing Python's cyclic garbage collector around bulk work that makes no reference cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (it is re-enabled after, if it was on).

    For code that makes millions of small, long-lived objects and no reference
    cycles (the extractor's records, the Neo4j loader's rows): reference counting
    frees everything, while the collector would only rescan the growing lists
    again and again. Callers keep a test that their work leaves no cyclic garbage.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
