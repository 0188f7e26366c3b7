"""PostgreSQL insight against a real server: top statements (pg_stat_statements, preloaded by the test server where
the installation has it), database sizes, and the tree of sessions a session blocks, down to what a terminate
releases."""

from __future__ import annotations

from dataclasses import replace

import psycopg
import pytest

from tests.helpers import confirming, make_app, screen_text, wait_for
from tests.hostile import as_message, corpus
from tests.screens.test_connections import alive, app_with_pg, pane_ready, select  # noqa: F401 (fixture)
from warroom.blocking import waiting_behind
from warroom.data.models import PgSession
from warroom.data.postgres import Postgres
from warroom.data.pg_settings import PgSettings
from warroom.demo.postgres import has_statements
from warroom.screens.follow import FollowScreen
from warroom.screens.session import SessionScreen
from warroom.screens.statements import StatementsScreen
from warroom.untrusted import clean


def execute(conninfo: dict[str, str], *statements: str) -> None:
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def waiting(conninfo: dict[str, str], pid: int) -> list[int]:
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        return list(conn.execute("SELECT pg_blocking_pids(%s)", [pid]).fetchone()[0])


@pytest.fixture
def statements_server(postgres_server):
    if not has_statements(postgres_server.bin):
        pytest.skip("this PostgreSQL installation has no pg_stat_statements (Debian's postgresql-contrib has)")
    execute(postgres_server.conninfo, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
            "SELECT pg_stat_statements_reset()")
    return postgres_server


@pytest.fixture
def bare_database(postgres_server):
    """A database without the extension."""
    execute(postgres_server.conninfo, "DROP DATABASE IF EXISTS nostat", "CREATE DATABASE nostat")
    return {**postgres_server.conninfo, "dbname": "nostat"}


def comment_safe(text: str) -> str:
    return text.replace("\x00", "").replace("*/", "* /")


async def test_top_statements_and_sizes_are_read_literally(statements_server, bare_database, aws):
    hostile = [comment_safe(as_message(value)) for _, value in corpus()]
    conninfo = statements_server.conninfo
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        for number, text in enumerate(hostile):
            columns = ", ".join(["1"] * (number + 1))  # a shape of its own: comments are not part of a statement's id
            conn.execute(f"SELECT {columns} /* {text} */".encode("utf-8", "surrogateescape"))
        for _ in range(5):
            conn.execute("SELECT pg_sleep(0.02) /* the slow one */")
    pg = Postgres(PgSettings(params=conninfo), aws)
    try:
        insight = await pg.insight()
    finally:
        pg.close()
    assert insight.missing == "" and insight.database == "postgres" and insight.reset_at is not None
    top = insight.statements[0]
    assert "the slow one" in top.query and top.calls == 5 and top.total_ms >= 100 and top.mean_ms >= 20
    assert top.database == "postgres" and top.user == "warroom"
    queries = {s.query for s in insight.statements}
    for text in hostile:
        assert any(text in q for q in queries), text
    sizes = dict(insight.sizes)
    assert sizes["postgres"] > 1 << 20 and sizes["nostat"] > 1 << 20
    assert [size for _, size in insight.sizes] == sorted((size for _, size in insight.sizes), reverse=True)


