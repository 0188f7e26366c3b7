"""Times and ages as short plain text, for the widgets, the screens and the actions' own texts."""

from __future__ import annotations

from datetime import datetime

from warroom import clock


def age(then: datetime | None, now: datetime | None = None) -> str:
    """`then` as a short age: 5s, 3m, 2h, 4d; "-" when unknown."""
    if then is None:
        return "-"
    seconds = max(0, int(((now or clock.now()) - then).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def duration(seconds: float | None) -> str:
    """A duration in two units at most: 45s, 3m12s, 2h05m, 3d04h; "-" when unknown."""
    if seconds is None:
        return "-"
    whole = max(0, int(seconds))
    for big, size, small, step in (("d", 86400, "h", 3600), ("h", 3600, "m", 60), ("m", 60, "s", 1)):
        if whole >= size:
            return f"{whole // size}{big}{(whole % size) // step:02d}{small}"
    return f"{whole}s"


def stamp(then: datetime | None) -> str:
    """`then` in UTC as `YYYY-MM-DD HH:MM:SS`."""
    if then is None:
        return "-"
    return then.astimezone(clock.now().tzinfo).strftime("%Y-%m-%d %H:%M:%S")
