"""Per-document extraction in worker processes, results in input order."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from graphbuild.model import Paper

if TYPE_CHECKING:
    from spacy.language import Language

    from graphbuild.extract.pipeline import DocResult, ExtractorConfig

CHUNK = 128
_NLP: Language | None = None


def _init(config: ExtractorConfig) -> None:
    global _NLP
    import signal

    from graphbuild.extract.pipeline import shared_nlp

    # Ctrl-C reaches the whole process group: the parent reports it and ends the pool; a worker that took
    # it too would print its own traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    _NLP = shared_nlp(config)


def _work(chunk: Sequence[Paper]) -> list[DocResult]:
    from graphbuild.extract.pipeline import run_documents
    from graphbuild.gc_pause import gc_paused

    assert _NLP is not None
    with gc_paused():
        return list(run_documents(_NLP, chunk))


def run_parallel(
    papers: Sequence[Paper],
    workers: int,
    config: ExtractorConfig,
    on_progress: Callable[[int], None] | None = None,
) -> list[DocResult]:
    """``imap`` keeps chunk order, so the output equals the one-process output."""
    chunks = [papers[i : i + CHUNK] for i in range(0, len(papers), CHUNK)]
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    out: list[DocResult] = []
    with mp.get_context(method).Pool(workers, initializer=_init, initargs=(config,)) as pool:
        for res in pool.imap(_work, chunks):
            out.extend(res)
            if on_progress is not None:
                on_progress(len(res))
    return out
