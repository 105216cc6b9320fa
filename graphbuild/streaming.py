"""The streaming core of ``build`` and ``extract``: ingest → extraction in shards → corpus-level resolution.

Papers flow in shards of a few thousand. Each shard's papers are spilled to the work directory; the ones
the extraction cache does not hold go to an executor as one task (this process, local worker processes,
or Dask workers), whose result — prepared extraction records, see :mod:`graphbuild.extraction_cache` —
lands in the cache as a *unit*. A run extracting in its own process keeps the first
:data:`MEMORY_PAPERS` papers and their results in memory instead (spilling and reading them back cost
~8% of a 20k-paper ``paperkg extract``); the cache units are still written when the cache outlives the
run (``persist``). As shards complete, in input order, their papers' mentions are added to
the name table (:class:`graphbuild.resolve.NameTable`). After the last shard, resolution decides the
entities once; :meth:`CorpusExtraction.extractions` then streams each paper's final record, shard by
shard. Memory is bounded by the shard size, the tasks in flight, the papers held (at most
:data:`MEMORY_PAPERS`) and the name table, not by the corpus.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from graphbuild import arrow_records, storage
from graphbuild.extract.pipeline import Assembler, ExtractorConfig, finish
from graphbuild.extraction_cache import ExtractionCache, encode_unit, paper_hash, unit_id, write_unit
from graphbuild.ingest import IngestReport, OnError, read_papers
from graphbuild.model import Paper, PaperExtraction
from graphbuild.resolve import DocInput, KeyRegistry, MentionRef, NameTable, Resolution

log = logging.getLogger(__name__)

SHARD_SIZE = 2000
#: papers (and their extraction results) a run extracting in its own process holds in memory for pass 2
#: instead of spilling them: ~6 kB each (the texts, normalized too, and the prepared mentions), ~0.3 GB at most
MEMORY_PAPERS = 50_000


# ----------------------------------------------------------------------------- progress


class Progress(Protocol):
    """What a long run tells its caller (the CLI draws bars; the library default says nothing)."""

    def start(self, stage: str, total: int | None = None) -> None: ...

    def total(self, total: int) -> None: ...

    def update(self, completed: int | None, note: str = "") -> None: ...

    def done(self, stage: str, seconds: float, note: str = "") -> None: ...


class Silent:
    def start(self, stage: str, total: int | None = None) -> None:
        pass

    def total(self, total: int) -> None:
        pass

    def update(self, completed: int | None, note: str = "") -> None:
        pass

    def done(self, stage: str, seconds: float, note: str = "") -> None:
        pass


# ----------------------------------------------------------------------------- extraction tasks


@lru_cache(maxsize=2)
def _assembler(config: ExtractorConfig) -> Assembler:
    return Assembler(config)


def extract_unit(
    papers: Sequence[Paper], hashes: Sequence[str], directory: str | None, config: ExtractorConfig
) -> tuple[str, list[str], dict[str, bytes] | None]:
    """One extraction task: run the extractor over ``papers`` and write their unit into the cache
    ``directory`` (a path this process sees, or an fsspec URL), or, with ``directory=None``, return the
    unit's files for the caller to write (a worker on another machine). Runs in any process; returns the
    unit id, the papers' hashes and the files (None when written here)."""
    unit, hashes, files, _ = _extract(papers, hashes, directory, config)
    return unit, hashes, files


def extract_unit_here(
    papers: Sequence[Paper], hashes: Sequence[str], directory: str, config: ExtractorConfig
) -> tuple[str, list[str], None, list[DocInput]]:
    """:func:`extract_unit` in the caller's process, plus the papers' resolution inputs: the name table
    takes them as they are instead of reading them back from the unit just written."""
    unit, hashes, _, inputs = _extract(papers, hashes, directory, config)
    return unit, hashes, None, inputs


def prepare_papers(papers: Sequence[Paper], config: ExtractorConfig) -> list[Any]:
    """The extractor's per-paper results (:class:`graphbuild.extract.pipeline.PreparedPaper`) in this process."""
    from graphbuild.extract.pipeline import run_documents, shared_nlp

    asm = _assembler(config)
    return [asm.prepare(r) for r in run_documents(shared_nlp(config), papers)]


