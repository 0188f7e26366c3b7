"""The statements screen (`p` on the Connections pane): the watched server's top statements by total time from
pg_stat_statements, since when they are counted, and each database's size. Read-only."""

from __future__ import annotations

from rich.text import Text

from warroom.backend import Read
from warroom.data.models import PgInsight, PgStatement
from warroom.screens.detail import DetailScreen
from warroom.text import duration, stamp
from warroom.untrusted import literal
from warroom.widgets.metrics_panel import reading


def elapsed(ms: float) -> str:
    """Milliseconds as people read them: 0.0079 ms, 0.42 ms, 230 ms, 12.34 s, 3m12s, 2h05m."""
    if ms < 1:
        return f"{ms:.2g} ms"
    return reading(ms / 1000, "s") if ms < 60_000 else duration(ms / 1000)


def statement_row(s: PgStatement) -> tuple[Text, ...]:
    return (Text(elapsed(s.total_ms)), Text(elapsed(s.mean_ms)), Text(f"{s.calls:,}"), Text(f"{s.rows:,}"),
            literal(s.query, limit=400), literal(s.database), literal(s.user))


class StatementsScreen(DetailScreen):
    """Where the time of a PostgreSQL server goes: its top statements and its databases' sizes."""

    SECTIONS = (
        ("statements", "Top statements by total time (pg_stat_statements)",
         ("Total", "Mean", "Calls", "Rows", "Query", "Database", "User")),
        ("sizes", "Database sizes", ("Database", "Size")),
    )
    row = None

    def __init__(self, server: str, read: Read) -> None:
        super().__init__(read, Text.assemble("PostgreSQL ", literal(server), " · statements"))
        self.insight: PgInsight | None = None

    def note(self) -> str:
        insight = self.insight
        if insight is None:
            return ""
        if insight.missing:
            return insight.missing
        since = stamp(insight.reset_at) if insight.reset_at else "the last reset (its time is not recorded)"
        return f"counted since {since}, in every database; connected to {insight.database}"

    def render_detail(self, insight: PgInsight) -> None:
        self.insight = insight
        self.fill("statements", [statement_row(s) for s in insight.statements],
                  empty="none (see the note above)" if insight.missing else "no statement counted yet")
        self.fill("sizes", [(literal(name), Text(reading(size, "bytes") if size is not None else "not allowed"))
                            for name, size in insight.sizes], empty="none")
