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


def blocked_by(conninfo: dict[str, str], pid: int) -> list[int]:
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        return list(conn.execute("SELECT pg_blocking_pids(%s)", (pid,)).fetchone()[0])


def first_session(screen: str) -> str:
    """The Connections pane's first row (under its column header)."""
    rows = screen.splitlines()
    header = next((i for i, row in enumerate(rows) if " PID " in row), len(rows) - 1)
    return rows[header + 1] if header + 1 < len(rows) else ""


def test_terminate_the_head_of_a_lock_chain(world, start, keys, pg):
    """A chain three deep at 80x24: the head's session screen shows the tree, its terminate confirm says who runs
    next (each waiter's line whole inside the box), and afterwards the next one holds and the last waits on it."""
    conninfo, sessions = pg
    head, second, third = sessions.chain(application="e2e-chain")
    app = start("terminate the head of a lock chain", database=conninfo)
    connections(app)  # the head, in a transaction longest, is the first row (where the cursor is)
    app.terminal.wait(lambda s: first_session(s).startswith(f"│ {head} "))
    app.terminal.press("Enter")
    screen = app.terminal.wait("wait behind it")
    assert "blocks      2 session(s) wait behind it" in screen, screen
    lines = screen.splitlines()
    first = next(line for line in lines if f"└ pid {second} · e2e-chain" in line)
    last = next(line for line in lines if f"└ pid {third} · e2e-chain" in line)
    assert last.index("└") == first.index("└") + 2, screen
    app.terminal.press("K")
    rows = app.terminal.wait(lambda s: "terminating it lets" in s and "command (c copies it)" in s).splitlines()
    first = next(i for i, row in enumerate(rows) if f"Terminate pid {head}" in row)
    last = next(i for i, row in enumerate(rows) if "command (c copies it)" in row)
    body = " ".join(row.split("█")[1].strip() for row in rows[first + 1:last])  # inside the confirm's borders
    assert f"2 session(s) wait behind it; terminating it lets pid {second} run" in body, body
    assert f"└ pid {third} · e2e-chain · waits" in body, body
    confirm(app)
    line, _ = settled(app)
    keys(app)
    assert "0 of 1 still connected" in line, line
    assert activity(conninfo, [head]) == {}
    assert blocked_by(conninfo, second) == [] and blocked_by(conninfo, third) == [second]
