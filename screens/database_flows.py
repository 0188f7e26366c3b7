"""The database flows started from its screen's row (registry acts snapshot and grow_storage): name the snapshot,
or choose the new allocated storage, then the gate. A restore picks a snapshot in its screen's table, so it is
that screen's own flow."""

from __future__ import annotations

from typing import Any

from warroom import clock, inputs
from warroom.actions import grow_storage as grow_storage_action
from warroom.actions import snapshot as snapshot_action
from warroom.data.models import Database
from warroom.screens.hosted import Hosted
from warroom.screens.prompt import ask_value

MAX_STORAGE_GB = 65_536  # RDS's largest allocated storage (gp2, gp3, io1)


def default_snapshot_id(database: Database) -> str:
    """`<db>-manual-YYYYMMDD-HHMM` (UTC), as the runbooks name manual snapshots."""
    return f"{database.id}-manual-{clock.now():%Y%m%d-%H%M}"


def storage_range(database: Database) -> tuple[int, int] | str:
    """The new allocated storage an emergency can ask for: at least 10 % more (RDS's own minimum step), at most
    the instance's storage autoscaling ceiling or RDS's 65,536 GiB; or why there is none."""
    if database.kind == "cluster" or database.storage_gb is None:
        return f"{database.id}: Aurora storage grows by itself (up to 128 TiB): there is nothing to set"
    low, high = (database.storage_gb * 11 + 9) // 10, database.max_storage_gb or MAX_STORAGE_GB  # 10 % up
    if low > high:
        return f"{database.id}: {database.storage_gb} GiB is already at its ceiling of {high:,} GiB"
    return low, high


async def grow_storage(host: Hosted, database: Database, rows: Any) -> None:
    app = host.warroom
    if app.gate.refuses(f"Grow the storage of {database.id}"):
        return
    bounds = storage_range(database)
    if isinstance(bounds, str):
        app.notify(bounds, severity="warning", timeout=10)
        return
    low, high = bounds
    size = await ask_value(app, f"New allocated storage for {database.id} (now {database.storage_gb} GiB; "
                                f"{low:,} to {high:,}):", str(low), inputs.storage_gb(low, high))
    if size is not None:
        await app.gate.run(grow_storage_action(database, size))


async def snapshot(host: Hosted, database: Database, rows: Any) -> None:
    app = host.warroom
    name = await ask_value(app, f"Snapshot id for {database.id}:", default_snapshot_id(database), inputs.snapshot_id)
    if name is not None:
        await app.gate.run(snapshot_action(database, name))
