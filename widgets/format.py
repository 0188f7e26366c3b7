"""The time formatting moved to `warroom.text` (tui/ shares it); these names stay for the widgets and screens not
yet importing it from there. `live_age` is the widgets' own: the age on a label that ticks by itself."""

from __future__ import annotations

from datetime import datetime

from warroom import clock
from warroom.text import age, duration, stamp

__all__ = ["LIVE_STEP", "age", "duration", "live_age", "stamp"]

LIVE_STEP = 10  # seconds: the resolution of a live age under a minute


def live_age(then: datetime | None, now: datetime | None = None) -> str:
    """`age` for a label that ticks on its own (a pane's refresh age, the log pane's lag): under a minute in steps
    of LIVE_STEP, "<10s", "10s" (10 to 19 s) ... "50s", then as `age` (minutes, hours, days, also floored).

    A label is written to the terminal each time its text changes: with exact seconds every pane's border was
    rewritten every second. Ten seconds is the default refresh interval, so a pane read on time says "<10s";
    STALE does not wait for a step (it is decided on exact seconds)."""
    if then is None:
        return "-"
    seconds = max(0, int(((now or clock.now()) - then).total_seconds()))
    if seconds >= 60:
        return age(then, now)
    return f"<{LIVE_STEP}s" if seconds < LIVE_STEP else f"{seconds // LIVE_STEP * LIVE_STEP}s"
