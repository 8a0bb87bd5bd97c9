"""No row is lost in silence (SPEC §3): count what a module rejects, and act on the policy.

Every module with a ``reject`` port publishes ``rows_rejected`` (0 included), which the
summary, the log and the console table show. Rejected rows on a port that no data connection
reads are gone once the sub flow ends: they are counted and announced as a ``rejects_dropped``
warning naming the module, and ``settings.rejects.unconnected: fail`` makes that a failure.
``settings.rejects.max_share`` fails a module whose rejected rows exceed that share of its
input (for a source, of the rows it read: output plus rejects). A filter's reject port
(``REJECT_IS_FILTER``: rows the flow chose to drop) is counted but neither warned of nor held
to the policy. A module's ``values_nulled``
global (values a conversion could not read and set to null) is reported the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pypeline.run.execution.engine import Engine
from pypeline.sdk.context import RunContext
from pypeline.shared.jobfolder.model import Node

REJECT_PORT = "reject"


class RejectPolicyError(Exception):
    """A module's rejects broke ``settings.rejects``: the module fails with this message."""


@dataclass(frozen=True)
class RejectCount:
    """What one module run rejected and nulled."""

    rows_rejected: int | None
    values_nulled: int | None
    dropped: bool
    #: Whether ``settings.rejects.max_share`` applies (not to a filter's chosen drops).
    policy: bool = True


def count_rejects(
    outputs: dict[str, Any], has_reject_port: bool, reject_read: bool, values_nulled: Any
) -> RejectCount:
    """Rows on the ``reject`` port (computed for a lazy frame: a loss must be known)."""
    rejected: int | None = None
    if has_reject_port:
        art = outputs.get(REJECT_PORT)
        rejected = 0 if art is None else int(art.n_rows)
    nulled = int(values_nulled) if isinstance(values_nulled, int | float) else None
    return RejectCount(rejected, nulled, bool(rejected) and not reject_read)


def check_policy(
    count: RejectCount, rows_in: int | None, rows_out: int | None, policy: dict[str, Any]
) -> None:
    """Raise ``RejectPolicyError`` when the rejects break the flow's policy."""
    rejected = count.rows_rejected or 0
    if count.dropped and policy.get("unconnected", "warn") == "fail":
        raise RejectPolicyError(
            f"{rejected} rejected rows went to the unconnected reject port "
            "(settings.rejects.unconnected: fail)"
        )
    max_share = policy.get("max_share")
    if max_share is None or not rejected or not count.policy:
        return
    total = rows_in if rows_in is not None else (rows_out or 0) + rejected
    share = rejected / total if total else 1.0
    if share > float(max_share):
        raise RejectPolicyError(
            f"rejected {rejected} of {total} rows ({share:.2%}), more than "
            f"settings.rejects.max_share {float(max_share):g}"
        )


def dropped_message(node_id: str, rejected: int) -> str:
    """The ``rejects_dropped`` warning: it says where the rows went and how to keep them."""
    return (
        f"{rejected} rejected row{'s' if rejected != 1 else ''} of {node_id} went to its "
        "reject port, which nothing reads: they are not kept anywhere "
        "(connect the reject port to a sink to keep them)"
    )


async def account(
    engine: Engine, ctx: RunContext, node: Node, outputs: dict[str, Any], fields: dict[str, Any]
) -> RejectCount:
    """Count the run's rejects (in a thread: a lazy frame is computed) and warn of drops."""
    has_port = REJECT_PORT in node.meta["output_ports"]
    read = any(e.src == node.id and e.src_port == REJECT_PORT for e in engine.job.data_edges)
    read = read or bool(node.meta.get("reject_is_filter"))  # chosen drops are no loss
    nulled = engine.store.in_frame(ctx.frame_key, node.id, "values_nulled")
    count = await engine.threads.run_in_thread(count_rejects, outputs, has_port, read, nulled)
    if node.meta.get("reject_is_filter"):
        count = RejectCount(count.rows_rejected, count.values_nulled, dropped=False, policy=False)
    if count.rows_rejected is not None:
        ctx.set_global("rows_rejected", count.rows_rejected)
    if count.dropped:
        message = dropped_message(fields["node_id"], count.rows_rejected or 0)
        engine.recorder.event(
            "rejects_dropped",
            level="WARNING",
            **fields,
            rows_rejected=count.rows_rejected,
            message=message,
        )
    return count
