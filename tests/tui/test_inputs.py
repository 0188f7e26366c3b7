"""The parsers of what is typed: every one returns a value in range or a one-line reason, whatever the text."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warroom import inputs

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)
NUMBERS = st.from_regex(r"\s?[-+]?[0-9_]{0,12}(\.[0-9]{0,4})?(e[-+]?[0-9]{1,4})?\s?[smhdw]?\s?", fullmatch=True)
TEXT = st.one_of(st.text(), NUMBERS, st.floats().map(str), st.integers().map(str),
                 st.sampled_from(["nan", "-nan", "inf", "-Infinity", "1e999", "999999999d", "٣", "1_0", " 7 "]))
OFFSETS = st.builds(timezone, st.timedeltas(min_value=timedelta(hours=-23, minutes=-59),
                                            max_value=timedelta(hours=23, minutes=59)))
TIMES = st.datetimes(timezones=st.none() | st.just(timezone.utc) | OFFSETS).map(datetime.isoformat)
NAMES = st.one_of(st.text(), st.text(alphabet="aZ09-- \n\x1b", max_size=300), st.from_regex(r"[a-z][a-z0-9-]{0,300}",
                                                                                            fullmatch=True))
RDS_NAME = re.compile(r"[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?")


def parsed(parse, text: str):  # type: ignore[no-untyped-def]
    """What `parse` makes of `text`, or None when it refuses it with a one-line, printable reason."""
    try:
        return parse(text)
    except ValueError as exc:
        reason = str(exc)
        assert reason.isprintable() and 0 < len(reason) < 300, reason
        return None


@pytest.mark.parametrize("parse, low, high", [
    (inputs.refresh, 1, 3600), (inputs.idle_minutes, 0, 7 * 24 * 60), (inputs.desired_count, 0, 5000),
    (inputs.max_errors, 0, 10_000), (inputs.duration, 1, 15 * 24 * 60)])
@given(text=TEXT)
def test_numbers_are_finite_and_in_range(parse, low, high, text):
    value = parsed(parse, text)
    assert value is None or (math.isfinite(value) and low <= value <= high)


@given(text=st.one_of(TEXT, TIMES))
def test_since_is_between_1970_and_now(text):
    value = parsed(lambda t: inputs.since(t, NOW), text)
    assert value is None or (value.tzinfo is not None and inputs.EPOCH <= value <= NOW)


@pytest.mark.parametrize("parse, most", [(inputs.database_id, 63), (inputs.snapshot_id, 255)])
@given(text=NAMES)
def test_identifiers_follow_the_rds_rules(parse, most, text):
    value = parsed(parse, text)
    assert value is None or (len(value) <= most and "--" not in value and RDS_NAME.fullmatch(value))


@pytest.mark.parametrize("parse, text, value", [
    (inputs.refresh, "2.5", 2.5), (inputs.idle_minutes, "0.005", 0.005), (inputs.idle_minutes, "0", 0),
    (inputs.desired_count, " 12 ", 12), (inputs.max_errors, "0", 0), (inputs.duration, "45", 45),
    (inputs.duration, "2h", 120), (inputs.duration, "15d", 21600), (inputs.database_id, " prod-db-1 ", "prod-db-1"),
    (inputs.snapshot_id, "p" * 255, "p" * 255)])
def test_what_is_in_range_is_taken(parse, text, value):
    assert parse(text) == value


@pytest.mark.parametrize("parse, text", [
    (inputs.refresh, "nan"), (inputs.refresh, "inf"), (inputs.refresh, "0"), (inputs.refresh, "3601"),
    (inputs.idle_minutes, "nan"), (inputs.idle_minutes, "-inf"), (inputs.idle_minutes, "-1"),
    (inputs.desired_count, "5001"), (inputs.desired_count, "2.5"), (inputs.max_errors, "-1"),
    (inputs.duration, "0m"), (inputs.duration, "16d"), (inputs.duration, "1s"), (inputs.database_id, "p" * 64),
    (inputs.database_id, "1db"), (inputs.snapshot_id, "a--b"), (inputs.snapshot_id, "ab-"),
    (inputs.snapshot_id, "p" * 256), (inputs.snapshot_id, "")])
def test_what_is_out_of_range_is_refused(parse, text):
    assert parsed(parse, text) is None


def test_since_takes_durations_and_iso_times():
    assert inputs.since("30m", NOW) == NOW - timedelta(minutes=30)
    assert inputs.since("366d", NOW) == NOW - timedelta(days=366)
    assert inputs.since("2026-11-23T01:30", NOW) == datetime(2026, 11, 23, 1, 30, tzinfo=timezone.utc)
    assert inputs.since("2026-11-23T01:30:00Z", NOW) == datetime(2026, 11, 23, 1, 30, tzinfo=timezone.utc)
    for text in ("999999999d", "367d", "2099-01-01", "1969-12-31T23:59", "yesterday", "-5m"):
        assert parsed(lambda t: inputs.since(t, NOW), text) is None
