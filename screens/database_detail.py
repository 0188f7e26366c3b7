"""The database detail screen: the instance or cluster, and its snapshots with status and progress."""

from __future__ import annotations


from rich.text import Text
from textual.widgets import DataTable

from warroom.screens.detail import DetailScreen
from warroom.screens.flow import action_flow
from warroom.screens.keys import place_bindings
from warroom.screens.restore import RestoreForm
from warroom import clock
from warroom.actions import restore
from warroom.data.errors import AwsError
from warroom.data.models import Database, Snapshot
from warroom.text import stamp
from warroom.untrusted import literal


def default_restore_id(database: Database) -> str:
    """`<db>-restore-YYYYMMDD-HHMM` (UTC), cut to the 63 characters RDS allows."""
    suffix = f"-restore-{clock.now():%Y%m%d-%H%M}"
    return database.id[:63 - len(suffix)].rstrip("-") + suffix


class DatabaseDetailScreen(DetailScreen):
    """What `describe-db-instances` and `describe-db-snapshots` would say; `S` takes a snapshot, `T` restores the
    snapshot under the cursor to a new database."""

    BINDINGS = place_bindings("database")
    SECTIONS = (
        ("database", "Database", ()),
        ("snapshots", "Snapshots", ("Snapshot", "Type", "Status", "Progress", "Created")),
    )

    def __init__(self, database: Database, read, metrics=None) -> None:  # type: ignore[no-untyped-def]
        kind = "Aurora cluster" if database.kind == "cluster" else "DB instance"
        super().__init__(read, Text.assemble(f"{kind} ", literal(database.id)), metrics)
        self.database = self.row = database
        self.snapshots: tuple[Snapshot, ...] = ()

    def action_restore(self) -> None:
        row = self.query_one("#snapshots", DataTable).cursor_row
        if not self.snapshots or not 0 <= row < len(self.snapshots):
            self.notify("No snapshot selected (move to the Snapshots table).", timeout=3)
        elif self.snapshots[row].status != "available":
            self.notify(f"{self.snapshots[row].id} is {self.snapshots[row].status}: only an available snapshot "
                        "can be restored", severity="warning")
        else:
            self.ask_restore(self.snapshots[row])

    @action_flow
    async def ask_restore(self, chosen: Snapshot) -> None:
        """The form (defaults from the source), a check that the new id is free, then the gate."""
        app = self.warroom
        if app.gate.refuses(f"Restore {chosen.id}"):
            return
        try:
            source = await self.backend.restore_source(self.database)
        except AwsError as exc:
            self.notify(f"Restore: {exc.one_line()}", severity="error")
            return
        new_id = default_restore_id(self.database)
        while True:
            answer = await app.push_screen_wait(RestoreForm(chosen, new_id, source))
            if answer is None:
                return
            new_id, source = answer
            kind = "cluster" if chosen.kind == "cluster" else "instance"
            try:
                taken = await self.backend.database_now(kind, new_id)
            except AwsError as exc:
                self.notify(f"Restore: {exc.one_line()}", severity="error")
                return
            if taken is None:
                break
            self.notify(f"{new_id} already exists ({taken.status}): choose another id", severity="error")
        await app.gate.run(restore(chosen, new_id, source))

    def render_detail(self, snapshots: tuple[Snapshot, ...]) -> None:
        self.snapshots = snapshots
        db = self.database
        rows = [("engine", f"{db.engine} {db.engine_version}"), ("status", db.status), ("class", db.instance_class),
                ("Multi-AZ", "yes" if db.multi_az else "no"), ("endpoint", db.endpoint),
                ("cluster", db.cluster_id), ("replica of", db.replica_of),
                ("readers", str(db.readers) if db.readers else "")]
        self.fill_lines("database", [Text.assemble((f"{k:<10} ", "bold"), literal(v)) for k, v in rows if v])
        self.fill("snapshots", [
            (literal(s.id), literal(s.type), literal(s.status),
             Text(f"{s.progress}%" if s.progress is not None else "-"), Text(stamp(s.created_at)))
            for s in snapshots
        ], empty="no snapshots")
