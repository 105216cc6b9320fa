"""Per-document extraction in worker processes, results in input order.

Imports :mod:`graphbuild.extract.pipeline` (never the reverse). Worker processes tune their own garbage
collector (:func:`graphbuild.gc_pause.tune_worker_gc`); the calling process is left alone.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence

from graphbuild.extract.pipeline import DocResult, ExtractorConfig, run_documents, shared_nlp
from graphbuild.model import Paper

CHUNK = 128


def _init(config: ExtractorConfig) -> None:
    import signal

    from graphbuild.gc_pause import tune_worker_gc

    # Ctrl-C reaches the whole process group: the parent reports it and ends the pool; a worker that took
    # it too would print its own traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    shared_nlp(config)
    tune_worker_gc()


def _work(args: tuple[Sequence[Paper], ExtractorConfig]) -> list[DocResult]:
    chunk, config = args
    return list(run_documents(shared_nlp(config), chunk))


def pool_context() -> mp.context.BaseContext:
    """``forkserver`` where the platform has it, else ``spawn``: never a plain fork of the calling process,
    which deadlocks a child when another thread of the caller (a Dask client, a web server, a notebook)
    held a lock at that moment. The fork server imports the extractor's modules once, so each worker
    starts without importing spaCy again."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["graphbuild.extract.pipeline", "graphbuild.streaming"])
        return ctx
    return mp.get_context("spawn")


def run_parallel(
    papers: Sequence[Paper],
    workers: int,
    config: ExtractorConfig | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[DocResult]:
    """``imap`` keeps chunk order, so the output equals the one-process output."""
    config = config or ExtractorConfig()
    chunks = [(papers[i : i + CHUNK], config) for i in range(0, len(papers), CHUNK)]
    out: list[DocResult] = []
    with pool_context().Pool(workers, initializer=_init, initargs=(config,)) as pool:
        for res in pool.imap(_work, chunks):
            out.extend(res)
            if on_progress is not None:
                on_progress(len(res))
    return out
