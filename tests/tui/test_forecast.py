"""Time to full from the last hour's free storage: falling, rising, flat, too few points, other metrics."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from warroom.data.models import MetricQuery, MetricSeries
from warroom.forecast import time_to_full

START = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)
FREE = MetricQuery("storage", "Free storage", "AWS/RDS", "FreeStorageSpace", (), "Minimum", "bytes")


def series(values: list[float], query: MetricQuery = FREE) -> MetricSeries:
    return MetricSeries(query, tuple(values), tuple(START + timedelta(minutes=i) for i in range(len(values))))


def test_falling_free_storage_says_when_it_is_full():
    gb = 1 << 30
    assert time_to_full(series([150 * gb - i * gb for i in range(60)])) == \
        "Free storage: full in ~2 h at the last hour's rate"  # 1 GB a minute, 91 GB left after the hour
    assert time_to_full(series([100 * gb - i * gb / 60 for i in range(60)])) == \
        "Free storage: full in ~4 days at the last hour's rate"
    assert time_to_full(series([100 * gb - i * gb / 600 for i in range(60)])) == ""  # 41 days: noise, not said
    assert time_to_full(series([10 * gb - i * gb / 10 for i in range(60)])).endswith("~41 min at the last hour's rate")
    assert time_to_full(series([60 * gb - i * gb for i in range(60)])).endswith("~1 min at the last hour's rate")
    assert time_to_full(series([59 * gb - i * gb for i in range(60)])) == "Free storage: full"


def test_nothing_is_said_when_it_does_not_fall_or_too_few_points_or_another_metric():
    assert time_to_full(series([5.0, 6.0, 7.0, 8.0, 9.0, 10.0])) == ""
    assert time_to_full(series([5.0] * 10)) == ""
    assert time_to_full(series([9.0, 8.0, 7.0])) == ""
    cpu = MetricQuery("cpu", "CPU", "AWS/RDS", "CPUUtilization", (), "Average", "%")
    assert time_to_full(series([90.0 - i for i in range(30)], cpu)) == ""
