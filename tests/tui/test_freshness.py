"""Freshness: one way to say how fresh a source's data is, for every pane, detail screen and log view."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from warroom.data.errors import AwsError
from warroom.freshness import Freshness

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)


def test_loading_then_ages_in_steps_then_stale_after_three_intervals():
    fresh = Freshness(10)
    assert fresh.age(NOW) == "loading…" and not fresh.stale(NOW)
    fresh.ok(NOW)
    assert fresh.age(NOW + timedelta(seconds=9)) == "updated <10s ago"
    assert fresh.age(NOW + timedelta(seconds=19)) == "updated 10s ago"
    assert fresh.age(NOW + timedelta(seconds=30)) == "updated 30s ago"
    assert fresh.stale(NOW + timedelta(seconds=31)) and fresh.age(NOW + timedelta(seconds=31)) == \
        "STALE · updated 30s ago"


def test_an_error_says_its_code_and_the_next_try_and_a_good_read_clears_it(monkeypatch):
    monkeypatch.setattr("warroom.clock.now", lambda: NOW)
    fresh = Freshness(10)
    fresh.failed(AwsError("AccessDenied", "no [b]way[/b]", "DescribeServices"), 12.5)
    assert fresh.age(NOW) == "no data yet"
    assert fresh.retry(NOW) == "retry in 12s" and fresh.retry(NOW + timedelta(seconds=20)) == "retry in 0s"
    assert fresh.problem().startswith("refresh failed: AccessDenied") and "no [b]way[/b]" in fresh.problem()
    fresh.failed(AwsError("ThrottlingException", "Rate exceeded", "DescribeAlarms"), 30)
    assert fresh.problem().startswith("throttled: ThrottlingException")
    fresh.ok(NOW)
    assert (fresh.error, fresh.retry(NOW), fresh.problem()) == (None, "", "")
