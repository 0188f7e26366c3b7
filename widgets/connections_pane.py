"""The PostgreSQL Connections pane: used/max connections, counts by state, lock waits and the sessions (each
client address named by the ECS service and task it belongs to)."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from rich.text import Text

from warroom.data.models import Connections, PgSession
from warroom.health import backend_order, backend_problem
from warroom.untrusted import literal
from warroom.text import duration
from warroom.widgets.act_keys import act_bindings
from warroom.widgets.pane import ResourcePane

SORTS = ("duration", "state")
SHORT_STATES = {"idle in transaction": "idle in tx", "idle in transaction (aborted)": "idle in tx (aborted)"}
QUERY_MIN = 24  # characters of a query in the table at least; it is cut to the pane's width, Enter shows it whole
USED_WARN = 80.0  # percent of max_connections from which the count is flagged


class ConnectionsPane(ResourcePane[PgSession]):
    """One PostgreSQL server's sessions; warroom's own is never among them."""

    TITLE = "Connections"
    KIND = "session"
    BINDINGS = act_bindings("connections")
    COLUMNS = (
        ("pid", "PID"),
        ("state", "State"),
        ("time", "Time"),
        ("blocked", "Blocker"),
        ("app", "Application"),
        ("query", "Query"),
        ("wait", "Wait"),
        ("user", "User"),
        ("client", "Client"),
    )
    STEADY = frozenset({"time"})

    def __init__(self, *, interval: float, id: str, read_only: bool = False, place: str = "") -> None:
        super().__init__(interval=interval, id=id, service="postgres", read_only=read_only, place=place)
        self.snapshot: Connections | None = None
        self.sort = SORTS[0]
        self.server = ""
        self.query_width = QUERY_MIN

    def _fit_query(self, rows: Sequence[PgSession]) -> None:
        """Cut queries where the pane ends: the width left by the columns before the query (each padded by 2)."""
        before = [key for key, _ in self.COLUMNS].index("query")
        widths = [len(label) + 2 for _, label in self.COLUMNS[:before]]
        for row in rows:
            for index, cell in enumerate(self.cells(row)[:before]):
                widths[index] = max(widths[index], cell.cell_len + 2)
        self.query_width = max(QUERY_MIN, self.size.width - sum(widths) - 5)  # border, padding, scrollbar

    def on_resize(self) -> None:
        self._fit_query(self.rows)
        self.render_rows()

    def show(self, rows: Connections | Sequence[PgSession], at: datetime) -> None:  # type: ignore[override]
        if isinstance(rows, Connections):
            self.snapshot = rows
            self.server = rows.server
            rows = rows.backends
        self._fit_query(rows)
        super().show(rows, at)

    def reset(self) -> None:
        self.snapshot = None
        self.server = ""
        super().reset()

    def action_sort_sessions(self) -> None:
        """The next sort (`o`)."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.render_rows()
        self.update_status()
        self.notify(f"Sessions sorted by {self.sort}", timeout=1.5)

    def origin(self) -> str:
        """Which sort is on, then the server."""
        return " · ".join(part for part in (f"sort: {self.sort}", self.server) if part)

    def attention(self, row: PgSession) -> bool:
        return bool(backend_problem(row))

    def order(self, row: PgSession) -> tuple[object, ...]:
        return backend_order(row, self.sort)

    def summary(self, rows: Sequence[PgSession]) -> str:
        snap = self.snapshot
        if snap is None:
            return super().summary(rows)
        states = dict(snap.by_state)
        near = " NEAR MAX" if snap.used_percent >= USED_WARN else ""
        parts = [f"{snap.total}/{snap.max_connections} ({snap.used_percent:.0f}%){near}"]
        parts += [f"{SHORT_STATES.get(state, state or 'other')} {states[state]}"
                  for state in ("active", "idle", "idle in transaction", "idle in transaction (aborted)", "")
                  if states.get(state)]
        if snap.waiting:
            parts.append(f"lock waits {snap.waiting}")
        return " · ".join(parts)

    def cells(self, row: PgSession) -> tuple[Text, ...]:
        problem = backend_problem(row)
        style = self.style("bad") if row.waiting_on_lock else (self.style("warn") if problem else "")
        wait = f"lock:{row.wait_event}" if row.waiting_on_lock else row.wait_event
        query = literal(row.query or "(no query yet)", "" if row.query else self.style("dim"),
                        limit=4 * self.query_width)
        query.truncate(self.query_width, overflow="ellipsis")
        return (
            Text(str(row.pid)),
            literal(SHORT_STATES.get(row.state, row.state) or "?", style),
            Text(duration(row.seconds), style=style),
            Text(",".join(str(p) for p in row.blocked_by), style=self.style("bad")),
            literal(row.application, limit=20),
            query,
            literal(wait, style=self.style("bad") if row.waiting_on_lock else ""),
            literal(row.user, limit=40),
            literal(" · ".join(filter(None, (row.client, row.origin))), limit=120),
        )
