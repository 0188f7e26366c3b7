"""The PostgreSQL runbook tasks in a real terminal: cancel a query, terminate a session, terminate idle sessions
older than N minutes; pg_stat_activity afterwards."""

from __future__ import annotations

import psycopg
import pytest

from tests.e2e.conftest import confirm, focus, main_screen, only, prompt, settled

MODES = [pytest.param(False, id="plain"), pytest.param(True, id="production")]


def activity(conninfo: dict[str, str], pids: list[int]) -> dict[int, str]:
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        rows = conn.execute("SELECT pid, state FROM pg_stat_activity WHERE pid = ANY(%s)", (pids,)).fetchall()
    return {pid: state for pid, state in rows}


def connections(app) -> None:
    main_screen(app)
    app.terminal.wait("Connections")
    focus(app, "4", "Cancel")


@pytest.mark.parametrize("production", MODES)
def test_cancel_a_query(world, start, keys, pg, production):
    conninfo, sessions = pg
    pid = sessions.busy("SELECT pg_sleep(600)", application="e2e-busy")
    app = start("cancel a query", production=production, database=conninfo)
    connections(app)
    only(app, "e2e-busy")
    app.terminal.press("C")
    confirm(app)
    line, _ = settled(app)
    keys(app)
    assert "settled after" in line and f"pid {pid}: idle (query ended)" in line, line
    assert activity(conninfo, [pid]) == {pid: "idle"}  # the query ended, the session stays


@pytest.mark.parametrize("production", MODES)
def test_terminate_a_session(world, start, keys, pg, production):
    conninfo, sessions = pg
    pid = sessions.busy("SELECT pg_sleep(600)", application="e2e-victim")
    app = start("terminate a session", production=production, database=conninfo)
    connections(app)
    only(app, "e2e-victim")
    app.terminal.press("K")
    confirm(app)
    line, _ = settled(app)
    keys(app)
    assert "settled after" in line and "0 of 1 still connected" in line, line
    assert activity(conninfo, [pid]) == {}


@pytest.mark.parametrize("production", MODES)
def test_terminate_idle_sessions_older_than_n_minutes(world, start, keys, pg, production):
    conninfo, sessions = pg
    idle = [sessions.idle(application="e2e-idle") for _ in range(3)]
    busy = sessions.busy("SELECT pg_sleep(600)", application="e2e-busy")
    app = start("terminate idle sessions older than N min", production=production, database=conninfo)
    connections(app)
    app.terminal.press("I")
    prompt(app, "how many minutes")
    app.terminal.type("0")
    app.terminal.press("Enter")
    confirm(app)
    line, _ = settled(app)
    keys(app)
    assert "settled after" in line and "0 of 3 still connected" in line, line
    assert activity(conninfo, [*idle, busy]) == {busy: "active"}
