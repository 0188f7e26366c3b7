"""Which alarms warroom silenced, since when and until when planned, read back from the audit log.

AWS does not say when an alarm's actions were disabled; the audit log does, for silences made with warroom.
The ledger re-reads the log only when it has grown, in the caller's thread (the main screen uses a worker).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from warroom.audit import AuditLog
from warroom.data.parse import iso_time


@dataclass(frozen=True)
class Silence:
    """One alarm silenced through warroom: when, and when it was planned to end."""

    since: datetime
    until: datetime | None


class Silences:
    """alarm name → Silence, from the audit log's successful silence and re-enable outcomes."""

    def __init__(self, audit: AuditLog, account: str, region: str) -> None:
        self.audit = audit
        self.account = account
        self.region = region
        self._size = -1
        self.by_alarm: dict[str, Silence] = {}

    def reload(self) -> dict[str, Silence]:
        """Read the audit log again if it changed; returns the current mapping."""
        try:
            size = self.audit.path.stat().st_size
        except OSError:
            size = 0
        if size == self._size:
            return self.by_alarm
        found: dict[str, Silence] = {}
        for record in self.audit.records():
            if record.get("phase") != "outcome" or record.get("outcome") != "ok" or \
                    (record.get("account"), record.get("region")) != (self.account, self.region):
                continue  # the log is shared by every environment: same-named alarms elsewhere are others
            names = record.get("targets") or [record.get("target")]
            if record.get("action") == "silence":
                since = iso_time(record.get("time"))
                for name in names:
                    if since is not None:
                        found[str(name)] = Silence(since, iso_time(record.get("until")))
            elif record.get("action") == "alarm-actions-on":
                for name in names:
                    found.pop(str(name), None)
        self._size = size
        self.by_alarm = found
        return found
