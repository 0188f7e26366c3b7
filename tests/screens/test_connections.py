"""The Connections pane against a real PostgreSQL server: what it shows, and cancel/terminate by keys only."""

from __future__ import annotations

import time

import psycopg
import pytest

from warroom.screens.session import SessionScreen
from warroom.screens.confirm import ConfirmScreen
from warroom.screens.follow import FollowScreen
from warroom.screens.prompt import Prompt
from tests.helpers import confirming, make_app, screen_text, settled, wait_for
from warroom.audit import AuditLog
from warroom.data.ecs import read_task_addresses
from warroom.data.models import Fleet
from warroom.demo.world import ServiceSpec, create_services, set_task_address

HOSTILE = "SELECT '[bold red]boom[/] \x1b[2J\x1b]0;owned\x07 :skull:' AS x, pg_sleep(600)"


@pytest.fixture
def app_with_pg(aws, postgres_server, tmp_path):
    def make(**env):
        app = make_app(aws, interval=1.0, database=postgres_server.conninfo, **env)
        app.runner.audit = AuditLog(tmp_path / "audit.jsonl")
        return app
    return make


def alive(conninfo, pid: int) -> dict | None:
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        row = conn.execute("SELECT state, query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    return {"state": row[0], "query": row[1]} if row else None


async def pane_ready(pilot, *pids: int) -> None:
    pane = pilot.app.screen.pane("connections")
    await wait_for(pilot, lambda: pane.fresh.last_ok is not None and set(pids) <= {b.pid for b in pane.rows})
    await settled(pilot)


async def select(pilot, pid: int) -> None:
    """Focus the Connections pane and filter it down to one pid, keys only."""
    await pilot.press("4", "slash", *str(pid), "enter")
    await settled(pilot)
    assert pilot.app.screen.pane("connections").selected.pid == pid


async def test_the_pane_shows_counts_sessions_and_hostile_sql_literally(app_with_pg, sessions):
    sessions.idle()
    sessions.busy(HOSTILE)
    holder, waiter = sessions.lock_wait()
    app = app_with_pg()
    async with app.run_test(size=(160, 50)) as pilot:
        await pane_ready(pilot, holder, waiter)
        await wait_for(pilot, lambda: app.screen.pane("connections").snapshot.waiting == 1)
        await pilot.press("4")
        await settled(pilot)
        text = screen_text(app)
        assert "lock waits 1" in text and "/40 (" in text
        assert "(no query yet)" in text
        assert "SELECT '[bold red]boom[/] ␛[2J␛]0;owned␇ :skull:'" in text
        line = next(line for line in text.splitlines() if f"{waiter} " in line)
        assert "lock:relation" in line and str(holder) in line


async def test_terminate_by_keys_ends_the_session_and_is_audited(app_with_pg, sessions, postgres_server):
    pid = sessions.busy()
    app = app_with_pg()
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_ready(pilot, pid)
        await select(pilot, pid)
        await pilot.press("K")
        await wait_for(pilot, lambda: confirming(app))
        text = screen_text(app)
        assert f"pid {pid} connected → session terminated" in text
        assert f'-c "SELECT pg_terminate_backend({pid});"' in text and "password" not in text
        await pilot.press("Y", "Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen) and app.screen.settled is not None)
        assert "0 of 1 still connected" in screen_text(app)
    assert alive(postgres_server.conninfo, pid) is None
    records = list(app.runner.audit.records())
    assert [(r["phase"], r["action"]) for r in records] == [("intent", "pg-terminate"), ("outcome", "pg-terminate")]
    assert records[1]["outcome"] == "ok" and str(pid) in records[1]["request_id"]


async def test_cancel_from_the_session_screen_keeps_the_connection(app_with_pg, sessions, postgres_server):
    pid = sessions.busy()
    app = app_with_pg()
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_ready(pilot, pid)
        await select(pilot, pid)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        assert "SELECT pg_sleep(3600)" in screen_text(app)
        await pilot.press("C")
        await wait_for(pilot, lambda: confirming(app))
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen) and app.screen.settled is not None)
    assert alive(postgres_server.conninfo, pid)["state"] == "idle"


async def test_terminate_idle_lists_them_first_and_spares_busy_ones(app_with_pg, sessions, postgres_server):
    idle = [sessions.idle(), sessions.idle()]
    busy = sessions.busy()
    time.sleep(0.5)
    app = app_with_pg()
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_ready(pilot, busy, *idle)
        await pilot.press("4", "I")
        await wait_for(pilot, lambda: isinstance(app.screen, Prompt))
        await pilot.press("backspace", "backspace", "0", ".", "0", "0", "5", "enter")
        await wait_for(pilot, lambda: confirming(app))
        text = screen_text(app)
        assert all(f"pid {pid} " in text for pid in idle) and f"pid {busy} " not in text
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen) and app.screen.settled is not None)
    assert [alive(postgres_server.conninfo, pid) for pid in idle] == [None, None]
    assert alive(postgres_server.conninfo, busy)["state"] == "active"


async def test_read_only_hides_the_keys(app_with_pg, sessions, postgres_server):
    pid = sessions.busy()
    app = app_with_pg(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_ready(pilot, pid)
        await select(pilot, pid)
        await pilot.press("K", "C", "I")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, (ConfirmScreen, Prompt))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        assert "C cancel" not in screen_text(app)
        await pilot.press("K")
        await pilot.pause(0.2)
        assert isinstance(app.screen, SessionScreen)
    assert alive(postgres_server.conninfo, pid)["state"] == "active"


