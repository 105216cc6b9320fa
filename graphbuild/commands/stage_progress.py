"""Progress of ``build`` / ``extract`` on stderr: a bar with a total and ETA per stage, one line per stage."""

from __future__ import annotations

import time
from types import TracebackType

from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from graphbuild.commands.common import err

#: what each stage's bar counts
_UNITS = {"extract": "papers", "assemble": "papers"}


class StageProgress:
    """Implements :class:`graphbuild.streaming.Progress`: a live bar while a stage runs (hidden when stderr
    is not a terminal), then ``✓ stage  12.3 s  note`` on its own line."""

    def __init__(self) -> None:
        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
            TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[note]}"),
            console=err, transient=True, disable=not err.is_terminal,
        )  # fmt: skip
        self._task: int | None = None
        self._t0 = time.perf_counter()

    def __enter__(self) -> StageProgress:
        self._bar.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:  # fmt: skip
        self._bar.stop()

    def start(self, stage: str, total: int | None = None) -> None:
        if self._task is not None:
            self._bar.remove_task(self._task)
        unit = _UNITS.get(stage, "")
        self._task = self._bar.add_task(f"{stage:<11}", total=total, note=f"({unit})" if unit else "")

    def total(self, total: int) -> None:
        if self._task is not None:
            self._bar.update(self._task, total=max(total, 1))

    def update(self, completed: int | None, note: str = "") -> None:
        if self._task is None:
            return
        if completed is None:
            self._bar.update(self._task, note=note)
            return
        total = next(t.total for t in self._bar.tasks if t.id == self._task)
        self._bar.update(self._task, completed=min(completed, int(total)) if total else completed, note=note)

    def done(self, stage: str, seconds: float, note: str = "") -> None:
        if self._task is not None:
            self._bar.remove_task(self._task)
            self._task = None
        err.print(f"✓ {stage:<11} {seconds:7.1f} s  {note}", highlight=False, markup=False)
