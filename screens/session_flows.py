"""The PostgreSQL session flows (registry acts cancel_query, terminate, terminate_idle, watch_database, statements,
and Enter on a session): every signal goes through the gate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from textual.message import Message

from warroom import inputs
from warroom.blocking import Waiter, waiting_behind
from warroom.data.errors import AwsError
from warroom.data.models import Database, PgSession, Service
from warroom.screens.hosted import Hosted
from warroom.screens.prompt import ask_value
from warroom.screens.session import SessionScreen
from warroom.session_actions import cancel_query as cancel_action
from warroom.session_actions import terminate as terminate_action
from warroom.session_actions import terminate_idle as terminate_idle_action
from warroom.widgets.connections_pane import ConnectionsPane

IDLE_MINUTES = "10"


@dataclass
class SessionsMoved(Message):
    """The backend now watches another PostgreSQL server: the Connections pane starts over on it."""


async def cancel_query(host: Hosted, row: PgSession, rows: Sequence[PgSession]) -> None:
    if host.backend.postgres is not None:
        await host.warroom.gate.run(cancel_action(host.backend.postgres, row))


async def terminate(host: Hosted, row: PgSession, rows: Sequence[PgSession]) -> None:
    """Confirm with the sessions waiting behind it as they are now (not listed when they cannot be read)."""
    postgres = host.backend.postgres
    if postgres is None:
        return
    try:
        waiters: tuple[Waiter, ...] | None = waiting_behind(row.pid, (await host.backend.sessions()).backends)
    except AwsError:
        waiters = None
    await host.warroom.gate.run(terminate_action(postgres, row, waiters))


async def open_session(host: Hosted, row: PgSession, rows: Sequence[PgSession]) -> None:
    """The session whole; from there `C` or `K` ask to cancel the query or terminate it."""
    waiters = waiting_behind(row.pid, rows)
    choice = await host.warroom.push_screen_wait(SessionScreen(row, waiters, host.warroom.read_only))
    if choice is not None:
        await {"cancel": cancel_query, "terminate": terminate}[choice](host, row, rows)


async def service_sessions(host: Hosted, service: Service, rows: Sequence[Service]) -> None:
    """The Connections pane, filtered to the sessions from the service's tasks (`c` on a Services row)."""
    pane = next(iter(host.query(ConnectionsPane)), None)
    if pane is None or host.backend.postgres is None:
        host.warroom.notify("No PostgreSQL server is watched: configure [database], or press c on a Databases row",
                            severity="warning")
        return
    pane.set_filter(service.name)
    pane.table.focus()


async def statements(host: Hosted, row: PgSession | None, rows: Sequence[PgSession]) -> None:
    """The watched server's top statements and database sizes (`p` on the Connections pane)."""
    postgres = host.backend.postgres
    if postgres is not None:
        host.warroom.open_statements(postgres.label)


async def terminate_idle(host: Hosted, row: PgSession | None, rows: Sequence[PgSession]) -> None:
    """Ask for N minutes, list the sessions idle longer than that, confirm, terminate those still idle."""
    app, postgres = host.warroom, host.backend.postgres
    if postgres is None or app.gate.refuses("Terminate idle connections"):
        return
    minutes = await ask_value(app, "Terminate idle connections older than how many minutes?", IDLE_MINUTES,
                              inputs.idle_minutes)
    if minutes is None:
        return
    try:
        sessions = (await postgres.read()).backends
    except AwsError as exc:
        app.notify(exc.one_line(), severity="error")
        return
    idle = tuple(b for b in sessions if b.state == "idle" and (b.seconds or 0) >= minutes * 60)
    if not idle:
        app.notify(f"No connection has been idle for {minutes:g} minutes or more.", timeout=4)
        return
    await app.gate.run(terminate_idle_action(postgres, idle, minutes))


async def watch_database(host: Hosted, row: Database, rows: Sequence[Database]) -> None:
    """Show the PostgreSQL sessions of an RDS instance or cluster (its endpoint, same settings); `c` again on the
    row watched goes back to the configured server."""
    backend, app = host.backend, host.warroom
    if "postgres" not in row.engine or not row.endpoint:
        app.notify(f"{row.id}: not a PostgreSQL database with an endpoint", severity="warning")
        return
    watched = backend.postgres.settings.database if backend.postgres else None
    configured = backend.pg_settings
    if configured.configured and watched is not None and watched.key == row.key:
        backend.watch_postgres(None)
        app.notify(f"Sessions of the configured server {configured.label()} again", timeout=4)
    else:
        backend.watch_postgres(row)
        back = f" (c on it again: back to {configured.label()})" if configured.configured else ""
        app.notify(f"Sessions of {row.id}{back}", timeout=4)
    host.post_message(SessionsMoved())  # type: ignore[attr-defined]
