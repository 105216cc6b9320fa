"""The library API behind ``paperkg build`` and ``paperkg extract``.

    from graphbuild.pipeline import build
    result = build(["data/hf_trending_papers.txt"], out="out")
    result.counts.nodes  # {"Paper": 249, "Method": ...}; result.graph_path is out/graph.json

Both stream (see :mod:`graphbuild.streaming`): papers flow in shards through the extractor (this process,
``workers`` local processes, or a Dask cluster with ``scheduler``), extraction results are cached in the
build directory, and the graph is written table by table, so memory does not grow with the corpus. A
build is all-or-nothing (:mod:`graphbuild.build_dir`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from graphbuild import storage
from graphbuild.extract.pipeline import ExtractorConfig
from graphbuild.heap import release_memory
from graphbuild.ingest import IngestReport, OnError, read_papers
from graphbuild.model import Paper, PaperExtraction
from graphbuild.resolve import KeyRegistry
from graphbuild.streaming import SHARD_SIZE, ExtractionCounts, Progress, Silent, extract_stream
from graphbuild.tables import TABLES_DIR, GraphTables, TableCounts

log = logging.getLogger(__name__)

MANIFEST = "build.json"
KEYS_FILE = "keys.parquet"
VIEW_FILE = "view.html"


@dataclass(frozen=True)
class ExtractResult:
    report: IngestReport
    extractions: list[PaperExtraction]
    seconds: float


@dataclass(frozen=True)
class BuildResult:
    report: IngestReport
    out_dir: Path
    graph_path: Path
    embedded_path: Path | None
    view_path: Path | None
    counts: TableCounts
    extraction: ExtractionCounts
    build_id: str
    seconds: dict[str, float] = field(default_factory=dict)
    view_note: str = ""


def load_papers(
    inputs: Iterable[str | Path], *, fmt: str | None = None, on_error: OnError = "stop"
) -> tuple[list[Paper], IngestReport]:
    report = IngestReport()
    papers = list(read_papers(inputs, fmt=fmt, on_error=on_error, report=report))
    return papers, report


# ----------------------------------------------------------------------------- extract


def extract(
    inputs: Iterable[str | Path],
    *,
    fmt: str | None = None,
    on_error: OnError = "stop",
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    shard_size: int = SHARD_SIZE,
    config: ExtractorConfig | None = None,
) -> ExtractResult:
    """Ingest + extract + corpus-level resolution, every record in memory (see :func:`extract_to`)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="paperkg-extract-") as tmp:
        records = extract_records(inputs, Path(tmp), fmt=fmt, on_error=on_error, workers=workers,
                                  scheduler=scheduler, progress=progress, shard_size=shard_size,
                                  config=config)  # fmt: skip
        report = next(records)
        extractions = list(records)  # type: ignore[arg-type]
    return ExtractResult(report, extractions, time.perf_counter() - t0)  # type: ignore[arg-type]


def extract_records(
    inputs: Iterable[str | Path],
    work: Path,
    *,
    fmt: str | None = None,
    on_error: OnError = "stop",
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    shard_size: int = SHARD_SIZE,
    config: ExtractorConfig | None = None,
) -> Iterator[IngestReport | PaperExtraction]:
    """The ingest report, then every paper's extraction record in input order (streamed from ``work``)."""
    # persist=False: the cache in ``work`` goes with it, so results held in memory need not be written
    run = extract_stream(_local_inputs(inputs, work / "inputs"), work / "shards", work / "cache", fmt=fmt,
                         on_error=on_error, workers=workers, scheduler=scheduler, shard_size=shard_size,
                         progress=progress, config=config or ExtractorConfig(), persist=False)  # fmt: skip
    resolution = run.resolve()
    yield run.report
    yield from run.extractions(resolution)


def write_mentions(extractions: Iterable[PaperExtraction], out: str | Path | BinaryIO) -> int:
    """Write the public extraction records, one JSON object per line; returns the count.

    A path is written to a temporary name and renamed into place: an interrupted run leaves the old
    file. An open binary stream (stdout, for ``--out -``) is written as the records come."""
    if not isinstance(out, str | Path):
        return _write_records(extractions, out)
    p = Path(out)
    p.parent.mkdir(parents=True, exist_ok=True)
    with storage.open_write(p) as raw:
        return _write_records(extractions, raw)


