"""Times and ages as short plain text, for the widgets, the screens and the actions' own texts."""

from __future__ import annotations

from datetime import datetime

from warroom import clock


def _elapsed(then: datetime, now: datetime | None) -> int:
    return max(0, int(((now or clock.now()) - then).total_seconds()))


def age(then: datetime | None, now: datetime | None = None) -> str:
    """`then` as a short age: 5s, 3m, 2h, 4d; "-" when unknown."""
    if then is None:
        return "-"
    seconds = _elapsed(then, now)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


LIVE_STEP = 10  # seconds: the resolution of a live age under a minute


def live_age(then: datetime | None, now: datetime | None = None) -> str:
    """`age` for a label that ticks on its own (a pane's refresh age, the log pane's lag): under a minute in steps
    of LIVE_STEP, "<10s", "10s" (10 to 19 s) ... "50s", then as `age`.

    A label is written to the terminal each time its text changes: with exact seconds every pane's border was
    rewritten every second. Ten seconds is the default refresh interval, so a pane read on time says "<10s";
    STALE does not wait for a step (it is decided on exact seconds)."""
    seconds = _elapsed(then, now) if then is not None else 60
    if seconds >= 60:
        return age(then, now)
    return f"<{LIVE_STEP}s" if seconds < LIVE_STEP else f"{seconds // LIVE_STEP * LIVE_STEP}s"


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
