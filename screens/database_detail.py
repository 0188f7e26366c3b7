"""The database detail screen: the instance or cluster, and its snapshots with status and progress."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding

from screens.detail import DetailScreen
from screens.prompt import Prompt
from tui import clock
from tui.actions import snapshot
from tui.data.models import Database, Snapshot
from tui.untrusted import literal
from widgets.format import stamp


def default_snapshot_id(database: Database) -> str:
    """`<db>-manual-YYYYMMDD-HHMM` (UTC), as the runbooks name manual snapshots."""
    return f"{database.id}-manual-{clock.now():%Y%m%d-%H%M}"


class DatabaseDetailScreen(DetailScreen):
    """What `describe-db-instances` and `describe-db-snapshots` would say; `S` takes a snapshot."""

    BINDINGS = [Binding("S", "snapshot", "Snapshot", id="snapshot")]
    SECTIONS = (
        ("database", "Database", ()),
        ("snapshots", "Snapshots", ("Snapshot", "Type", "Status", "Progress", "Created")),
    )

    def __init__(self, database: Database, read) -> None:  # type: ignore[no-untyped-def]
        kind = "Aurora cluster" if database.kind == "cluster" else "DB instance"
        super().__init__(read, Text.assemble(f"{kind} ", literal(database.id)))
        self.database = database

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app: Any = self.app
        return not (action == "snapshot" and app.read_only)

    @work(group="action", exit_on_error=False)
    async def action_snapshot(self) -> None:
        app: Any = self.app
        name = await app.push_screen_wait(Prompt(f"Snapshot id for {self.database.id}:",
                                                 default_snapshot_id(self.database)))
        if name and name.strip():
            await app.gate.run(snapshot(self.database, name.strip()))

    def render_detail(self, snapshots: tuple[Snapshot, ...]) -> None:
        db = self.database
        rows = [("engine", f"{db.engine} {db.engine_version}"), ("status", db.status), ("class", db.instance_class),
                ("Multi-AZ", "yes" if db.multi_az else "no"), ("endpoint", db.endpoint),
                ("cluster", db.cluster_id)]
        self.fill_lines("database", [Text.assemble((f"{k:<10} ", "bold"), literal(v)) for k, v in rows if v])
        self.fill("snapshots", [
            (literal(s.id), literal(s.type), literal(s.status),
             Text(f"{s.progress}%" if s.progress is not None else "-"), Text(stamp(s.created_at)))
            for s in snapshots
        ], empty="no snapshots")