async def test_the_screen_shows_them_and_says_in_one_line_where_the_extension_is_missing(
        app_with_pg, statements_server, bare_database, aws):  # noqa: F811
    execute(statements_server.conninfo, "SELECT pg_sleep(0.01) /* [bold]marked[/] \x1b[2J */")
    app = app_with_pg()
    async with app.run_test(size=(160, 40)) as pilot:
        await pane_ready(pilot)
        await pilot.press("4", "p")
        await wait_for(pilot, lambda: isinstance(app.screen, StatementsScreen) and app.screen.insight is not None)
        text = screen_text(app)
        assert "Top statements (pg_stat_statements)" in text and "counted since " in text
        assert "PostgreSQL 1" in text and "by total time (o: by mean time)" in text
        assert "/* [bold]marked[/] ␛[2J */" in text
        await pilot.press("o")
        await wait_for(pilot, lambda: "by mean time (o: by total time)" in screen_text(app))
        table = app.screen.query_one("#statements")
        means = [table.get_row_at(i)[1].plain for i in range(min(3, table.row_count))]
        assert means and all(m.endswith(("ms", "s")) or "m" in m for m in means)
        assert "Database sizes" in text and "nostat" in text
    app = make_app(aws, interval=1.0, database=bare_database)
    async with app.run_test(size=(120, 30)) as pilot:
        await pane_ready(pilot)
        await pilot.press("4", "p")
        await wait_for(pilot, lambda: isinstance(app.screen, StatementsScreen) and app.screen.insight is not None)
        text = screen_text(app)
        assert "pg_stat_statements is not installed in nostat: run CREATE EXTENSION" in text
        assert app.screen.note().startswith("PostgreSQL 1") and app.screen.note().endswith(
            "pg_stat_statements is not installed in nostat: run CREATE EXTENSION pg_stat_statements; there (it must "
            "also be in shared_preload_libraries: the default on RDS and Aurora PostgreSQL, elsewhere a restart)")
        assert "none (see the note above)" in text


def session(pid: int, *blocked_by: int) -> PgSession:
    return PgSession(pid, "u", "app", "local", "active", "Lock" if blocked_by else "", "", 5.0, "q", blocked_by, None)


def test_the_tree_walks_every_waiter_once_and_marks_who_runs_next():
    rows = [session(1), session(2, 1), session(3, 2), session(4, 1, 9), session(5, 3, 1), session(6, 7)]
    tree = waiting_behind(1, rows)
    assert [(w.depth, w.session.pid, w.also, w.released) for w in tree] == [
        (1, 2, (), True), (2, 3, (), False), (1, 4, (9,), False), (1, 5, (3,), False)]
    queue = [session(100), session(101, 100), session(102, 100, 101), session(103, 100, 101, 102)]
    assert [(w.depth, w.session.pid, w.also, w.released) for w in waiting_behind(100, queue)] == [
        (1, 101, (), True), (1, 102, (101,), False), (1, 103, (101, 102), False)]  # a lock queue: one level
    assert waiting_behind(6, rows) == ()
    assert [w.session.pid for w in waiting_behind(1, [session(1, 2), replace(session(2, 1))])] == [2]  # a cycle


async def test_a_chain_three_deep_is_shown_and_terminate_releases_the_next(app_with_pg, sessions,  # noqa: F811
                                                                           postgres_server):
    first, second, third = sessions.chain()
    app = app_with_pg()
    async with app.run_test(size=(120, 40)) as pilot:
        await pane_ready(pilot, first, second, third)
        pane = app.screen.pane("connections")
        await wait_for(pilot, lambda: pane.snapshot.waiting == 2)
        await select(pilot, first)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        text = screen_text(app)
        assert "blocks      2 session(s) wait behind it" in text
        lines = text.splitlines()
        second_line = next(line for line in lines if f"└ pid {second} · chain" in line)
        third_line = next(line for line in lines if f"└ pid {third} · chain" in line)
        assert third_line.index("└") == second_line.index("└") + 2
        await pilot.press("K")
        await wait_for(pilot, lambda: confirming(app))
        text = screen_text(app)
        assert f"2 session(s) wait behind it; terminating it lets pid {second} run" in text
        await pilot.press("Y", "Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen) and app.screen.settled is not None)
    assert alive(postgres_server.conninfo, first) is None
    assert waiting(postgres_server.conninfo, second) == [] and waiting(postgres_server.conninfo, third) == [second]


def test_hostile_waiter_lines_stay_one_line():
    text = "\x1b[2J\nUPDATE [bold]x[/]" + "y" * 200
    line = clean(next(iter(waiting_behind(1, [session(1), replace(session(2, 1), query=text)]))).session.query)
    assert "\n" not in line and "␛[2J" in line
