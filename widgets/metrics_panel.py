"""The last hour of a resource's CloudWatch metrics: one sparkline per metric with its latest value and unit, and
when a database's free storage is falling, when it is full at that rate."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Sparkline, Static

from warroom.data.errors import AwsError
from warroom.refresher import Refreshed, RefreshFailed
from warroom.data.models import MetricSeries
from warroom.forecast import time_to_full
from warroom.untrusted import literal


def reading(value: float | None, unit: str) -> str:
    """A metric value as people read it: 41.3%, 12, 18.4 GB, 230 ms, 2.5 ACU."""
    if value is None:
        return "no data"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "bytes":
        for size, name in ((1 << 40, "TB"), (1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")):
            if abs(value) >= size:
                return f"{value / size:.1f} {name}"
        return f"{value:.0f} B"
    if unit in ("s", "ms") and value < 0:
        return "not replicating"  # RDS's ReplicaLag is -1 while replication is not running
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "ms":
        return reading(value / 1000, "s")
    if unit == "ACU":
        return f"{value:.1f} ACU"
    return f"{value:,.0f}"


class MetricsPanel(Vertical):
    """Renders what the screen's metrics read returned; rows are rebuilt only when the set of metrics changes."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, classes="metrics")
        self._ids: tuple[str, ...] = ()

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Text("loading…", style="dim"), classes="metrics-note", markup=False)
        forecast = Static("", classes="metrics-forecast", markup=False)
        forecast.display = False
        yield forecast

    def on_refreshed(self, message: Refreshed[Sequence[MetricSeries]]) -> None:
        self.show(message.data)

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        self.failed(message.error)

    def show(self, series: Sequence[MetricSeries]) -> None:
        ids = tuple(s.query.id for s in series)
        if ids != self._ids:  # new rows carry their data: a row mounts after this call returns
            self._ids = ids
            self.query(".metric-row").remove()
            self.mount_all([Horizontal(Label(literal(s.query.label), classes="metric-label"),
                                       Sparkline(list(s.values), summary_function=max, classes="metric-line"),
                                       Label(reading(s.latest, s.query.unit), classes="metric-value"),
                                       classes="metric-row") for s in series],
                           before=self.query_one(".metrics-forecast"))
        else:
            for row, one in zip(self.query(".metric-row"), series):
                row.query_one(Sparkline).data = list(one.values)
                row.query_one(".metric-value", Label).update(reading(one.latest, one.query.unit))
        note = self.query_one(".metrics-note", Static)
        note.update(Text("metrics: none in scope", style="dim") if not series else "")
        note.display = not series
        forecasts = [line for line in map(time_to_full, series) if line]
        forecast = self.query_one(".metrics-forecast", Static)
        forecast.update(Text("\n".join(forecasts), style="bold"))
        forecast.display = bool(forecasts)

    def failed(self, error: AwsError) -> None:
        note = self.query_one(".metrics-note", Static)
        note.update(Text.assemble(("metrics: ", "dim"), literal(error.one_line())))
        note.display = True
