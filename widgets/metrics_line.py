"""The custom metrics line: each metric the environment watches (config `metrics`) with its latest value, a
problem in the alarm colour with its threshold, and the read's age; shown only when some are configured."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from rich.text import Text
from textual.widgets import Static

from warroom import clock
from warroom.data.custom_metrics import MetricReading, amount
from warroom.freshness import Freshness
from warroom.refresher import Refreshed, RefreshFailed
from warroom.untrusted import literal


class MetricsLine(Static):
    """One line: `METRICS Axon errors 3 · Axon denials 12 > 10`; until the first read, or once its values are STALE,
    the read's age; a failed read keeps the values and says the error's code."""

    COMPONENT_CLASSES = {"metrics-line--bad", "metrics-line--dim"}

    def __init__(self, interval: float, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.fresh = Freshness(interval)
        self.readings: tuple[MetricReading, ...] = ()
        self._line: Text | None = None

    def on_refreshed(self, message: Refreshed[Sequence[MetricReading]]) -> None:
        self.readings = tuple(message.data)
        self.fresh.ok(message.at)
        self.show_line()

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        self.fresh.failed(message.error, message.retry_in)
        self.show_line()

    def show_line(self, now: datetime | None = None) -> None:
        now = now or clock.now()
        bad = self.get_component_rich_style("metrics-line--bad", partial=True)
        dim = self.get_component_rich_style("metrics-line--dim", partial=True)
        line = Text("METRICS ", style="bold", no_wrap=True, overflow="ellipsis", end="")
        for index, reading in enumerate(self.readings):
            if index:
                line.append(" · ")
            metric, value = reading.metric, reading.latest
            line.append_text(literal(metric.label, limit=60))
            shown = "no data" if value is None else amount(value, metric.unit)
            if reading.problem:
                line.append(f" {shown} {'>' if metric.above else '<'} {amount(metric.threshold or 0, metric.unit)}",
                            style=bad)
            else:
                line.append(f" {shown}")
        if not self.readings or self.fresh.stale(now):
            line.append(f"{' · ' if self.readings else ''}{self.fresh.age(now)}", style=dim)
        if self.fresh.error is not None:
            line.append_text(literal(f" · ✖ {self.fresh.error.code}", bad, limit=80))
        if self._line is None or (line.plain, line.spans) != (self._line.plain, self._line.spans):
            self._line = line  # called each second (for STALE): the same line again is not written again
            self.update(line)
