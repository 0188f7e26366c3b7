"""The statements screen (`p` on the Connections pane): the watched server's top statements by total time from
pg_stat_statements, since when they are counted, and each database's size. Read-only."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

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


SORTS = {"total": "total time", "mean": "mean time"}


class StatementsScreen(DetailScreen):
    """Where the time of a PostgreSQL server goes: its top statements (by total or mean time, `o`) and its
    databases' sizes."""

    BINDINGS = [Binding("o", "sort", "Sort", id="statements-sort")]
    INTERVAL = 60.0  # each read sizes every database and reads the statements' texts: once a minute is plenty
    SECTIONS = (
        ("statements", "Top statements (pg_stat_statements)",
         ("Total", "Mean", "Calls", "Rows", "Query", "Database", "User")),
        ("sizes", "Database sizes", ("Database", "Size")),
    )
    row = None

    def __init__(self, server: str, read: Read) -> None:
        super().__init__(read, Text.assemble("PostgreSQL ", literal(server), " · statements"))
        self.insight: PgInsight | None = None
        self.sort = "total"

    def action_sort(self) -> None:
        """The other order: by total time (where the server's time goes) or mean time (the slowest each run)."""
        self.sort = "mean" if self.sort == "total" else "total"
        if self.insight is not None:
            self.render_detail(self.insight)
        self._show_status()

    def note(self) -> str:
        insight = self.insight
        if insight is None:
            return ""
        if insight.missing:
            return f"PostgreSQL {insight.version} · {insight.missing}"
        since = stamp(insight.reset_at) if insight.reset_at else "the last reset (its time is not recorded)"
        return (f"PostgreSQL {insight.version} · by {SORTS[self.sort]} (o: by {SORTS[self.other]}) · counted since "
                f"{since}, in every database; connected to {insight.database}")

    @property
    def other(self) -> str:
        return "mean" if self.sort == "total" else "total"

    def render_detail(self, insight: PgInsight) -> None:
        self.insight = insight
        key = (lambda s: s.mean_ms) if self.sort == "mean" else (lambda s: s.total_ms)
        self.fill("statements", [statement_row(s) for s in sorted(insight.statements, key=key, reverse=True)],
                  empty="none (see the note above)" if insight.missing else "no statement counted yet")
        self.fill("sizes", [(literal(name), Text(reading(size, "bytes") if size is not None else "not allowed"))
                            for name, size in insight.sizes], empty="none")
