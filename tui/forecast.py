"""When a falling metric reaches zero at its recent rate: a database's free storage, from the last hour's points
(a least-squares slope, so one noisy minute does not decide it)."""

from __future__ import annotations

from datetime import datetime

from warroom.data.models import MetricSeries

FILLS = ("FreeStorageSpace",)  # metrics whose reaching zero means full
FEW = 5  # points needed before a rate is trusted
HORIZON = 7 * 86400  # seconds: further than this, nothing is said


def slope(timestamps: tuple[datetime, ...], values: tuple[float, ...]) -> float | None:
    """Units per second over the points (least squares); None with fewer than FEW points or all at one time."""
    if len(values) < FEW:
        return None
    xs = [(t - timestamps[0]).total_seconds() for t in timestamps]
    mean_x, mean_y = sum(xs) / len(xs), sum(values) / len(values)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, values)) / spread


def time_to_full(series: MetricSeries) -> str:
    """"full in ~3 h at the last hour's rate" for a free-space metric that is falling; "" otherwise."""
    rate = slope(series.timestamps, series.values)
    latest = series.latest
    if series.query.metric not in FILLS or rate is None or rate >= 0 or latest is None:
        return ""
    seconds = max(0.0, latest) / -rate
    if seconds == 0:
        return f"{series.query.label}: full"
    if seconds > HORIZON:  # a slow drift over one hour is noise, not a forecast
        return ""
    if seconds < 3600:
        when = f"~{max(1, round(seconds / 60))} min"
    elif seconds < 48 * 3600:
        when = f"~{round(seconds / 3600)} h"
    else:
        when = f"~{round(seconds / 86400)} days"
    return f"{series.query.label}: full in {when} at the last hour's rate"
