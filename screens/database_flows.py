"""The database flow started from its screen's row (registry act snapshot): name the snapshot, then the gate.
A restore picks a snapshot in its screen's table, so it is that screen's own flow."""

from __future__ import annotations

from typing import Any

from warroom import clock, inputs
from warroom.actions import snapshot as snapshot_action
from warroom.data.models import Database
from warroom.screens.hosted import Hosted
from warroom.screens.prompt import ask_value


def default_snapshot_id(database: Database) -> str:
    """`<db>-manual-YYYYMMDD-HHMM` (UTC), as the runbooks name manual snapshots."""
    return f"{database.id}-manual-{clock.now():%Y%m%d-%H%M}"


async def snapshot(host: Hosted, database: Database, rows: Any) -> None:
    app = host.warroom
    name = await ask_value(app, f"Snapshot id for {database.id}:", default_snapshot_id(database), inputs.snapshot_id)
    if name is not None:
        await app.gate.run(snapshot_action(database, name))