def _extract(
    papers: Sequence[Paper], hashes: Sequence[str], directory: str | None, config: ExtractorConfig
) -> tuple[str, list[str], dict[str, bytes] | None, list[DocInput]]:
    prepared = prepare_papers(papers, config)
    unit = unit_id(hashes)
    files = encode_unit(hashes, prepared)
    # what read_doc_inputs gives for this unit: type, name (no generic head noun), vocabulary id per mention
    inputs = [DocInput(tuple(MentionRef(m.type, m.name, m.vocab_id) for m in p.mentions), p.pairs)
              for p in prepared]  # fmt: skip
    if directory is None:
        return unit, list(hashes), files, inputs
    write_unit(directory, unit, files)
    return unit, list(hashes), None, inputs


class Executor(Protocol):
    """Runs :func:`extract_unit` tasks; futures have ``done()`` and ``result()``."""

    slots: int  # tasks worth keeping in flight
    shares_files: bool  # its workers see this machine's files (else results come back to be written here)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any: ...

    def close(self, *, abort: bool = False) -> None: ...


class _Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def done(self) -> bool:
        return True

    def result(self) -> Any:
        return self.value


class InlineExecutor:
    """Tasks run in this process, at once (``-j 1``)."""

    slots = 1
    shares_files = True
    in_process = True  # results need no trip through files or pickles

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        return _Done(fn(*args))

    def close(self, *, abort: bool = False) -> None:
        pass


