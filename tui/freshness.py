"""How fresh one source's data is, said the same way by every pane, detail screen and log view: the age of the
last good read (in 10 s steps, so a label does not rewrite itself every second), STALE after three intervals
without one, and the last error with its code and when the next try is."""

from __future__ import annotations

from datetime import datetime, timedelta

from warroom import clock
from warroom.data.errors import AwsError
from warroom.text import live_age

STALE_AFTER = 3  # intervals without a good read before data is called stale


class Freshness:
    """The last good read and the last failure of one source, read every `interval` seconds."""

    def __init__(self, interval: float, place: str = "") -> None:
        self.interval = interval
        self.place = place  # the environment read, said while loading
        self.last_ok: datetime | None = None
        self.error: AwsError | None = None
        self.retry_at: datetime | None = None

    def ok(self, at: datetime) -> None:
        self.last_ok, self.error, self.retry_at = at, None, None

    def failed(self, error: AwsError, retry_in: float) -> None:
        self.error = error
        self.retry_at = clock.now() + timedelta(seconds=retry_in)

    def reset(self) -> None:
        """Forget everything: the source now reads something else."""
        self.last_ok, self.error, self.retry_at = None, None, None

    def stale(self, now: datetime | None = None) -> bool:
        """No good read for STALE_AFTER intervals (decided on exact seconds)."""
        return self.last_ok is not None and \
            ((now or clock.now()) - self.last_ok).total_seconds() > STALE_AFTER * self.interval

    def age(self, now: datetime | None = None) -> str:
        """"loading production…", "no data yet", "updated <10s ago", "STALE · updated 3m ago"."""
        if self.last_ok is None:
            return (f"loading {self.place}…" if self.place else "loading…") if self.error is None else "no data yet"
        updated = f"updated {live_age(self.last_ok, now)} ago"
        return f"STALE · {updated}" if self.stale(now) else updated

    def retry(self, now: datetime | None = None) -> str:
        """"retry in 12s" while failing, else ""."""
        if self.error is None:
            return ""
        seconds = (self.retry_at - (now or clock.now())).total_seconds() if self.retry_at else 0
        return f"retry in {max(0, int(seconds))}s"

    def problem(self) -> str:
        """"refresh failed: Code (Operation): message" or "throttled: …" while failing, else ""."""
        if self.error is None:
            return ""
        return f"{'throttled' if self.error.throttled else 'refresh failed'}: {self.error.one_line()}"
