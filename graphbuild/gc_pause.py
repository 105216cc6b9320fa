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


def tune_worker_gc() -> None:
    """For a worker process (or the CLI) after its long-lived set-up (spaCy matchers, vocabularies): move
    everything alive into the permanent generation and collect young objects less often.

    Process-wide, so only processes paperkg owns call it (worker processes, the ``paperkg`` command), never a
    library function: the matchers hold ~10^5 long-lived objects the collector would otherwise rescan on
    every full collection while documents are processed. The middle generation is collected 3x less often
    too: with 50k-object young generations, its collections took ~40% of the collector's time in a 20k-paper
    ``paperkg extract`` (0.21 of 0.54 s; 0.01 s at 30, peak memory unchanged).
    """
    gc.collect()
    gc.freeze()
    gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(gen0, 50_000), max(gen1, 30), gen2)