def _write_records(extractions: Iterable[PaperExtraction], raw: BinaryIO) -> int:
    import io

    from graphbuild.extract import to_record

    n = 0
    f = io.TextIOWrapper(raw, encoding="utf-8")
    for ex in extractions:
        f.write(json.dumps(to_record(ex), ensure_ascii=False) + "\n")
        n += 1
    f.flush()
    f.detach()
    return n


def _local_inputs(inputs: Iterable[str | Path], directory: Path) -> list[str | Path]:
    """Inputs as local paths: fsspec URLs (s3://, gs://, https://...) are copied into ``directory`` first."""
    out: list[str | Path] = []
    for i in inputs:
        out.append(storage.fetch_local(str(i), directory) if storage.is_url(str(i)) else i)
    return out


# ----------------------------------------------------------------------------- build


def build(
    inputs: Iterable[str | Path],
    out: str | Path = "out",
    *,
    fmt: str | None = None,
    on_error: OnError = "stop",
    workers: int = 1,
    scheduler: str | None = None,
    embedded: bool = True,
    view: bool = True,
    neo4j_admin: bool = False,
    shard_size: int = SHARD_SIZE,
    cache: str | Path | None = None,
    progress: Progress | None = None,
    config: ExtractorConfig | None = None,
) -> BuildResult:
    """Ingest, extract, resolve, assemble; write ``OUT/tables``, ``graph.json``, the embedded DB and
    ``view.html`` (and ``neo4j-admin/`` with ``neo4j_admin``) — all or nothing.

    A rebuild into the same ``out`` extracts only new or changed papers (the cache in ``OUT/cache``, or
    ``cache``: another folder or an fsspec URL such as ``s3://bucket/paperkg-cache`` that Dask workers write
    to directly) and keeps entity keys stable (``OUT/keys.parquet``, the previous build's keys).
    """
    from graphbuild.build_dir import BuildDir

    progress = progress or Silent()
    config = config or ExtractorConfig()
    seconds: dict[str, float] = {}
    with BuildDir(out) as bd:
        tmp = bd.path
        t = time.perf_counter()
        run = extract_stream(_local_inputs(inputs, tmp / "inputs"), tmp / "work", cache or bd.cache, fmt=fmt,
                             on_error=on_error, workers=workers, scheduler=scheduler, shard_size=shard_size,
                             progress=progress, config=config)  # fmt: skip
        seconds["extract"] = time.perf_counter() - t
        counts = _resolve_and_assemble(run, read_keys(bd.out), tmp, progress, seconds)
        run.release()
        release_memory()
        build_id = _build_id(tmp / TABLES_DIR)
        graph_path = tmp / "graph.json"
        # one output stage at a time: at 1M papers the engine's COPY (~1.9 GB on top of the ~0.85 GB this
        # process still holds) beside graph.json's writer (3.41 GB measured) or the overview does not fit 3 GB
        _stage(progress, "graph.json", seconds,
               lambda: _graph_json(tmp, graph_path, build_id), lambda n: f"{n / 1e6:,.1f} MB")  # fmt: skip
        if neo4j_admin:
            _stage(progress, "neo4j-admin", seconds, lambda: _neo4j_admin(tmp), lambda n: f"{n} files")
        embedded_path = None
        if embedded:
            release_memory()
            embedded_path = _stage(progress, "embedded", seconds, lambda: _embedded(tmp), lambda p: p.name)
        view_path, view_note = None, ""
        if view:
            release_memory()
            view_path, view_note = _stage(progress, "view", seconds, lambda: _view(tmp, counts),
                                          lambda r: r[1])  # fmt: skip
        _write_manifest(tmp, build_id, run, counts, config, seconds)
        run.remove_work()
        storage.remove(tmp / "inputs")
        if cache is None:  # a cache of its own (a shared --cache may serve other builds: left as it is)
            run.cache.collect_garbage()
        bd.commit()
    final = bd.out
    return BuildResult(
        report=run.report, out_dir=final, graph_path=final / "graph.json",
        embedded_path=final / embedded_path.name if embedded_path else None,
        view_path=final / VIEW_FILE if view_path else None, counts=counts, extraction=run.counts,
        build_id=build_id, seconds=seconds, view_note=view_note,
    )  # fmt: skip


def _stage(progress: Progress, name: str, seconds: dict[str, float], fn: Any, note: Any) -> Any:
    t = time.perf_counter()
    progress.start(name)
    result = fn()
    seconds[name] = time.perf_counter() - t
    progress.done(name, seconds[name], note(result))
    return result


