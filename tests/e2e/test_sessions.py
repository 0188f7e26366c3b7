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
@pytest.mark.parametrize("task, key, says, state", [
    pytest.param("cancel a query", "C", "pid {pid}: idle (query ended)", "idle", id="cancel"),  # the session stays
    pytest.param("terminate a session", "K", "0 of 1 still connected", None, id="terminate"),
])
def test_cancel_a_query_or_terminate_a_session(world, start, keys, pg, production, task, key, says, state):
    conninfo, sessions = pg
    pid = sessions.busy("SELECT pg_sleep(600)", application="e2e-busy")
    app = start(task, production=production, database=conninfo)
    connections(app)
    only(app, "e2e-busy")
    app.terminal.press(key)
    confirm(app)
    line, _ = settled(app)
    keys(app)
    assert "settled after" in line and says.format(pid=pid) in line, line
    assert activity(conninfo, [pid]) == ({pid: state} if state else {})


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
