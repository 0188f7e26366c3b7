"""The PostgreSQL data layer against a real server: counts, sessions, signals, reconnecting after a restart."""

from __future__ import annotations

import time

import pytest

from warroom.data.errors import AwsError
from warroom.data.pg_settings import settings_from
from warroom.data.postgres import Postgres


@pytest.fixture
def pg(postgres_server):
    connection = Postgres(settings_from(postgres_server.conninfo), aws=None)
    yield connection
    connection.close()


async def settled(pg, predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        snapshot = await pg.read()
        if predicate(snapshot) or time.monotonic() > deadline:
            return snapshot


async def test_counts_states_and_lock_waits(pg, sessions):
    idle = sessions.idle()
    busy = sessions.busy()
    in_tx = sessions.idle_in_transaction()
    holder, waiter = sessions.lock_wait()
    snap = await settled(pg, lambda s: s.waiting == 1)
    by_pid = {b.pid: b for b in snap.backends}
    assert {idle, busy, in_tx, holder, waiter} <= set(by_pid)
    states = dict(snap.by_state)
    assert states["active"] >= 2 and states["idle in transaction"] >= 2 and states["idle"] >= 1
    assert snap.total == sum(states.values()) == len(snap.backends)
    assert snap.max_connections == 40 and snap.used_percent == pytest.approx(100 * snap.total / 40)
    assert by_pid[waiter].waiting_on_lock and by_pid[waiter].blocked_by == (holder,)
    assert by_pid[busy].state == "active" and by_pid[busy].query == "SELECT pg_sleep(3600)"
    never = by_pid[idle]  # never queried: empty query, NULL query_start
    assert never.query == "" and never.state == "idle" and never.seconds is not None
    assert all(b.application != "warroom" for b in snap.backends)  # our own session is left out


async def test_busy_sessions_come_first_longest_first(pg, sessions):
    sessions.idle()
    first = sessions.busy()
    time.sleep(0.3)
    second = sessions.busy()
    snap = await settled(pg, lambda s: s.total >= 3)
    assert [b.pid for b in snap.backends][:2] == [first, second]
    assert snap.backends[-1].state == "idle"


async def test_cancel_keeps_the_session_terminate_ends_it(pg, sessions):
    busy = sessions.busy()
    other = sessions.busy()
    backends = await pg.backends([busy, other])
    assert await pg.signal("pg_cancel_backend", [backends[busy]]) == {busy: True}
    after = await settled(pg, lambda s: {b.pid: b for b in s.backends}[busy].state == "idle")
    assert {b.pid: b for b in after.backends}[busy].state == "idle"
    assert await pg.signal("pg_terminate_backend", [backends[other]]) == {other: True}
    gone = await settled(pg, lambda s: other not in {b.pid for b in s.backends})
    assert other not in {b.pid for b in gone.backends}


async def test_a_pid_now_belonging_to_another_session_is_left_alone(pg, sessions):
    from dataclasses import replace
    from datetime import timedelta

    busy = sessions.busy()
    now = (await pg.backends([busy]))[busy]
    older = replace(now, started_at=now.started_at - timedelta(seconds=1))
    assert await pg.signal("pg_terminate_backend", [older]) == {}
    assert busy in await pg.backends([busy])


async def test_idle_terminate_spares_sessions_no_longer_idle_long_enough(pg, sessions):
    idle = sessions.idle()
    time.sleep(1.2)
    backends = await pg.backends([idle])
    assert await pg.signal("pg_terminate_backend", [backends[idle]], idle_seconds=60) == {}
    assert await pg.signal("pg_terminate_backend", [backends[idle]], idle_seconds=1) == {idle: True}


async def test_hostile_sql_text_comes_back_as_written(pg, sessions):
    text = "SELECT '[bold red]x[/] \x1b]0;owned\x07 \u202e 数据库', pg_sleep(60)"
    pid = sessions.busy(text)
    assert (await pg.backends([pid]))[pid].query == text


async def test_a_restarted_server_is_an_error_then_a_reconnect(pg, postgres_server, sessions):
    assert (await pg.read()).max_connections == 40
    postgres_server.restart()
    with pytest.raises(AwsError) as failure:
        await pg.read()
    assert failure.value.operation == "PostgreSQL" and failure.value.code == "ConnectionFailed"
    assert (await pg.read()).max_connections == 40


async def test_unreachable_server_says_why(postgres_server):
    from warroom.demo.postgres import free_port

    pg = Postgres(settings_from({**postgres_server.conninfo, "port": str(free_port())}), aws=None)
    with pytest.raises(AwsError) as failure:
        await pg.read()
    assert "refused" in failure.value.message.lower()


async def test_a_cancel_never_reaches_a_later_query(pg, sessions):
    from dataclasses import replace
    from datetime import timedelta

    pid = sessions.busy()
    now = (await pg.backends([pid]))[pid]
    earlier = replace(now, query_started_at=now.query_started_at - timedelta(seconds=5))
    assert await pg.signal("pg_cancel_backend", [earlier]) == {}
    assert (await pg.backends([pid]))[pid].state == "active"


async def test_superuser_sessions_are_left_alone_by_a_plain_role(postgres_server, sessions):
    import psycopg

    with psycopg.connect(**postgres_server.conninfo, autocommit=True) as admin:
        admin.execute("DO $$ BEGIN CREATE ROLE oncall LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        admin.execute("GRANT pg_signal_backend, pg_read_all_stats TO oncall")  # as RDS's master user has
    superuser_idle = sessions.idle()
    plain = Postgres(settings_from({**postgres_server.conninfo, "user": "oncall"}), aws=None)
    try:
        plain_sessions = type(sessions)({**postgres_server.conninfo, "user": "oncall"})
        plain_idle = plain_sessions.idle()
        time.sleep(1.1)
        found = await plain.backends([superuser_idle, plain_idle])
        assert found[superuser_idle].started_at is not None  # seen whole, yet not signalled:
        # RDS's rdsadmin sessions are like it, and signalling one would abort the whole statement
        assert await plain.signal("pg_terminate_backend", list(found.values()), idle_seconds=1) == {plain_idle: True}
        assert superuser_idle in await plain.backends([superuser_idle])
    finally:
        plain.close()
        plain_sessions.close()
