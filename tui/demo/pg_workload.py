"""Sessions of every kind against a PostgreSQL server: idle, busy, idle in transaction, waiting on a lock, a chain
of sessions blocking each other.

Busy sessions send their query without waiting for it (libpq's asynchronous send), so no thread sits on them.
The tests open exactly the sessions they check; the demo's `Workload` thread keeps a small crowd alive,
reopening what the user cancelled or terminated.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg

LOCKED_TABLE = "warroom_demo_orders"
CHAIN_TABLE = "warroom_demo_accounts"
TRAFFIC = (  # what the demo's statements screen counts, a round each period
    f"SELECT count(*) FROM {CHAIN_TABLE} WHERE v > 0",
    f"SELECT id, v FROM {CHAIN_TABLE} WHERE id = 2",
    "SELECT pg_sleep(0.05) /* slow report: totals by clinic */",
    "SELECT relname, n_live_tup FROM pg_stat_user_tables ORDER BY n_live_tup DESC",
)


class Sessions:
    """Opens sessions on a server and closes them all on `close()`."""

    def __init__(self, conninfo: dict[str, str]) -> None:
        self.conninfo = conninfo
        self.opened: list[psycopg.Connection[Any]] = []

    def _open(self, application: str, autocommit: bool = True) -> psycopg.Connection[Any]:
        conn = psycopg.connect(**self.conninfo, application_name=application, autocommit=autocommit)
        self.opened.append(conn)
        return conn

    def idle(self, application: str = "idle") -> int:
        """A connection that has never run a query (empty query, NULL query_start)."""
        return self._open(application).info.backend_pid

    def busy(self, sql: str = "SELECT pg_sleep(3600)", application: str = "busy") -> int:
        """A session running `sql` (sent without waiting for the answer)."""
        conn = self._open(application)
        conn.pgconn.send_query(sql.encode("utf-8", "surrogateescape"))
        return conn.info.backend_pid

    def idle_in_transaction(self, application: str = "idle-in-tx") -> int:
        conn = self._open(application, autocommit=False)
        conn.execute("SELECT 1")
        return conn.info.backend_pid

    def lock_wait(self, application: str = "locker") -> tuple[int, int]:
        """(holder, waiter): the holder keeps a table locked in an open transaction; the waiter queues on it."""
        setup = self._open(application)
        setup.execute(f"CREATE TABLE IF NOT EXISTS {LOCKED_TABLE} (id int)")
        holder = self._open(application, autocommit=False)
        holder.execute(f"LOCK TABLE {LOCKED_TABLE} IN ACCESS EXCLUSIVE MODE")
        waiter = self.busy(f"SELECT count(*) FROM {LOCKED_TABLE}", application="reporting")
        return holder.info.backend_pid, waiter

    def chain(self, application: str = "chain", length: int = 3) -> list[int]:
        """Sessions that block each other in a line, first to last: the first holds a row in an open transaction;
        each next one holds a row of its own and waits for the row of the one before it."""
        setup = self._open(application)
        setup.execute(f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (id int PRIMARY KEY, v int NOT NULL DEFAULT 0)")
        setup.execute(f"INSERT INTO {CHAIN_TABLE} (id) SELECT generate_series(1, %s) ON CONFLICT DO NOTHING",
                      [length])
        pids: list[int] = []
        for row in range(1, length + 1):
            conn = self._open(application, autocommit=False)
            conn.execute(f"UPDATE {CHAIN_TABLE} SET v = v + 1 WHERE id = %s", [row])
            if pids:
                conn.pgconn.send_query(f"UPDATE {CHAIN_TABLE} SET v = v + 1 WHERE id = {row - 1}".encode())
            pids.append(conn.info.backend_pid)
        return pids

    def close(self) -> None:
        """Close every session, ending server-side too (a closed client does not stop a running pg_sleep)."""
        pids = [conn.info.backend_pid for conn in self.opened]
        for conn in self.opened:
            try:
                conn.close()
            except psycopg.Error:
                pass
        self.opened.clear()
        try:
            with psycopg.connect(**self.conninfo, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids])
        except psycopg.Error:
            pass  # the server is gone, and its sessions with it


class Workload:
    """The demo's crowd: a daemon thread (it ends with the demo) that keeps idle, busy, idle-in-transaction and
    lock-waiting sessions open."""

    def __init__(self, conninfo: dict[str, str], period: float = 5.0) -> None:
        self.conninfo = conninfo
        self.period = period
        self._thread = threading.Thread(target=self._loop, name="demo-postgres", daemon=True)
        self._extension = False  # asked for once

    def start(self) -> None:
        self._thread.start()

    def _crowd(self, sessions: Sessions) -> None:
        for number in range(12):
            sessions.idle(f"api-{number % 3}")
        sessions.busy("SELECT pg_sleep(900) /* nightly report: SELECT * FROM orders JOIN patients ... */",
                      application="reporting")
        sessions.busy("SELECT pg_sleep(600), 'UPDATE sessions SET expires_at = now()' AS q", application="worker")
        sessions.busy("SELECT pg_sleep(300), '[bold red]markup[/] and \x1b[2J stay literal' AS hostile",
                      application="api-2")
        sessions.idle_in_transaction("worker")
        sessions.lock_wait("migrations")
        sessions.chain("billing")

    def _traffic(self) -> None:
        """pg_stat_statements enabled where the server has it, then a round of statements for it to count."""
        try:
            with psycopg.connect(**self.conninfo, autocommit=True, application_name="api-0") as conn:
                if not self._extension:
                    self._extension = True
                    conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                for sql in TRAFFIC:
                    conn.execute(sql)
        except psycopg.Error:
            pass  # not there (the statements screen says so) or the server is down

    def _loop(self) -> None:
        sessions = Sessions(self.conninfo)
        while True:
            self._traffic()
            alive = [c for c in sessions.opened if not c.closed and not c.broken and _answers(c)]
            if len(alive) < len(sessions.opened) or not sessions.opened:  # something was cancelled or killed
                sessions.close()
                try:
                    self._crowd(sessions)
                except psycopg.Error:
                    pass  # the server is down; try again next period
            time.sleep(self.period)


def _answers(conn: psycopg.Connection[Any]) -> bool:
    """Whether a session (busy or not) is still connected, without waiting on its query."""
    try:
        conn.pgconn.consume_input()
    except psycopg.OperationalError:
        return False
    return conn.pgconn.status == psycopg.pq.ConnStatus.OK
