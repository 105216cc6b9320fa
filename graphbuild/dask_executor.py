"""Extraction tasks on a Dask cluster (``--scheduler tcp://HOST:8786`` or ``--scheduler local:N``).

Dask schedules, ships and retries the tasks; paperkg only submits one :func:`graphbuild.streaming.extract_unit`
per shard and keeps a few in flight. Each worker process builds its extractor once (on its first task)
and writes its results into the build's cache directory, which every worker must see: a local path on
a shared file system, or an fsspec URL (s3://, gs://, ...). Resolution and assembly run on the client,
so the output equals a local run's byte for byte.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from graphbuild.errors import ClusterError, ConfigError

log = logging.getLogger(__name__)


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ConfigError("--scheduler needs Dask: pip install 'paperkg[dask]'") from None
    return distributed


class DaskExecutor:
    """Submits tasks to a Dask cluster; ``local:N`` starts a ``distributed.LocalCluster`` of N worker
    processes (one thread each) for this run."""

    def __init__(self, scheduler: str) -> None:
        distributed = _import_distributed()
        self._cluster: Any = None
        self.scheduler = scheduler
        if scheduler.startswith("local:"):
            n = scheduler.removeprefix("local:")
            if not n.isdigit() or int(n) < 1:
                raise ConfigError(f"--scheduler {scheduler!r}: expected local:N with N ≥ 1 workers, e.g. local:2")
            self._cluster = distributed.LocalCluster(
                n_workers=int(n), threads_per_worker=1, processes=True, dashboard_address=None,
                silence_logs=logging.ERROR,
            )  # fmt: skip
            target: Any = self._cluster
        elif "://" in scheduler:
            target = scheduler
        else:
            raise ConfigError(f"--scheduler {scheduler!r}: expected tcp://HOST:8786 (a scheduler) or local:N")
        try:
            self._client = distributed.Client(target, timeout="30s")
        except (OSError, TimeoutError) as e:
            self._close_cluster()
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} ({e}); is it running?") from None
        threads = sum(self._client.nthreads().values()) or 1
        self.slots = threads + 1
        # LocalCluster workers run on this machine; a remote cluster's workers send their results back
        # (written here), unless the cache is an fsspec URL they can write to themselves
        self.shares_files = self._cluster is not None

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        return _Future(self._client.submit(fn, *args, pure=False), self.scheduler)

    def close(self, *, abort: bool = False) -> None:
        try:
            if abort:
                self._client.cancel(list(self._client.futures.values()) if hasattr(self._client, "futures") else [])
            self._client.close()
        finally:
            self._close_cluster()

    def _close_cluster(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


class _Future:
    """A Dask future whose failure is one paperkg error line."""

    def __init__(self, future: Any, scheduler: str) -> None:
        self._future = future
        self._scheduler = scheduler

    def done(self) -> bool:
        return bool(self._future.done())

    def result(self) -> Any:
        from graphbuild.errors import PaperkgError

        try:
            return self._future.result()
        except PaperkgError:
            raise
        except Exception as e:  # a worker's failure of any kind, reported on one line
            raise ClusterError(
                f"an extraction task failed on the Dask cluster {self._scheduler}: {type(e).__name__}: {e}"
            ) from None
