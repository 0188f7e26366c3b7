"""The audit log: one append-only JSON Lines file, mode 0600, each record one write followed by fsync.

Every action writes an "intent" record before its call and an "outcome" record after it. Records hold who
(the STS caller ARN), where (host, environment, account, region), what (action, target, before, after, the CLI
equivalent) and how it ended (outcome, AWS request id, error); never a secret.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import platformdirs

from tui.config import APP_NAME


def default_path() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME)) / "audit.jsonl"


def demo_dir() -> Path:
    """The demo's own state folder (its audit log and saved logs), apart from the real ones."""
    return Path(platformdirs.user_state_dir(APP_NAME)) / "demo"


class AuditLog:
    """Appends records to `path` (created 0600, its folder 0700) and reads them back; `saved_logs` is where the
    same run's log screen saves its buffers."""

    def __init__(self, path: Path | None = None, saved_logs: Path | None = None) -> None:
        self.path = path or default_path()
        self.saved_logs = saved_logs or Path(platformdirs.user_data_dir(APP_NAME)) / "logs"

    @classmethod
    def demo(cls) -> AuditLog:
        """The demo's: `demo_dir()/audit.jsonl`, saved logs in `demo_dir()/logs`."""
        return cls(demo_dir() / "audit.jsonl", demo_dir() / "logs")

    def write(self, record: dict[str, Any]) -> dict[str, Any]:
        """Append one record (time and host added) in a single write, then fsync; returns what was written."""
        full = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "host": socket.gethostname(),
                **record}
        line = (json.dumps(full, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":  # a torn last line (crash mid-write): start anew
                line = b"\n" + line
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        return full

    def records(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        """Every readable record, oldest first; a torn last line (a crash mid-write) is skipped."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                try:
                    record = json.loads(line)
                    when = datetime.fromisoformat(record["time"])
                except (ValueError, KeyError, TypeError):
                    continue
                if since is None or when >= since:
                    yield record
