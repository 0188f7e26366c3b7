"""The main screen's PostgreSQL keys: open a session, cancel its query, terminate it or the old idle ones, sort,
and point the Connections pane at a Databases row. Every mutation goes through the app's action gate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from warroom.screens.session import SessionScreen
from warroom.screens.flow import action_flow
from warroom.screens.prompt import ask_value
from warroom import inputs
from warroom.session_actions import cancel_query, terminate, terminate_idle
from warroom.data.errors import AwsError
from warroom.data.models import PgSession, Database
from warroom.widgets.connections_pane import ConnectionsPane

if TYPE_CHECKING:
    from warroom.app import WarroomApp

IDLE_MINUTES = "10"


class ConnectionsKeys:
    """Mixed into MainScreen (which holds the bindings); `warroom` is the app, `pane(name)` a pane."""

    warroom: WarroomApp
    notify: Any
    run_worker: Any

    def pane(self, name: str) -> Any:
        raise NotImplementedError

    def _session(self) -> PgSession | None:
        if self.warroom.backend.postgres is None:
            self.notify("No PostgreSQL server: configure [database] or press c on a Databases row.", timeout=4)
            return None
        row = self.pane("connections").selected
        if row is None:
            self.notify("Select a session first (Connections pane).", timeout=3)
        return row

    def action_sort_sessions(self) -> None:
        pane: ConnectionsPane = self.pane("connections")
        self.notify(f"Sessions sorted by {pane.next_sort()}", timeout=1.5)

    def action_cancel_query(self) -> None:
        if (row := self._session()) is not None:
            self._gate(cancel_query, row)

    def action_terminate(self) -> None:
        if (row := self._session()) is not None:
            self._gate(terminate, row)

    def _gate(self, make: Any, row: PgSession) -> None:
        postgres = self.warroom.backend.postgres
        assert postgres is not None
        self.run_worker(self.warroom.gate.run(make(postgres, row)), group="action", exit_on_error=False)

    @action_flow
    async def open_session(self, row: PgSession) -> None:
        """The session whole; from there `C` or `K` ask to cancel or terminate it."""
        choice = await self.warroom.push_screen_wait(SessionScreen(row, self.warroom.read_only))
        if choice is not None and self.warroom.backend.postgres is not None:
            await self.warroom.gate.run({"cancel": cancel_query, "terminate": terminate}[choice](
                self.warroom.backend.postgres, row))

    @action_flow
    async def action_terminate_idle(self) -> None:
        """Ask for N minutes, list the sessions idle longer than that, confirm, terminate those still idle."""
        app = self.warroom
        postgres = app.backend.postgres
        if postgres is None:
            self._session()
            return
        if app.gate.refuses("Terminate idle connections"):
            return
        minutes = await ask_value(app, "Terminate idle connections older than how many minutes?", IDLE_MINUTES,
                                  inputs.idle_minutes)
        if minutes is None:
            return
        try:
            sessions = (await postgres.read()).backends
        except AwsError as exc:
            self.notify(exc.one_line(), severity="error")
            return
        idle = tuple(b for b in sessions if b.state == "idle" and (b.seconds or 0) >= minutes * 60)
        if not idle:
            self.notify(f"No connection has been idle for {minutes:g} minutes or more.", timeout=4)
            return
        await app.gate.run(terminate_idle(postgres, idle, minutes))

    def action_watch_database(self) -> None:
        """Show the PostgreSQL sessions of the selected RDS instance or cluster (its endpoint, same settings);
        `c` again on the row watched goes back to the configured server."""
        backend, row = self.warroom.backend, self.pane("databases").selected
        if not isinstance(row, Database):
            self.notify("Select a database first (Databases pane).", timeout=3)
            return
        if "postgres" not in row.engine or not row.endpoint:
            self.notify(f"{row.id}: not a PostgreSQL database with an endpoint", severity="warning")
            return
        watched = backend.postgres.settings.database if backend.postgres else None
        configured = backend.pg_settings
        if configured.configured and watched is not None and watched.key == row.key:
            backend.watch_postgres(None)
            self.notify(f"Sessions of the configured server {configured.label()} again", timeout=4)
        else:
            backend.watch_postgres(row)
            back = f" (c on it again: back to {configured.label()})" if configured.configured else ""
            self.notify(f"Sessions of {row.id}{back}", timeout=4)
        self.show_connections()

    def show_connections(self) -> None:
        raise NotImplementedError