def _resolve_and_assemble(run: Any, keys: KeyRegistry, tmp: Path, progress: Progress,
                          seconds: dict[str, float]) -> TableCounts:  # fmt: skip
    """Resolve the corpus's names, write the tables and the build's keys; the resolution is dropped on
    return (the output stages need only the tables)."""
    t = time.perf_counter()
    resolution = run.resolve(keys)
    seconds["resolve"] = time.perf_counter() - t
    counts = _stage(progress, "assemble", seconds, lambda: _assemble(run, resolution, tmp, progress),
                    lambda c: f"{c.total:,} nodes and links")  # fmt: skip
    write_keys(resolution.registry, tmp / KEYS_FILE)
    return counts


def _assemble(run: Any, resolution: Any, tmp: Path, progress: Progress) -> TableCounts:
    tables = GraphTables(tmp / TABLES_DIR)
    total = run.counts.papers
    progress.total(total)
    step = max(1, min(2000, total // 100))
    for i, ex in enumerate(run.extractions(resolution), start=1):
        tables.add(ex)
        if i % step == 0:
            progress.update(i)
    progress.update(total)
    return tables.close()


def _build_id(tables: Path) -> str:
    """A hash of the graph's tables: the same graph gets the same id (a local and a Dask build agree)."""
    h = hashlib.blake2b(digest_size=10)
    for p in sorted(tables.rglob("*.parquet")):
        h.update(p.relative_to(tables).as_posix().encode())
        with p.open("rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()


def _graph_json(tmp: Path, path: Path, build_id: str) -> int:
    from graphbuild.tables import write_graph_json

    return write_graph_json(tmp / TABLES_DIR, path, {"build_id": build_id})


def _embedded(tmp: Path) -> Path:
    from graphbuild.store.embedded import write_embedded

    return write_embedded(None, tmp, tables=tmp / TABLES_DIR)


def _view(tmp: Path, counts: TableCounts) -> tuple[Path, str]:
    """The whole graph up to the theme's ``overview_above_nodes``; above, the overview map, made from the
    tables' node and link streams (the graph is never loaded whole)."""
    from graphbuild.tables import load_tables_graph, read_graph_streams
    from graphbuild.view import choose_mode, render_overview, render_view

    total = sum(counts.nodes.values())
    if choose_mode(total) == "full":
        report = render_view(load_tables_graph(tmp), tmp / VIEW_FILE, mode="full")
        return report.path, f"{total:,} nodes"
    _, nodes, links = read_graph_streams(tmp)
    report = render_overview(nodes, links, tmp / VIEW_FILE)
    return report.path, (f"overview map of {total:,} nodes ({report.nodes:,} drawn); "
                         "`paperkg view OUT --focus NAME` draws any part in full")  # fmt: skip


def _neo4j_admin(tmp: Path) -> int:
    from graphbuild.export.neo4j_admin import write_neo4j_admin_tables

    return len(write_neo4j_admin_tables(tmp / TABLES_DIR, tmp / "neo4j-admin")["files"])


def _write_manifest(tmp: Path, build_id: str, run: Any, counts: TableCounts, config: ExtractorConfig,
                    seconds: dict[str, float]) -> None:  # fmt: skip
    from graphbuild.schema import load_schema

    manifest = {
        "build_id": build_id, "schema_version": load_schema().version,
        "extractor_version": run.cache.version, "ingest": run.report.as_dict(),
        "extraction": asdict(run.counts), "nodes": counts.nodes, "relationships": counts.relationships,
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
    }  # fmt: skip
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def read_manifest(out_dir: str | Path) -> dict[str, Any] | None:
    p = Path(out_dir) / MANIFEST
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# ----------------------------------------------------------------------------- stable keys


def read_keys(out_dir: str | Path) -> KeyRegistry:
    """The keys of the build in ``out_dir`` (empty if there is none)."""
    import pyarrow.parquet as pq

    p = Path(out_dir) / KEYS_FILE
    if not p.is_file():
        return KeyRegistry()
    try:
        t = pq.read_table(p)
    except Exception:
        log.warning("%s is unreadable; entity keys start afresh", p)
        return KeyRegistry()
    cols = [t.column(c).to_pylist() for c in ("type", "match_key", "key")]
    return KeyRegistry.from_rows(zip(*cols, strict=True))


def write_keys(registry: KeyRegistry, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(registry.rows())
    table = pa.table({name: pa.array([r[i] for r in rows], pa.string())
                      for i, name in enumerate(("type", "match_key", "key"))})  # fmt: skip
    pq.write_table(table, path, compression="zstd")
