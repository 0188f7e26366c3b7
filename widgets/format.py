"""Formatting of times and ages for display."""

from __future__ import annotations

from datetime import datetime

from tui import clock


def age(then: datetime | None, now: datetime | None = None) -> str:
    """`then` as a short age: 5s, 3m, 2h, 4d; "-" when unknown."""
    if then is None:
        return "-"
    seconds = max(0, int(((now or clock.now()) - then).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def stamp(then: datetime | None) -> str:
    """`then` in UTC as `YYYY-MM-DD HH:MM:SS`."""
    if then is None:
        return "-"
    return then.astimezone(clock.now().tzinfo).strftime("%Y-%m-%d %H:%M:%S")
