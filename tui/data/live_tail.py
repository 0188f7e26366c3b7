"""StartLiveTail where the endpoint offers it, FilterLogEvents polling where it does not.

`FollowTail` is what the app tails with: it polls from `since` up to now, then opens a StartLiveTail session
(its event stream is read on a thread of its own and handed over on each `read()`). If the endpoint refuses the
session, or ends it at once (moto answers with one snapshot and closes), it goes on polling and says why.
A session that ran its course (AWS ends them after 3 hours) is simply opened again.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Any

from warroom.data.aws import Aws
from warroom.data.errors import AwsError, map_error
from warroom.data.logs import LogTail, from_ms
from warroom.data.models import LogBatch, LogEvent, LogTarget
from warroom.data.parse import text

SESSION_MIN_SECONDS = 5.0  # a session that ends sooner is an endpoint that does not really stream


class LiveSession:
    """One StartLiveTail session: its events accumulate from a reader thread until `drain()`."""

    def __init__(self, stream: Any, names: dict[str, str]) -> None:
        self._stream = stream
        self._names = names  # log group ARN -> name
        self._events: list[LogEvent] = []
        self._lock = threading.Lock()
        self.started = time.monotonic()
        self.ended_at: float | None = None
        self.error: AwsError | None = None
        threading.Thread(target=self._read, name="live-tail", daemon=True).start()

    def _read(self) -> None:
        try:
            for message in self._stream:
                update = message.get("sessionUpdate") or {}
                events = [self._event(raw) for raw in update.get("sessionResults") or ()]
                with self._lock:
                    self._events.extend(events)
        except Exception as exc:  # the stream broke: say so, the tail falls back or reopens
            self.error = map_error(exc, "StartLiveTail")
        finally:
            self.ended_at = time.monotonic()

    def _event(self, raw: dict[str, Any]) -> LogEvent:
        group = text(raw.get("logGroupIdentifier"))
        return LogEvent(
            id="",
            timestamp=from_ms(raw.get("timestamp")) or datetime.now(timezone.utc),
            group=self._names.get(group.removesuffix(":*"), group),
            stream=text(raw.get("logStreamName")),
            message=text(raw.get("message")),
            ingested=from_ms(raw.get("ingestionTimestamp")),
        )

    def drain(self) -> list[LogEvent]:
        with self._lock:
            events, self._events = self._events, []
        return events

    @property
    def ended_at_once(self) -> bool:
        return self.ended_at is not None and self.ended_at - self.started < SESSION_MIN_SECONDS

    def close(self) -> None:
        try:
            self._stream.close()
        except Exception:  # already closed
            pass


async def open_session(aws: Aws, target: LogTarget, pattern: str) -> LiveSession:
    """Resolve the groups' ARNs and start a StartLiveTail session on them."""
    names: dict[str, str] = {}
    for group in target.groups:
        response = await aws.call("logs", "describe_log_groups", logGroupNamePrefix=group, limit=50)
        arn = next((text(g.get("logGroupArn") or g.get("arn")).removesuffix(":*")
                    for g in response.get("logGroups") or () if g.get("logGroupName") == group), "")
        if not arn:
            raise AwsError("ResourceNotFoundException", f"log group {group} does not exist", "DescribeLogGroups")
        names[arn] = group
    params: dict[str, Any] = {"logGroupIdentifiers": list(names)}
    if pattern:
        params["logEventFilterPattern"] = pattern
    if target.stream_prefix and len(names) == 1:
        params["logStreamNamePrefixes"] = [target.stream_prefix]
    response = await aws.call("logs", "start_live_tail", **params)
    return LiveSession(response["responseStream"], names)


class FollowTail:
    """Poll up to now, then stream with StartLiveTail; poll again whenever streaming is not possible."""

    def __init__(self, aws: Aws, target: LogTarget, since: datetime, pattern: str = "", *, live: bool = True) -> None:
        self.aws = aws
        self.poll = LogTail(aws, target, since, pattern)
        self.session: LiveSession | None = None
        self.why_polling = "" if live else "polling"
        self._polled = False
        self._closed = False

    async def read(self) -> LogBatch:
        now = datetime.now(timezone.utc)
        if self.session is not None:
            session = self.session
            ended = session.ended_at  # before draining: the reader adds its last events, then sets ended_at
            events = session.drain()
            if ended is None:
                return LogBatch(tuple(self.poll.live(events)), "live", now)
            self.session = None
            if session.ended_at_once:  # not a stream (moto answers one snapshot of everything): trust polling
                self.why_polling = "live tail unavailable (the session ended at once); polling"
            else:
                if session.error:
                    self.why_polling = f"live tail unavailable ({session.error.code}); polling"
                return LogBatch(tuple(self.poll.live(events)), "live", now, self.why_polling)
        if not self.why_polling and self._polled and self.poll.caught_up:
            await self._open()  # before the poll: events ingested meanwhile come from one or the other
        batch = await self.poll.read()
        self._polled = True  # the first read shows the backlog at once; the session opens on a later one
        return LogBatch(batch.events, "poll", batch.read_at, self.why_polling)

    async def _open(self) -> None:
        try:
            session = await open_session(self.aws, self.poll.target, self.poll.pattern)
        except AwsError as exc:
            self.why_polling = f"live tail unavailable ({exc.code}); polling"
            return
        if self._closed:  # closed while the session was being opened
            session.close()
        else:
            self.session = session

    def close(self) -> None:
        self._closed = True
        if self.session is not None:
            self.session.close()
            self.session = None
