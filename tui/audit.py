"""The audit log: one append-only JSON Lines file, mode 0600 in a 0700 folder, both the user's; each record one
write under an exclusive lock, followed by fsync.

Every action writes an "intent" record before its call and an "outcome" record after it. Records hold who
(the STS caller ARN), where (host, environment, account, region), what (action, target, before, after, the CLI
equivalent) and how it ended (outcome, AWS request id, error); never a secret.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import stat
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import platformdirs

from warroom.config import APP_NAME


class AuditRefused(PermissionError):
    """Why warroom will not write to this audit log, in one line."""


def default_path() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME)) / "audit.jsonl"


def demo_dir() -> Path:
    """The demo's own state folder (its audit log and saved logs), apart from the real ones."""
    return Path(platformdirs.user_state_dir(APP_NAME)) / "demo"


class AuditLog:
    """Appends records to `path` (created 0600, its folder 0700) and reads them back; `saved_logs` is where the
    same run's log screen saves its buffers. `notices` collects what was tightened, one line each, to be said."""

    def __init__(self, path: Path | None = None, saved_logs: Path | None = None) -> None:
        self.path = path or default_path()
        self.saved_logs = saved_logs or Path(platformdirs.user_data_dir(APP_NAME)) / "logs"
        self.notices: list[str] = []

    @classmethod
    def demo(cls) -> AuditLog:
        """The demo's: `demo_dir()/audit.jsonl`, saved logs in `demo_dir()/logs`."""
        return cls(demo_dir() / "audit.jsonl", demo_dir() / "logs")

    def _tighten(self, fd: int, what: Path, mode: int) -> None:
        """Refuse `what` (open as `fd`) when another user owns it; take group and other permissions off it (to
        `mode`) when it has any, and say so in `notices`."""
        st = os.fstat(fd)
        if st.st_uid != os.getuid():
            raise AuditRefused(f"{what} is owned by uid {st.st_uid}, not by you")
        if stat.S_IMODE(st.st_mode) & 0o077:
            os.fchmod(fd, mode)
            self.notices.append(f"audit log: {what} was mode {stat.S_IMODE(st.st_mode):04o}, now {mode:04o}")

    def _open(self) -> int:
        """The log opened for appending: never through a symlink, never another user's file or folder."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder = os.open(self.path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            self._tighten(folder, self.path.parent, 0o700)
            fd = os.open(self.path.name, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                         dir_fd=folder)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise AuditRefused(f"{self.path} is a symbolic link") from None
            raise
        finally:
            os.close(folder)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise AuditRefused(f"{self.path} is not a regular file")
            self._tighten(fd, self.path, 0o600)
        except BaseException:
            os.close(fd)
            raise
        return fd

    def write(self, record: dict[str, Any]) -> dict[str, Any]:
        """Append one record (time and host added) whole, under an exclusive lock, then fsync; returns what was
        written. AuditRefused (an OSError) when the file or its folder cannot be trusted."""
        full = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "host": socket.gethostname(),
                **record}
        line = (json.dumps(full, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released by close: other writers wait, so no record is cut by another
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":  # a torn last line (crash mid-write): start anew
                line = b"\n" + line
            while line:
                line = line[os.write(fd, line):]
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
                when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
                if since is None or when >= since:
                    yield record
