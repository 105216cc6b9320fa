"""The subgraph selection options, declared once for every command that selects (export, view, ...).

Each option is an ``Annotated`` alias; a command declares the ones it wants with their defaults and
turns them into a :class:`~graphbuild.subgraph.Selection` with :func:`selection_from_options`::

    from graphbuild.commands import selection_options as so

    @cli_command
    def view_command(
        graph: Path,
        focus: so.Focus = None, hops: so.Hops = 1, types: so.Types = None,
        min_papers: so.MinPapers = 0, min_confidence: so.MinConfidence = 0.0, domain: so.Domain = None,
        year_from: so.YearFrom = None, year_to: so.YearTo = None, roles: so.Roles = None,
        limit: so.Limit = None,
    ) -> None:
        selection = so.selection_from_options(
            focus, hops, types, min_papers, min_confidence, domain, year_from, year_to, roles, limit
        )

``--types`` and ``--roles`` accept repeated options and comma-separated lists alike.
"""

from __future__ import annotations

from typing import Annotated

import typer

from graphbuild.subgraph import ROLES, TYPE_LABELS, Selection

_PANEL = "Selection"

Focus = Annotated[
    list[str] | None,
    typer.Option(
        "--focus",
        metavar="NAME",
        help="Start from this node: a name, an alias or a key like method:transformer (case-insensitive). Repeatable.",
        rich_help_panel=_PANEL,
    ),
]
Hops = Annotated[
    int,
    typer.Option(
        "--hops",
        min=0,
        metavar="K",
        help="Keep nodes within this many links of a focus node.",
        rich_help_panel=_PANEL,
    ),
]
Types = Annotated[
    list[str] | None,
    typer.Option(
        "--types",
        metavar="TYPES",
        help=f"Keep only these node types: {', '.join(TYPE_LABELS)} (comma-separated or repeated).",
        rich_help_panel=_PANEL,
    ),
]
MinPapers = Annotated[
    int,
    typer.Option(
        "--min-papers",
        min=0,
        metavar="N",
        help="Drop entities with fewer supporting papers than this.",
        rich_help_panel=_PANEL,
    ),
]
MinConfidence = Annotated[
    float,
    typer.Option(
        "--min-confidence",
        metavar="X",
        min=0.0,
        max=1.0,
        help="Drop links whose extraction confidence is below this (0..1).",
        rich_help_panel=_PANEL,
    ),
]
Domain = Annotated[
    str | None,
    typer.Option(
        "--domain",
        metavar="NAME",
        help="Keep only papers in this domain (name, alias or key).",
        rich_help_panel=_PANEL,
    ),
]
YearFrom = Annotated[
    int | None,
    typer.Option("--year-from", metavar="YEAR", help="Keep only papers from this year on.", rich_help_panel=_PANEL),
]
YearTo = Annotated[
    int | None,
    typer.Option("--year-to", metavar="YEAR", help="Keep only papers up to this year.", rich_help_panel=_PANEL),
]
Roles = Annotated[
    list[str] | None,
    typer.Option(
        "--roles",
        metavar="ROLES",
        help=f"Keep only links with these roles: {', '.join(ROLES)} (comma-separated or repeated).",
        rich_help_panel=_PANEL,
    ),
]
Limit = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=1,
        metavar="N",
        help="Keep at most this many nodes, the best-supported first.",
        rich_help_panel=_PANEL,
    ),
]


def _split(values: list[str] | None) -> tuple[str, ...]:
    if not values:
        return ()
    return tuple(p.strip().lower() for v in values for p in v.split(",") if p.strip())


def selection_from_options(
    focus: list[str] | None = None,
    hops: int = 1,
    types: list[str] | None = None,
    min_papers: int = 0,
    min_confidence: float = 0.0,
    domain: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    roles: list[str] | None = None,
    limit: int | None = None,
) -> Selection:
    """The :class:`Selection` the options describe; bad values raise ``ConfigError`` (exit 2)."""
    return Selection(
        focus=tuple(focus or ()),
        hops=hops,
        types=_split(types),
        min_papers=min_papers,
        min_confidence=min_confidence,
        domain=domain,
        year_from=year_from,
        year_to=year_to,
        roles=_split(roles),
        limit=limit,
    )
