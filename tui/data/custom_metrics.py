"""Custom CloudWatch metrics an environment watches (its applications' own, like axon-orbit's ErrorCount and
DenialCount), each judged by its latest datapoint of the last hour against its threshold."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from warroom.data.models import MetricQuery, MetricSeries

MOST = 500  # custom metrics of an environment at most: one GetMetricData call reads them all
DIMENSIONS = 30  # dimensions of a metric at most, as CloudWatch takes them
STATISTICS = ("Average", "Sum", "Minimum", "Maximum", "SampleCount")
PERCENTILE = re.compile(r"p(100|\d{1,2}(\.\d{1,2})?)")  # p50, p99, p99.9


def valid_statistic(statistic: str) -> bool:
    """One of STATISTICS or a percentile (p0 to p100)."""
    return statistic in STATISTICS or PERCENTILE.fullmatch(statistic) is not None


def amount(value: float, unit: str) -> str:
    """12, 99.95%, 230 ms: whole numbers without decimals, others to 4 significant digits; no unit for counts."""
    number = f"{value:.0f}" if float(value).is_integer() or abs(value) >= 1000 else f"{value:.4g}"
    if unit in ("", "count"):
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


@dataclass(frozen=True)
class CustomMetric:
    """A metric to watch: where it is (namespace, name, dimensions), how a minute of it is aggregated (`statistic`),
    and when its value is a problem: above `threshold`, or below it when not `above`; never without a threshold."""

    label: str
    namespace: str
    name: str
    dimensions: tuple[tuple[str, str], ...] = ()
    statistic: str = "Sum"
    threshold: float | None = None
    above: bool = True
    unit: str = ""  # how to say its values: "count", "%", "ms"…

    def query(self, index: int) -> MetricQuery:
        """Its GetMetricData query, `custom{index}`."""
        return MetricQuery(f"custom{index}", self.label, self.namespace, self.name, self.dimensions, self.statistic,
                           self.unit)

    @property
    def limit(self) -> str:
        """`threshold > 10`, `threshold < 5`, or "" without a threshold."""
        if self.threshold is None:
            return ""
        return f"threshold {'>' if self.above else '<'} {amount(self.threshold, self.unit)}"


@dataclass(frozen=True)
class MetricReading:
    """A custom metric's last hour (a datapoint a minute, oldest first) as read at `at`, judged by its latest."""

    metric: CustomMetric
    series: MetricSeries
    at: datetime

    @property
    def latest(self) -> float | None:
        return self.series.latest

    @property
    def problem(self) -> str:
        """`ErrorCount 12 above 10`, or "" when within its threshold, without one, or without data."""
        value, metric = self.latest, self.metric
        if value is None or metric.threshold is None:
            return ""
        if not (value > metric.threshold if metric.above else value < metric.threshold):
            return ""
        side = "above" if metric.above else "below"
        return f"{metric.label} {amount(value, metric.unit)} {side} {amount(metric.threshold, metric.unit)}"

    @property
    def seen(self) -> str:
        """`12 (Sum per minute, 2 min ago)`: the latest datapoint and how old its minute is, or that there is none."""
        if self.latest is None:
            return "no data in the last hour"
        ago = max(0, int((self.at - self.series.timestamps[-1]).total_seconds() // 60))
        return f"{amount(self.latest, self.metric.unit)} ({self.metric.statistic} per minute, {ago} min ago)"

    @property
    def detail(self) -> str:
        """What was seen and, when there is one, the threshold: `12 (Sum per minute, 2 min ago) · threshold > 10`."""
        return " · ".join(part for part in (self.seen, self.metric.limit) if part)