def _init_worker(config: ExtractorConfig) -> None:
    import signal

    from graphbuild.extract.pipeline import shared_nlp
    from graphbuild.gc_pause import tune_worker_gc

    # Ctrl-C reaches the whole process group: the parent stops the workers (no traceback from each of them)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    shared_nlp(config)
    _assembler(config)
    tune_worker_gc()  # a worker process of ours: its long-lived matchers out of the collector's way


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when its parent dies, however it dies (no orphans after kill -9)."""
    import contextlib
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class ProcessExecutor:
    """``workers`` local processes (from a fork server where available), each with its own pipeline."""

    shares_files = True

    def __init__(self, workers: int, config: ExtractorConfig) -> None:
        from concurrent.futures import ProcessPoolExecutor

        from graphbuild.extract.parallel import pool_context

        self.slots = workers + 1
        self._pool = ProcessPoolExecutor(workers, mp_context=pool_context(), initializer=_init_worker,
                                         initargs=(config,))  # fmt: skip

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        return self._pool.submit(fn, *args)

    def close(self, *, abort: bool = False) -> None:
        if abort:  # interrupted or failed: do not wait for the tasks in flight
            for p in list(getattr(self._pool, "_processes", {}).values()):
                p.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)


def make_executor(workers: int, scheduler: str | None, config: ExtractorConfig) -> Executor:
    if scheduler:
        from graphbuild.dask_executor import DaskExecutor

        return DaskExecutor(scheduler)
    if workers <= 1:
        return InlineExecutor()
    return ProcessExecutor(workers, config)


# ----------------------------------------------------------------------------- the run


@dataclass
class Shard:
    index: int
    path: Path  # its papers, spilled (when not held)
    hashes: list[str]
    position: int  # papers up to its last one (progress)
    papers: list[Paper] | None = None  # held in memory instead of spilled


@dataclass
class ExtractionCounts:
    papers: int = 0
    extracted: int = 0
    reused: int = 0  # found in the cache (an earlier or killed build, or the same content earlier in this one)
    units: int = 0


@dataclass
class CorpusExtraction:
    """One streaming pass over the inputs; then :meth:`resolve` and :meth:`extractions`."""

    work_dir: Path
    cache: ExtractionCache
    executor: Executor
    config: ExtractorConfig = field(default_factory=ExtractorConfig)
    shard_size: int = SHARD_SIZE
    progress: Progress = field(default_factory=Silent)
    report: IngestReport = field(default_factory=IngestReport)
    counts: ExtractionCounts = field(default_factory=ExtractionCounts)
    #: write the results of held shards to the cache too (False: the cache dies with the run)
    persist: bool = True
    #: papers held in memory when extracting in this process (None: :data:`MEMORY_PAPERS`)
    memory_papers: int | None = None

    def __post_init__(self) -> None:
        self.shards: list[Shard] = []
        self._hold_limit = MEMORY_PAPERS if self.memory_papers is None else self.memory_papers
        self._held: dict[str, Any] = {}  # hash → PreparedPaper of the held shards' extracted papers
        self._held_papers = 0
        self.names = NameTable(_assembler(self.config).vocab)
        self._inflight: dict[str, Any] = {}  # hash → future of the unit extracting it
        self._fed = 0  # shards whose papers are in the name table
        self._queue: deque[Any] = deque()  # futures in submission order
        self._inputs: dict[str, DocInput] = {}  # resolution inputs of units extracted in this process, until fed

    # ------------------------------------------------------------------ pass 1

    def run(self, inputs: Sequence[str | Path], *, fmt: str | None = None, on_error: OnError = "stop") -> None:
        t0 = time.perf_counter()
        # the bar's total is the number of papers, known once the reader's first pass (validation and
        # duplicates) is done, before the first paper arrives
        self.progress.start("extract")
        papers = read_papers(inputs, fmt=fmt, on_error=on_error, report=self.report)
        self.work_dir.mkdir(parents=True, exist_ok=True)
        while batch := list(islice(papers, self.shard_size)):
            if not self.shards and self.report.expected is not None:
                self.progress.total(self.report.expected)
            shard = self._shard(batch)
            self._submit(shard, batch)
            self._pump(block=False)
            while len(self._queue) > self.executor.slots:
                self._queue[0].result()
                self._pump(block=False)
        self._pump(block=True)
        note = f"{self.counts.papers:,} papers: {self.counts.extracted:,} extracted, {self.counts.reused:,} reused"
        self.progress.done("extract", time.perf_counter() - t0, note)

    def _shard(self, batch: list[Paper]) -> Shard:
        index = len(self.shards)
        path = self.work_dir / f"papers-{index:06d}.json.zst"
        held = getattr(self.executor, "in_process", False) and self._held_papers + len(batch) <= self._hold_limit
        if held:
            self._held_papers += len(batch)
        else:
            write_papers(path, batch)
        self.counts.papers += len(batch)
        shard = Shard(index, path, [paper_hash(p) for p in batch], self.counts.papers, batch if held else None)
        self.shards.append(shard)
        return shard

    def _submit(self, shard: Shard, batch: list[Paper]) -> None:
        misses: list[Paper] = []
        miss_hashes: list[str] = []
        seen: set[str] = set()
        for p, h in zip(batch, shard.hashes, strict=True):
            if h in self.cache or h in self._held or h in self._inflight or h in seen:
                self.counts.reused += 1
            else:
                misses.append(p)
                miss_hashes.append(h)
                seen.add(h)
        if misses and shard.papers is not None:
            self._extract_held(misses, miss_hashes)
        elif misses:
            shared = self.executor.shares_files or storage.is_url(self.cache.directory)
            directory = str(self.cache.directory) if shared else None
            here = getattr(self.executor, "in_process", False) and directory is not None
            task = extract_unit_here if here else extract_unit
            future = self.executor.submit(task, misses, miss_hashes, directory, self.config)
            for h in miss_hashes:
                self._inflight[h] = future
            self._queue.append(future)
            self.counts.extracted += len(misses)
            self.counts.units += 1

    def _extract_held(self, papers: list[Paper], hashes: list[str]) -> None:
        """Extract a held shard's new papers here; their results stay in memory for pass 2."""
        prepared = prepare_papers(papers, self.config)
        if self.persist:
            unit = unit_id(hashes)
            write_unit(self.cache.directory, unit, encode_unit(hashes, prepared))
            self.cache.add_unit(unit, hashes, used=True)  # pass 2 reads them from memory, not from the unit
        self._held.update(zip(hashes, prepared, strict=True))
        self.counts.extracted += len(papers)
        self.counts.units += 1

    def _pump(self, *, block: bool) -> None:
        """Take finished units into the cache (all of them when ``block``); feed the shards whose papers are
        all cached, in input order, to the name table."""
        pending: deque[Any] = deque()
        while self._queue:
            future = self._queue.popleft()
            if block or future.done():
                unit, hashes, files, *inputs = future.result()
                if files is not None:  # extracted on another machine
                    write_unit(self.cache.directory, unit, files)
                self.cache.add_unit(unit, hashes)
                if inputs:  # extracted in this process
                    for h, doc_input in zip(hashes, inputs[0], strict=True):
                        self._inputs.setdefault(h, doc_input)
                for h in hashes:
                    self._inflight.pop(h, None)
            else:
                pending.append(future)
        self._queue = pending
        cache, held = self.cache, self._held
        while self._fed < len(self.shards):
            shard = self.shards[self._fed]
            if any(h not in cache and h not in held for h in shard.hashes):
                break
            for h in shard.hashes:
                prepared = held.get(h)
                if prepared is not None:
                    self.names.add(prepared.doc_input())
                    continue
                # a paper's resolution input once per occurrence: a repeated one comes from the cache
                doc_input = self._inputs.pop(h, None)
                self.names.add(doc_input if doc_input is not None else cache.doc_input(h))
            self._fed += 1
            self.progress.update(shard.position, f"{self.names.documents:,} papers")

    # ------------------------------------------------------------------ pass 2

    def resolve(self, registry: KeyRegistry | None = None) -> Resolution:
        t0 = time.perf_counter()
        self.progress.start("resolve")
        resolution = self.names.resolve(registry)
        self.progress.done("resolve", time.perf_counter() - t0, f"{len(resolution.table):,} entities")
        return resolution

    def extractions(self, resolution: Resolution) -> Iterator[PaperExtraction]:
        """Every paper's final extraction record, in input order."""
        d = 0
        held = self._held
        for shard in self.shards:
            papers = shard.papers if shard.papers is not None else read_papers_spilled(shard.path)
            for paper, h in zip(papers, shard.hashes, strict=True):
                prepared = held.get(h)
                if prepared is None:
                    prepared = self.cache.get(h)
                yield finish(paper, prepared, resolution.keys_of(d), resolution.table)
                d += 1

    def release(self) -> None:
        """Free what only resolution and assembly need (the name table, every paper's hash, the cache's
        index): at 1M papers ~0.5 GB the output stages would otherwise carry."""
        self.names = NameTable(None)
        self.shards = []
        self._held = {}
        self.cache.release()

    def remove_work(self) -> None:
        storage.remove(self.work_dir)


