"""PostgreSQL session actions: cancel a query, terminate a session, terminate old idle ones. Made of the one
Action the gate runs; the equivalent command is `psql`, never with a password."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from warroom.actions import Action, Command, Progress, aws_cli
from warroom.blocking import Waiter, release_lines
from warroom.data.aws import Aws
from warroom.data.models import PgSession
from warroom.text import duration
from warroom.untrusted import clean

if TYPE_CHECKING:
    from warroom.data.postgres import Postgres

IDLE_PREVIEW = 5  # sessions listed on the confirm screen of a bulk terminate (it must fit 80x24)


def psql_cli(conninfo: str, sql: str) -> Command:
    """The psql command running `sql`; the SQL in double quotes when the shell would leave it as it is."""
    if any(char in sql for char in '"$`\\!') or clean(sql) != sql:
        return aws_cli("psql", conninfo, "-c", sql)
    command = aws_cli("psql", conninfo)
    return replace(command, text=f'{command.text} -c "{sql}"')


def _same_sessions(found: dict[int, PgSession], backends: tuple[PgSession, ...], idle_seconds: float | None,
                   same_query: bool) -> int:
    """How many of `backends` are still the same sessions (same start time; with `same_query` still running the
    same query; with `idle_seconds` still idle that long). A session whose start time is unknown never is."""
    def same(b: PgSession, now: PgSession | None) -> bool:
        return (now is not None and b.started_at is not None and now.started_at == b.started_at
                and (not same_query or (now.state == "active" and now.query_started_at == b.query_started_at))
                and (idle_seconds is None or (now.state == "idle" and (now.seconds or 0) >= idle_seconds)))
    return sum(1 for b in backends if same(b, found.get(b.pid)))


def _sessions(pg: Postgres, function: str, backends: tuple[PgSession, ...], *, name: str, title: str, target: str,
              after: str, sql: str, details: tuple[str, ...], idle_seconds: float | None = None) -> Action:
    """pg_cancel_backend / pg_terminate_backend on sessions fixed when the screen opened: a pid that now belongs
    to another session, a query that ended (for a cancel), or an idle session that became busy is left alone."""
    pids = tuple(b.pid for b in backends)
    cancel = function == "pg_cancel_backend"

    def connected(count: int) -> str:
        if cancel:
            return f"pid {pids[0]} " + ("running the query" if count else "no longer running that query")
        return (f"pid {pids[0]} " + ("connected" if count else "gone")) if len(pids) == 1 else \
            f"{count} session(s) connected"

    async def current(aws: Aws) -> str:
        return connected(_same_sessions(await pg.backends(pids), backends, idle_seconds, cancel))

    async def run(aws: Aws) -> str:
        answers = await pg.signal(function, backends, idle_seconds)
        done = sorted(pid for pid, ok in answers.items() if ok)
        skipped = len(backends) - len(done)
        return (f"{function} sent to {len(done)} of {len(backends)}: {', '.join(map(str, done)) or 'none'}"
                + (f" ({skipped} left alone: changed since confirmed, or a superuser session)" if skipped else ""))

    async def follow(aws: Aws) -> Progress:
        found = await pg.backends(pids)
        if not cancel:
            left = _same_sessions(found, backends, None, False)
            return Progress(f"{left} of {len(backends)} still connected", settled=left == 0)
        busy = _same_sessions(found, backends, None, True)
        session = found.get(pids[0])
        return Progress(f"pid {pids[0]}: " + ("still running the query" if busy else
                                              f"{session.state if session else 'gone'} (query ended)"),
                        settled=not busy)

    return Action(
        name=name, title=title, target=target, confirm_name=str(pids[0]) if len(pids) == 1 else "terminate",
        before=connected(len(pids)), after=after, cli=psql_cli(pg.conninfo, sql), current=current, run=run,
        follow=follow, details=details, verb="Cancel the query" if cancel else "Terminate",
        moot=(connected(0),),
    )


def _describe(backend: PgSession) -> str:
    return (f"pid {backend.pid} · {backend.user} · {backend.application or '-'} · {backend.named_client} · "
            f"{backend.state or '?'} {duration(backend.seconds)} · {backend.query or '(no query yet)'}")


def cancel_query(pg: Postgres, backend: PgSession) -> Action:
    """pg_cancel_backend: the session's current query stops; the session stays connected."""
    return _sessions(pg, "pg_cancel_backend", (backend,), name="pg-cancel",
                     title=f"Cancel the query of pid {backend.pid}",
                     target=f"{pg.label} pid {backend.pid}", after="query cancelled, session kept",
                     sql=f"SELECT pg_cancel_backend({backend.pid});", details=(_describe(backend),))


def terminate(pg: Postgres, backend: PgSession, waiters: tuple[Waiter, ...] | None = None) -> Action:
    """pg_terminate_backend: the session is disconnected (its open transaction rolls back). `waiters`, the
    sessions waiting behind it when known, are listed with those its end lets run."""
    released = release_lines(backend.pid, waiters) if waiters is not None else ()
    return _sessions(pg, "pg_terminate_backend", (backend,), name="pg-terminate",
                     title=f"Terminate pid {backend.pid}", target=f"{pg.label} pid {backend.pid}",
                     after="session terminated", sql=f"SELECT pg_terminate_backend({backend.pid});",
                     details=(_describe(backend), *released))


def terminate_idle(pg: Postgres, backends: tuple[PgSession, ...], minutes: float) -> Action:
    """pg_terminate_backend on the listed sessions that are still idle for more than `minutes`."""
    listed = tuple(f"pid {b.pid} · {b.application or '-'} · {b.user} · {b.client} · idle {duration(b.seconds)}"
                   for b in backends[:IDLE_PREVIEW])
    rest = [str(b.pid) for b in backends[IDLE_PREVIEW:]]
    more = (f"… and {len(rest)} more: pids {', '.join(rest[:8])}{', …' if len(rest) > 8 else ''}",) if rest else ()
    shown = f"{minutes:f}".rstrip("0").rstrip(".")  # 10, 0.5: never 1e+06
    return _sessions(pg, "pg_terminate_backend", backends, name="pg-terminate-idle",
                     title=f"Terminate {len(backends)} idle connection(s) older than {shown} min",
                     target=f"{pg.label}: {len(backends)} idle session(s)", after="sessions terminated",
                     sql="SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = "
                         f"'client backend' AND state = 'idle' AND state_change < now() - interval '{shown} "
                         "minutes' AND pid <> pg_backend_pid();",
                     details=listed + more, idle_seconds=minutes * 60)
