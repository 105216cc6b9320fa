"""The library API behind ``paperkg build`` and ``paperkg extract``.

    from graphbuild.pipeline import build
    result = build(["data/hf_trending_papers.txt"], out="out")
    result.graph  # networkx MultiDiGraph; result.graph_path is out/graph.json
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from graphbuild.graph import build_graph, save_graph
from graphbuild.ingest import IngestReport, OnError, read_papers
from graphbuild.model import Paper, PaperExtraction

log = logging.getLogger(__name__)
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExtractResult:
    report: IngestReport
    extractions: list[PaperExtraction]
    seconds: float


@dataclass(frozen=True)
class BuildResult:
    report: IngestReport
    graph: nx.MultiDiGraph
    graph_path: Path
    embedded_path: Path | None
    view_path: Path | None
    seconds: dict[str, float]


def load_papers(
    inputs: Iterable[str | Path], *, fmt: str | None = None, on_error: OnError = "stop"
) -> tuple[list[Paper], IngestReport]:
    report = IngestReport()
    papers = list(read_papers(inputs, fmt=fmt, on_error=on_error, report=report))
    return papers, report


def extract(
    inputs: Iterable[str | Path],
    *,
    fmt: str | None = None,
    on_error: OnError = "stop",
    workers: int = 1,
    on_progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
    extractor: str = "learned",
) -> ExtractResult:
    """Ingest + extract + corpus-level resolution."""
    papers, report = load_papers(inputs, fmt=fmt, on_error=on_error)
    from graphbuild.extract import extract_corpus  # spaCy loads only once the input is known good

    if on_start:
        on_start(len(papers))
    t0 = time.perf_counter()
    extractions = extract_corpus(papers, workers=workers, on_progress=on_progress, extractor=extractor)
    return ExtractResult(report, extractions, time.perf_counter() - t0)


def write_mentions(extractions: Iterable[PaperExtraction], out: str | Path) -> int:
    """Write the public extraction records, one JSON object per line; returns the count."""
    from graphbuild.extract import to_record

    p = Path(out)
    p.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with p.open("w", encoding="utf-8") as f:
        for ex in extractions:
            f.write(json.dumps(to_record(ex), ensure_ascii=False) + "\n")
            n += 1
    return n


def build(
    inputs: Iterable[str | Path],
    out: str | Path = "out",
    *,
    fmt: str | None = None,
    on_error: OnError = "stop",
    workers: int = 1,
    embedded: bool = True,
    view: bool = True,
    on_progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
    extractor: str = "learned",
) -> BuildResult:
    """Ingest, extract, resolve, build the graph; write ``graph.json``, the embedded DB and ``view.html``."""
    t0 = time.perf_counter()
    ex = extract(inputs, fmt=fmt, on_error=on_error, workers=workers, on_progress=on_progress, on_start=on_start,
                 extractor=extractor)
    t1 = time.perf_counter()
    graph = build_graph(ex.extractions)
    out_dir = Path(out)
    graph_path = save_graph(graph, out_dir)
    t2 = time.perf_counter()
    embedded_path = None
    if embedded:
        from graphbuild.store import write_embedded

        embedded_path = write_embedded(graph, out_dir)
    t3 = time.perf_counter()
    view_path = None
    if view:
        from graphbuild.view import render_view

        view_path = render_view(graph, out_dir / "view.html").path
    t4 = time.perf_counter()
    seconds = {"ingest+extract": t1 - t0, "graph": t2 - t1, "embedded": t3 - t2, "view": t4 - t3}
    log.info("built %s in %.1fs", graph_path, t4 - t0)
    return BuildResult(ex.report, graph, graph_path, embedded_path, view_path, seconds)
