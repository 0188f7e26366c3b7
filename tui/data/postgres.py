"""PostgreSQL: warroom's one session to a server, one query per refresh, and cancel/terminate of backends.

The session runs in autocommit (no transaction is held between reads), is named `warroom`, has a connect
timeout and a statement_timeout, and leaves itself out of what it reports. After a lost connection the next
read reconnects (the refresher spaces the tries out). psycopg's pool is not used: one dashboard needs one
session, and a pool would hide a failed connect's reason behind its own timeout.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Sequence

import psycopg

from warroom.data.aws import Aws
from warroom.data.errors import AwsError
from warroom.data.models import PgInsight, PgSession, Connections
from warroom.data.pg_insight import read_insight
from warroom.data.parse import iso_time
from warroom.data.pg_settings import PgSettings, connect_params, shown

ROWS = 500  # sessions returned per read; the counts always cover them all

# Times leave as text with exactly six fraction digits, so every Python parses them back to the microsecond (they
# identify a session, with its pid, when it is signalled). pg_blocking_pids takes the lock manager's locks: it is
# asked only for sessions waiting on a lock.
STAMP = """to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
SESSIONS = """
WITH s AS (
    SELECT pid, usename, application_name, client_addr, client_hostname, state, wait_event_type, wait_event,
           backend_start, query_start, query,
           CASE WHEN wait_event_type = 'Lock' THEN pg_blocking_pids(pid) END AS blocked_by,
           extract(epoch FROM clock_timestamp() - CASE
               WHEN state = 'active' THEN query_start
               WHEN state LIKE 'idle in transaction%%' THEN coalesce(xact_start, state_change)
               ELSE coalesce(state_change, backend_start) END)::float8 AS seconds
    FROM pg_stat_activity
    WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
      AND (%(pids)s::int[] IS NULL OR pid = ANY(%(pids)s::int[]))
)
SELECT current_setting('max_connections')::int,
       current_setting('server_version'),
       (SELECT count(*) FROM s),
       (SELECT coalesce(json_object_agg(st, n), '{}') FROM
           (SELECT coalesce(state, '') AS st, count(*) AS n FROM s GROUP BY 1) AS c),
       (SELECT count(*) FROM s WHERE wait_event_type = 'Lock'),
       (SELECT coalesce(json_agg(r), '[]') FROM
           (SELECT pid, usename, application_name, host(client_addr) AS client, client_hostname, state,
                   wait_event_type, wait_event, query, blocked_by, seconds,
                   """ + STAMP.format(column="backend_start") + """ AS backend_start,
                   """ + STAMP.format(column="query_start") + """ AS query_start
            FROM s ORDER BY (state IS DISTINCT FROM 'idle') DESC, seconds DESC NULLS LAST, pid
            LIMIT %(rows)s) AS r)
"""

# Only the very sessions confirmed: same pid and start time (and, for a cancel, the same running query; for an
# idle terminate, still idle that long). Superuser sessions are left out unless warroom's role is a superuser
# (signalling them raises an error that would abort the rest, e.g. RDS's rdsadmin).
SIGNAL = """
SELECT a.pid, {function}(a.pid) FROM pg_stat_activity AS a
JOIN unnest(%(pids)s::int[], %(starts)s::timestamptz[], %(queries)s::timestamptz[]) AS t(pid, started, queried)
  ON a.pid = t.pid AND a.backend_start = t.started
WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
  AND (NOT %(same_query)s OR (a.state = 'active' AND a.query_start = t.queried))
  AND (%(idle)s::float8 IS NULL
       OR (a.state = 'idle' AND a.state_change < clock_timestamp() - make_interval(secs => %(idle)s::float8)))
  AND (NOT coalesce((SELECT rolsuper FROM pg_roles WHERE oid = a.usesysid), false)
       OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))
"""
FUNCTIONS = ("pg_cancel_backend", "pg_terminate_backend")


def pg_error(exc: BaseException, secret: str = "") -> AwsError:
    """A psycopg failure as the pane error type: SQLSTATE (or the failure's kind) and libpq's message."""
    if isinstance(exc, AwsError):
        return exc
    lines = [line.strip() for line in str(exc).splitlines() if line.strip() and not line[:1].isspace()]
    message = " ".join(lines) or type(exc).__name__  # libpq's indented lines are hints, not the error
    if secret:
        message = message.replace(secret, "****")
    code = getattr(exc, "sqlstate", None) or ("ConnectionFailed" if isinstance(exc, psycopg.OperationalError)
                                              else type(exc).__name__)
    return AwsError(str(code), message, "PostgreSQL")


