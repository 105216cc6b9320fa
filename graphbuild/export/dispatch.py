"""Choose the writer for a format, run it, and summarise what it wrote."""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from graphbuild.errors import ConfigError, ExportError

if TYPE_CHECKING:
    import networkx as nx

    from graphbuild.subgraph import Selection

#: format name → (module in graphbuild.export, what ``out`` is, default file name)
FORMATS: Mapping[str, tuple[str, str, str]] = {
    "graphml": ("graphml", "file", "graph.graphml"),
    "gexf": ("gexf", "file", "graph.gexf"),
    "json": ("node_link", "file", "graph.json"),
    "csv": ("csv_tables", "directory", ""),
    "cypher": ("cypher", "file", "graph.cypher"),
    "neo4j-admin": ("neo4j_admin", "directory", ""),
    "vosviewer": ("vosviewer", "file", "graph.vos.json"),
    "bibtex": ("bibtex", "file", "papers.bib"),
    "mermaid": ("mermaid", "file", "graph.mmd"),
}

_EXTENSIONS = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".cypher": "cypher",
    ".cql": "cypher",
    ".bib": "bibtex",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
}


@dataclass(frozen=True)
class Written:
    """What a format module returns: the files, and the counts when they differ from the graph's."""

    paths: tuple[Path, ...]
    nodes: Mapping[str, int] | None = None
    edges: Mapping[str, int] | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportSummary:
    """Nodes per label and links per type written, total bytes, files; ``notes`` are extra lines
    for the user (e.g. the ``neo4j-admin`` import command)."""

    format: str
    paths: tuple[Path, ...]
    nodes: Mapping[str, int] = field(default_factory=dict)
    edges: Mapping[str, int] = field(default_factory=dict)
    bytes: int = 0
    notes: tuple[str, ...] = ()

    def line(self) -> str:
        """One line: ``graphml: 12 nodes (Paper 5, Method 7), 9 edges (USES 9), 4.1 kB → out.graphml``."""

        def per(counts: Mapping[str, int]) -> str:
            inner = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v)
            return f" ({inner})" if inner else ""

        where = (
            ", ".join(str(p) for p in self.paths)
            if len(self.paths) <= 3
            else (f"{self.paths[0].parent}/ ({len(self.paths)} files)")
        )
        n, e = sum(self.nodes.values()), sum(self.edges.values())
        return (
            f"{self.format}: {n} nodes{per(self.nodes)}, {e} edges{per(self.edges)}, {human_size(self.bytes)} → {where}"
        )


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} B"  # unreachable, keeps type checkers calm


def count_nodes(graph: nx.MultiDiGraph) -> dict[str, int]:
    return dict(Counter(d.get("label", "?") for _, d in graph.nodes(data=True)))


def count_edges(graph: nx.MultiDiGraph) -> dict[str, int]:
    return dict(Counter(k for _, _, k in graph.edges(keys=True)))


def format_from_path(out: str | Path) -> str | None:
    """Guess the format from ``out``'s extension (``None`` when it says nothing)."""
    name = Path(out).name.lower()
    if name.endswith(".vos.json") or name.endswith(".vosviewer.json"):
        return "vosviewer"
    suffix = Path(name).suffix
    if suffix == ".json":
        return "json"
    return _EXTENSIONS.get(suffix)


def _target(fmt: str, out: Path) -> Path:
    _, kind, default_name = FORMATS[fmt]
    if kind == "directory":
        if out.exists() and not out.is_dir():
            raise ConfigError(f"--out {out}: the {fmt} format writes several files; give a directory")
        out.mkdir(parents=True, exist_ok=True)
        return out
    if out.is_dir():
        return out / default_name
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def _neo4j_admin(graph: nx.MultiDiGraph, out: Path) -> Written:
    try:
        from graphbuild.export.neo4j_admin import write_neo4j_admin
    except ImportError:
        raise ExportError("the neo4j-admin format is not available in this installation") from None
    info = write_neo4j_admin(graph, out) or {}
    listed = info.get("files") or info.get("paths")
    if listed:
        # the writer may list paths relative to the cwd (out_dir as given) or to out_dir
        paths = tuple(Path(p) if Path(p).exists() else out / p for p in listed)
    else:
        paths = tuple(sorted(p for p in out.rglob("*") if p.is_file()))
    command = info.get("command")
    notes = (f"import with: {command}",) if command else ()
    return Written(paths, nodes=info.get("nodes"), edges=info.get("relationships"), notes=notes)


def _write(graph: nx.MultiDiGraph, fmt: str, target: Path, context: nx.MultiDiGraph | None) -> Written:
    if fmt == "neo4j-admin":
        return _neo4j_admin(graph, target)
    module = importlib.import_module(f"graphbuild.export.{FORMATS[fmt][0]}")
    if fmt == "vosviewer":
        return module.write(graph, target, context=context)
    return module.write(graph, target)


def export_graph(
    graph: nx.MultiDiGraph,
    fmt: str,
    out: str | Path | BinaryIO,
    *,
    context: nx.MultiDiGraph | None = None,
) -> ExportSummary:
    """Write ``graph`` as ``fmt`` to ``out``: a file, a directory (csv, neo4j-admin), ``"-"`` for stdout
    or an open binary stream (single-file formats). ``context`` is the graph the subgraph was selected
    from, for formats that need more than the subgraph (a VOSviewer map without papers links its
    entities by the papers of ``context`` that mention both)."""
    if fmt not in FORMATS:
        raise ConfigError(f"--format: unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    stream = _stream(out)
    if stream is not None:
        if FORMATS[fmt][1] == "directory":
            raise ConfigError(f"--out -: the {fmt} format writes several files; give a directory instead")
        with tempfile.TemporaryDirectory(prefix="paperkg-export-") as tmp:
            target = Path(tmp) / FORMATS[fmt][2]
            written = _write(graph, fmt, target, context)
            size = target.stat().st_size
            with target.open("rb") as f:
                shutil.copyfileobj(f, stream)
            stream.flush()
        paths: tuple[Path, ...] = (Path("-"),)
    else:
        written = _write(graph, fmt, _target(fmt, Path(cast("str | Path", out))), context)
        paths = written.paths
        size = sum(p.stat().st_size for p in written.paths if p.exists())
    return ExportSummary(
        format=fmt,
        paths=paths,
        nodes=dict(written.nodes) if written.nodes is not None else count_nodes(graph),
        edges=dict(written.edges) if written.edges is not None else count_edges(graph),
        bytes=size,
        notes=written.notes,
    )


def _stream(out: str | Path | BinaryIO) -> BinaryIO | None:
    """The binary stream ``out`` names: itself, or stdout for ``"-"``; ``None`` for a path."""
    if isinstance(out, str | Path):
        return sys.stdout.buffer if str(out) == "-" else None
    return out


def export_selection(
    graph: nx.MultiDiGraph, selection: Selection, fmt: str, out: str | Path | BinaryIO
) -> ExportSummary:
    """Select (:func:`graphbuild.subgraph.select`) and export in one call — the library side of
    ``paperkg export``. A VOSviewer map left without papers gets the selection minus its type filter
    and limit as ``context``, so its entities are linked by the papers that mention them together."""
    from graphbuild.subgraph import select

    sub = select(graph, selection)
    context = None
    if fmt == "vosviewer" and not any(d.get("label") == "Paper" for _, d in sub.nodes(data=True)):
        context = select(graph, replace(selection, types=(), limit=None))
    return export_graph(sub, fmt, out, context=context)
