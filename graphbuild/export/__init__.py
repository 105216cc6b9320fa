"""Write a (sub)graph in the formats other tools read: one module per format.

:func:`export_graph` is the entry point (the library side of ``paperkg export``); every format returns
an :class:`ExportSummary` of what it wrote. Column sets, escaping rules and how links are represented
in each format are documented in the module of that format and in ``docs/export-formats.md``.
"""

from __future__ import annotations

from graphbuild.export.dispatch import FORMATS, ExportSummary, export_graph, export_selection, format_from_path

__all__ = ["FORMATS", "ExportSummary", "export_graph", "export_selection", "format_from_path"]