async def test_a_server_restart_is_survived_with_the_last_rows_kept(app_with_pg, sessions, postgres_server):
    pid = sessions.busy()
    app = app_with_pg()
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_ready(pilot, pid)
        await pilot.press("4")
        pane = app.screen.pane("connections")
        postgres_server.stop()
        await wait_for(pilot, lambda: pane.fresh.error is not None)
        await settled(pilot)
        text = screen_text(app)
        assert "refresh failed: ConnectionFailed (PostgreSQL)" in text and f"{pid} " in text  # last rows kept
        postgres_server.start()
        await wait_for(pilot, lambda: pane.fresh.error is None, timeout=15)
        assert pid not in {b.pid for b in pane.rows}  # the restart ended that session


async def test_the_hostile_corpus_as_sql_is_literal_in_the_pane_and_the_session_screen(app_with_pg, sessions):
    from tests.hostile import as_message, corpus
    from warroom.untrusted import clean

    texts = {name: as_message(value) for name, value in corpus() if "\x00" not in as_message(value)}
    pids = {sessions.busy(f"SELECT $h${text}$h$ AS x, pg_sleep(600)", application=name): text
            for name, text in texts.items()}
    app = app_with_pg()
    async with app.run_test(size=(160, 50)) as pilot:
        await pane_ready(pilot, *pids)
        pane = app.screen.pane("connections")
        for pid, text in pids.items():
            shown = [cell.plain for cell in pane.cells(next(b for b in pane.rows if b.pid == pid))]
            query = next(b.query for b in pane.rows if b.pid == pid)  # as PostgreSQL kept it (maybe truncated)
            column = [key for key, _ in pane.COLUMNS].index("query")
            assert shown[column].rstrip("…") in clean(query)  # the query column: the sanitiser's output, cut
        screen = screen_text(app)
        assert not any(char in screen for char in "\x1b\x07\x08\r\x9b\x9d\u202e")
        pid = next(p for p, text in pids.items() if "\u202e" in text)
        await pilot.press("4", "slash", *str(pid), "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        await settled(pilot)
        assert "<U+202E>" in screen_text(app)


async def test_the_footer_shows_the_session_keys_and_the_border_the_sort(app_with_pg, sessions):
    pid = sessions.busy()
    app = app_with_pg()
    async with app.run_test(size=(80, 24)) as pilot:
        await pane_ready(pilot, pid)
        await pilot.press("4")
        await settled(pilot)
        lines = screen_text(app).splitlines()
        assert all(key in lines[-1] for key in ("C Cancel query", "K Terminate", "I Terminate idle", "o Sort"))
        assert "s Scale" not in lines[-1]
        assert any("sort: duration · " in line and line.startswith("╰") for line in lines)
        await pilot.press("o")
        await wait_for(pilot, lambda: "sort: state · " in screen_text(app))


async def test_at_80_columns_the_error_says_when_it_retries_first(app_with_pg, sessions, postgres_server):
    pid = sessions.busy()
    app = app_with_pg()
    async with app.run_test(size=(80, 24)) as pilot:
        await pane_ready(pilot, pid)
        await pilot.press("4")
        pane = app.screen.pane("connections")
        postgres_server.stop()
        try:
            await wait_for(pilot, lambda: pane.fresh.error is not None)
            await settled(pilot)
            lines = screen_text(app).splitlines()
            first = next(i for i, line in enumerate(lines) if "✖ retry in " in line)
            assert "refresh failed: ConnectionFailed" in lines[first] + lines[first + 1]
            assert lines[first + 1].startswith("│") and "PID" not in lines[first + 1]  # the message wraps on
        finally:
            postgres_server.start()


async def test_sessions_are_named_by_the_service_and_task_of_their_address(app_with_pg, sessions, seeder, calls):
    create_services(seeder, [ServiceSpec("prod", "orders-api", 2), ServiceSpec("prod", "worker", 1),
                             ServiceSpec("ops", "cron", 1)])
    task = set_task_address("prod", "orders-api", "127.0.0.1")
    holder, waiter = sessions.lock_wait()
    app = app_with_pg()
    async with app.run_test(size=(200, 50)) as pilot:
        await pane_ready(pilot, holder, waiter)
        pane = app.screen.pane("connections")
        named = f"127.0.0.1 · orders-api · task {task[:4]}…"
        await wait_for(pilot, lambda: all(row.origin for row in pane.rows))
        assert pane.cells_of(next(row for row in pane.rows if row.pid == holder))[-1].plain == named
        await pilot.press("1", "slash", *"orders-api", "enter", "c")  # from the service: its sessions
        await settled(pilot)
        assert pane.filter == "orders-api" and app.screen.focused_pane is pane
        assert {holder, waiter} <= {row.pid for row in pane.visible()}
        await pilot.press("4", "slash", *str(holder), "enter", "enter")  # the session whole
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        await settled(pilot)
        assert f"client      127.0.0.1 (orders-api · task {task[:4]}…)" in screen_text(app)
    assert calls.count("ListTasks") == 2 and calls.count("DescribeTasks") == 2  # a cluster each, once a minute


async def test_task_addresses_are_read_per_cluster_within_the_fleet(aws, seeder, calls):
    create_services(seeder, [ServiceSpec("prod", "orders-api", 2), ServiceSpec("prod", "worker", 1)])
    calls.clear()
    addresses = await read_task_addresses(aws, Fleet())
    assert sorted(t.service for t in addresses.values()) == ["orders-api", "orders-api", "worker"]
    assert all(ip.count(".") == 3 for ip in addresses)
    assert calls.count("ListTasks") == 1 and calls.count("DescribeTasks") == 1
    scoped = await read_task_addresses(aws, Fleet(services=("worker",)))
    assert [t.service for t in scoped.values()] == ["worker"]
