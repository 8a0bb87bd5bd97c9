"""The Dask cluster of a run in ``execution_mode: dask`` (SPEC §4, §9).

No ``dask.address`` and no ``dask.workers``: Dask's local threaded scheduler, nothing to start.
``dask.address``: connect to that dask.distributed scheduler for the run. ``dask.workers`` (no
address): start a local in-process cluster of that many workers. Either needs the
``distributed`` package (``pip install 'pypeline-core[distributed]'``); while the client is
open it is Dask's default, so every ``compute()`` of the run goes to it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from pypeline.run.deployment import Setting
from pypeline.shared.errors import UsageError


def check_dask(config: dict[str, Setting], execution_mode: str) -> None:
    """Refuse early (exit 2, before anything is written) when a cluster is asked for but
    ``distributed`` is not installed."""
    wanted = config["dask.address"].value or config["dask.workers"].value
    if execution_mode == "dask" and wanted:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise UsageError(
                "dask.address and dask.workers need the dask.distributed package",
                "pip install 'pypeline-core[distributed]'",
            ) from None


@contextlib.contextmanager
def dask_cluster(config: dict[str, Setting], execution_mode: str) -> Iterator[str | None]:
    """Open the run's client when one is asked for; yields its dashboard-free description."""
    address = config["dask.address"].value
    workers = config["dask.workers"].value
    if execution_mode != "dask" or (not address and not workers):
        yield None
        return
    import dask.distributed

    distributed: Any = dask.distributed  # untyped
    client_cls, cluster_cls = distributed.Client, distributed.LocalCluster
    cluster: Any = None
    client: Any
    try:
        if address:
            client = client_cls(address, timeout="10s")
        else:
            cluster = cluster_cls(n_workers=int(workers), processes=False, dashboard_address=None)
            client = client_cls(cluster)
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        yield str(address or f"local cluster of {workers} workers")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