# ----------------------------------------------------------------------------- spilled papers
#
# A shard's papers wait in the work directory until pass 2 writes their records. They are read back by
# this process only, so the format needs no schema: the Paper columns as one zstd-compressed JSON object
# (about 3x faster to write and 8x faster to read than Parquet with pyarrow.Table conversions, and
# smaller), surrogates kept as they came in.


def write_papers(path: Path, papers: Sequence[Paper]) -> None:
    import json

    import pyarrow as pa

    columns = {c.name: [getattr(p, c.name) for p in papers] for c in arrow_records.columns(Paper)}
    data = json.dumps(columns, ensure_ascii=False).encode("utf-8", "surrogatepass")
    packed = pa.compress(data, codec="zstd", asbytes=True)
    path.write_bytes(len(data).to_bytes(8, "little") + packed)


def read_papers_spilled(path: Path) -> list[Paper]:
    import json

    import pyarrow as pa

    raw = path.read_bytes()
    size = int.from_bytes(raw[:8], "little")
    data = pa.decompress(raw[8:], decompressed_size=size, codec="zstd", asbytes=True)
    columns = json.loads(data.decode("utf-8", "surrogatepass"))
    values = [c.decode(columns[c.name]) if c.decode else columns[c.name] for c in arrow_records.columns(Paper)]
    return [Paper(*row) for row in zip(*values, strict=True)]


def open_cache(root: str | Path, config: ExtractorConfig) -> ExtractionCache:
    from graphbuild.extraction_cache import extractor_version

    cache = ExtractionCache(root, extractor_version(config))
    cache.scan()
    return cache


def extract_stream(
    inputs: Iterable[str | Path],
    work_dir: Path,
    cache_root: str | Path,
    *,
    fmt: str | None = None,
    on_error: OnError = "stop",
    workers: int = 1,
    scheduler: str | None = None,
    shard_size: int = SHARD_SIZE,
    progress: Progress | None = None,
    config: ExtractorConfig | None = None,
    persist: bool = True,
) -> CorpusExtraction:
    """Run pass 1 (ingest + extraction + name table) and return the run, ready to resolve.

    ``persist=False``: the cache dies with the run (``paperkg extract``), so results held in memory are
    not written to it."""
    config = config or ExtractorConfig()
    cache = open_cache(cache_root, config)
    executor = make_executor(workers, scheduler, config)
    try:
        run = CorpusExtraction(work_dir, cache, executor, config, shard_size, progress or Silent(), persist=persist)
        run.run(list(inputs), fmt=fmt, on_error=on_error)
    except BaseException:
        executor.close(abort=True)
        raise
    executor.close()
    return run
