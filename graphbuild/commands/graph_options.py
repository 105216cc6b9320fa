"""The GRAPH argument, declared once for every command that reads a built graph (stats, export, view, load).

    from graphbuild.commands.graph_options import DEFAULT_GRAPH, GraphArg

    def stats_command(graph: GraphArg = DEFAULT_GRAPH, ...) -> None: ...

It defaults to ``out``, the directory ``paperkg build`` writes when given no ``--out``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

GraphArg = Annotated[
    Path,
    typer.Argument(metavar="GRAPH", help="graph.json or a `paperkg build` output directory.", show_default=True),
]
DEFAULT_GRAPH = Path("out")