def parse_backend(raw: dict[str, Any]) -> PgSession:
    client = raw.get("client") or raw.get("client_hostname") or ""
    seconds = raw.get("seconds")
    return PgSession(
        pid=int(raw["pid"]),
        user=str(raw.get("usename") or ""),
        application=str(raw.get("application_name") or ""),
        client=str(client) or "local",
        state=str(raw.get("state") or ""),
        wait_event_type=str(raw.get("wait_event_type") or ""),
        wait_event=str(raw.get("wait_event") or ""),
        seconds=float(seconds) if seconds is not None else None,
        query=str(raw.get("query") or ""),
        blocked_by=tuple(dict.fromkeys(int(p) for p in raw.get("blocked_by") or ())),  # a parallel query's repeats
        started_at=iso_time(raw.get("backend_start")),
        query_started_at=iso_time(raw.get("query_start")),
    )


class Postgres:
    """One server's sessions. `read()` and the signals are async; the blocking work runs in a thread."""

    def __init__(self, settings: PgSettings, aws: Aws) -> None:
        self.settings = settings
        self.aws = aws
        self.label = settings.label()
        self.conninfo = shown(dict(settings.params))  # for the equivalent psql command; never a password
        self._conn: psycopg.Connection[Any] | None = None
        self._lock = threading.Lock()  # held for each use of the connection, and to close it
        self._closed = False

    def _usable(self) -> bool:
        conn = self._conn
        return conn is not None and not conn.closed and not conn.broken

    async def _execute(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        connect = None if self._usable() else await connect_params(self.settings, self.aws)
        return await asyncio.to_thread(self._blocking, sql, params, connect)

    def _blocking(self, sql: str, params: dict[str, Any], connect: dict[str, str] | None) -> list[tuple[Any, ...]]:
        with self._lock:
            if self._closed:
                raise AwsError("Closed", "warroom no longer watches this server", "PostgreSQL")
            try:
                if not self._usable():
                    if connect is None:  # lost since the caller looked: resolve again on the next call
                        raise AwsError("ConnectionLost", "the connection was lost; reconnecting", "PostgreSQL")
                    self._drop()
                    self._conn = psycopg.connect(**connect, autocommit=True)
                    self.conninfo = shown(connect)
                assert self._conn is not None
                return self._conn.execute(sql, params).fetchall()
            except psycopg.Error as exc:
                if not self._usable():
                    self._drop()
                raise pg_error(exc, (connect or {}).get("password", "")) from None

    async def read(self, pids: Sequence[int] | None = None) -> Connections:
        """Totals, counts by state, lock waiters and the sessions (non-idle longest first); `pids` narrows."""
        rows = await self._execute(SESSIONS, {"pids": list(pids) if pids is not None else None, "rows": ROWS})
        max_connections, version, total, by_state, waiting, sessions = rows[0]
        return Connections(
            server=self.label, version=str(version), max_connections=int(max_connections), total=int(total),
            by_state=tuple(sorted((str(k), int(v)) for k, v in (by_state or {}).items())),
            waiting=int(waiting), backends=tuple(parse_backend(raw) for raw in sessions or ()),
        )

    async def insight(self) -> PgInsight:
        """Top statements (pg_stat_statements) and database sizes."""
        return await read_insight(self._execute)

    async def backends(self, pids: Sequence[int]) -> dict[int, PgSession]:
        """These sessions as they are now (absent when gone)."""
        return {b.pid: b for b in (await self.read(pids)).backends}

    async def signal(self, function: str, backends: Sequence[PgSession], idle_seconds: float | None = None
                     ) -> dict[int, bool]:
        """pg_cancel_backend or pg_terminate_backend on each session that is still the same one (pid and start
        time; a cancel also the same running query) and, with `idle_seconds`, still idle that long; the answer
        per session signalled. A session whose start time is unknown is never signalled."""
        if function not in FUNCTIONS:
            raise ValueError(function)
        known = [b for b in backends if b.started_at is not None]
        params = {"pids": [b.pid for b in known], "starts": [b.started_at for b in known],
                  "queries": [b.query_started_at for b in known], "same_query": function == "pg_cancel_backend",
                  "idle": idle_seconds}
        rows = await self._execute(SIGNAL.format(function=function), params)
        return {int(pid): bool(ok) for pid, ok in rows}

    def close(self) -> None:
        """Stop using the server. The connection is closed on a thread once no query runs on it: closing it
        under a running query (from the UI) would free what libpq is still using."""
        self._closed = True
        threading.Thread(target=self._close_now, name="postgres-close", daemon=True).start()

    def _close_now(self) -> None:
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        """Forget the connection (the lock is held)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except psycopg.Error:
                pass
