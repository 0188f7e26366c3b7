"""The main screen's PostgreSQL keys: open a session, cancel its query, terminate it or the old idle ones, sort,
and point the Connections pane at a Databases row. Every mutation goes through the app's action gate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from warroom.screens.backend import BackendScreen
from warroom.screens.flow import action_flow
from warroom.screens.prompt import ask_value
from warroom import inputs
from warroom.session_actions import cancel_query, terminate, terminate_idle
from warroom.data.errors import AwsError
from warroom.data.models import Backend, Database
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

    def _session(self) -> Backend | None:
        if self.warroom.postgres is None:
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

    def _gate(self, make: Any, row: Backend) -> None:
        postgres = self.warroom.postgres
        assert postgres is not None
        self.run_worker(self.warroom.gate.run(make(postgres, row)), group="action", exit_on_error=False)

    @action_flow
    async def open_session(self, row: Backend) -> None:
        """The session whole; from there `C` or `K` ask to cancel or terminate it."""
        choice = await self.warroom.push_screen_wait(BackendScreen(row, self.warroom.read_only))
        if choice is not None and self.warroom.postgres is not None:
            await self.warroom.gate.run({"cancel": cancel_query, "terminate": terminate}[choice](
                self.warroom.postgres, row))

    @action_flow
    async def action_terminate_idle(self) -> None:
        """Ask for N minutes, list the sessions idle longer than that, confirm, terminate those still idle."""
        app = self.warroom
        postgres = app.postgres
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
        app, row = self.warroom, self.pane("databases").selected
        if not isinstance(row, Database):
            self.notify("Select a database first (Databases pane).", timeout=3)
            return
        if "postgres" not in row.engine or not row.endpoint:
            self.notify(f"{row.id}: not a PostgreSQL database with an endpoint", severity="warning")
            return
        watched = app.postgres.settings.database if app.postgres else None
        if app.pg_settings.configured and watched is not None and watched.key == row.key:
            app.watch_postgres(None)
            self.notify(f"Sessions of the configured server {app.pg_settings.label()} again", timeout=4)
        else:
            app.watch_postgres(row)
            back = f" (c on it again: back to {app.pg_settings.label()})" if app.pg_settings.configured else ""
            self.notify(f"Sessions of {row.id}{back}", timeout=4)
        self.show_connections()

    def show_connections(self) -> None:
        raise NotImplementedError
