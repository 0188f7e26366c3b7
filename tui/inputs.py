"""What is typed, in options and prompts alike: each parser returns a value in range, or raises `Invalid` (a
ValueError) whose message says why in one line. argparse shows that message as a usage error, `ask_value` as a
notice."""

from __future__ import annotations

import argparse
import re
from datetime import datetime, timedelta, timezone
from typing import Callable, TypeVar

N = TypeVar("N", int, float)

MAX_REFRESH = 3600  # seconds between two reads of a pane
MAX_SILENCE = 15 * 24 * 60  # minutes: what an alarm mute rule allows
MAX_IDLE = 7 * 24 * 60  # minutes a session has been idle
MAX_SINCE = timedelta(days=366)  # how far back a duration goes (an ISO time goes back to 1970)
MAX_DESIRED = 5000  # ECS tasks per service
MAX_ERRORS = 10_000  # ERROR lines `warroom check` reads per log group (FilterLogEvents, 10 pages of 1,000)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_AMOUNT = re.compile(r"\s*([0-9]{1,9})\s*([a-z]?)\s*", re.ASCII)
_SECONDS = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}  # no unit: minutes
_IDENTIFIER = re.compile(r"[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?", re.ASCII)


class Invalid(ValueError, argparse.ArgumentTypeError):
    """Why a typed value is refused, in one line."""


def _shown(text: str) -> str:
    """`text` quoted, cut, every control or line-breaking character escaped: safe inside a one-line reason."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _number(text: str, kind: Callable[[str], N], low: N, high: N, what: str) -> N:
    try:
        value = kind(text)
    except ValueError:  # float() takes "nan" and "1e999": the range below refuses them
        raise Invalid(f"{_shown(text)} is not {what}") from None
    if not low <= value <= high:
        raise Invalid(f"{_shown(text)} is not {what}")
    return value


def _seconds(text: str, units: tuple[str, ...]) -> int | None:
    """A whole number and one of `units` ("" for none: minutes) as seconds; None for anything else."""
    found = _AMOUNT.fullmatch(text)
    if not found or found.group(2) not in units:
        return None
    return int(found.group(1)) * _SECONDS[found.group(2)]


def refresh(text: str) -> float:
    """Seconds between refreshes: 1 to 3600."""
    return _number(text, float, 1.0, float(MAX_REFRESH), f"a number of seconds from 1 to {MAX_REFRESH}")


def idle_minutes(text: str) -> float:
    """Minutes of idleness, fractions allowed: 0 (every idle session) to 7 days."""
    return _number(text, float, 0.0, float(MAX_IDLE), f"a number of minutes from 0 to {MAX_IDLE}")


def count(high: int) -> Callable[[str], int]:
    """A parser for a whole number from 0 to `high`."""
    def parse(text: str) -> int:
        return _number(text, int, 0, high, f"a whole number from 0 to {high}")
    return parse


def storage_gb(low: int, high: int) -> Callable[[str], int]:
    """A parser for a database's new allocated storage in GiB, from `low` to `high`."""
    def parse(text: str) -> int:
        return _number(text, int, low, high, f"a whole number of GiB from {low:,} to {high:,}")
    return parse


desired_count = count(MAX_DESIRED)
max_errors = count(MAX_ERRORS)


def duration(text: str) -> int:
    """A silence: `45`, `45m`, `2h`, `1d` as whole minutes, from 1 minute to 15 days."""
    seconds = _seconds(text, ("", "m", "h", "d"))
    if seconds is None:
        raise Invalid(f"{_shown(text)} is not a duration: use 30m, 2h or 1d")
    if not 60 <= seconds <= MAX_SILENCE * 60:
        raise Invalid(f"{_shown(text)}: a silence lasts from 1 minute to 15 days")
    return seconds // 60


def since(text: str, now: datetime | None = None) -> datetime:
    """`30m`, `1h`, `2d` (s, m, h, d or w; at most 366 days) before `now`, or an ISO 8601 time from 1970 to `now`
    (UTC when it has no zone)."""
    now = now or datetime.now(timezone.utc)
    seconds = _seconds(text, ("s", "m", "h", "d", "w"))
    if seconds is not None:
        if seconds > MAX_SINCE.total_seconds():
            raise Invalid(f"since {_shown(text)}: at most {MAX_SINCE.days}d back (or an ISO time)")
        return now - timedelta(seconds=seconds)
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"since {_shown(text)}: use 5m, 30m, 1h, 6h, 2d or an ISO time like 2026-11-23T03:00") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    if not EPOCH <= moment <= now:
        raise Invalid(f"since {_shown(text)}: a time between 1970 and now")
    return moment


def _identifier(most: int, what: str) -> Callable[[str], str]:
    """A parser for an RDS identifier: 1 to `most` letters, digits or hyphens, starting with a letter, without a
    trailing or double hyphen."""
    def parse(text: str) -> str:
        name = text.strip()
        if len(name) <= most and "--" not in name and _IDENTIFIER.fullmatch(name):
            return name
        raise Invalid(f"{_shown(text)} is not a valid {what}: 1 to {most} letters, digits or hyphens, starting with "
                      "a letter, without a trailing or double hyphen")
    return parse


database_id = _identifier(63, "DB instance or cluster id")
snapshot_id = _identifier(255, "snapshot id")
