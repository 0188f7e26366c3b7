"""CloudWatch Logs reads: a service's log target, log groups by prefix, and the tail (FilterLogEvents polling).

The tail re-asks an overlap window behind the newest event it has seen on every poll, so an event ingested late
is not lost, and drops what it has already returned by eventId, so nothing is shown twice.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from typing import Any

from warroom.data.aws import Aws
from warroom.data.errors import AwsError
from warroom.data.models import LogBatch, LogEvent, LogTarget, Service
from warroom.data.parse import text

OVERLAP = timedelta(seconds=10)
REMEMBER = timedelta(seconds=60)  # how far behind the cursor returned events are remembered, to never repeat one
PAGE_LIMIT = 1000
MAX_PAGES = 10  # per group per poll: at most 10,000 events; the rest comes on the next poll
GROUPS_LISTED = 50


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(value: Any) -> datetime | None:
    return datetime.fromtimestamp(value / 1000, timezone.utc) if isinstance(value, (int, float)) else None


def parse_event(raw: dict[str, Any], group: str) -> LogEvent:
    return LogEvent(
        id=text(raw.get("eventId")),
        timestamp=from_ms(raw.get("timestamp")) or datetime.fromtimestamp(0, timezone.utc),
        group=group,
        stream=text(raw.get("logStreamName")),
        message=text(raw.get("message")),
        ingested=from_ms(raw.get("ingestionTime")),
    )


async def read_log_target(aws: Aws, service: Service) -> LogTarget:
    """The awslogs group(s) and stream prefix of the service's current task definition."""
    response = await aws.call("ecs", "describe_task_definition", taskDefinition=service.task_definition)
    groups: list[str] = []
    prefixes: set[str] = set()
    for container in (response.get("taskDefinition") or {}).get("containerDefinitions") or ():
        config = container.get("logConfiguration") or {}
        options = config.get("options") or {}
        if config.get("logDriver") == "awslogs" and options.get("awslogs-group"):
            if options["awslogs-group"] not in groups:
                groups.append(options["awslogs-group"])
            prefix = options.get("awslogs-stream-prefix")
            prefixes.add(f"{prefix}/{container.get('name', '')}/" if prefix else "")
    if not groups:
        raise AwsError("NoLogConfiguration", f"the containers of {service.name} do not log to CloudWatch Logs "
                       "(no awslogs logConfiguration)", "DescribeTaskDefinition")
    stream_prefix = prefixes.pop() if len(groups) == 1 and len(prefixes) == 1 else ""
    return LogTarget(tuple(groups), stream_prefix, service.name)


async def list_log_groups(aws: Aws, prefix: str = "") -> tuple[str, ...]:
    """Up to 50 log group names starting with `prefix`."""
    params: dict[str, Any] = {"PaginationConfig": {"MaxItems": GROUPS_LISTED, "PageSize": GROUPS_LISTED}}
    if prefix:
        params["logGroupNamePrefix"] = prefix
    names: list[str] = []
    async for page in aws.pages("logs", "describe_log_groups", **params):
        names.extend(text(g.get("logGroupName")) for g in page.get("logGroups") or ())
    return tuple(names[:GROUPS_LISTED])


async def filter_events(aws: Aws, group: str, start: datetime, pattern: str = "", stream_prefix: str = "",
                        end: datetime | None = None) -> list[LogEvent]:
    """FilterLogEvents for one group from `start`, every page up to MAX_PAGES (see `cut_off`)."""
    params: dict[str, Any] = {"logGroupName": group, "startTime": _ms(start),
                              "PaginationConfig": {"PageSize": PAGE_LIMIT, "MaxItems": PAGE_LIMIT * MAX_PAGES}}
    if end is not None:
        params["endTime"] = _ms(end)
    if pattern:
        params["filterPattern"] = pattern
    if stream_prefix:
        params["logStreamNamePrefix"] = stream_prefix
    raw: list[dict[str, Any]] = []
    async for page in aws.pages("logs", "filter_log_events", **params):
        raw.extend(page.get("events") or ())
    # Parsed in a thread: 10,000 events at once would hold the event loop for tens of milliseconds.
    return await asyncio.to_thread(_parsed, raw, group, stream_prefix)


def _parsed(raw: list[dict[str, Any]], group: str, stream_prefix: str) -> list[LogEvent]:
    events = (parse_event(e, group) for e in raw)
    # The prefix is applied here too: not every endpoint honours logStreamNamePrefix.
    return [e for e in events if e.stream.startswith(stream_prefix)]


def cut_off(events: list[LogEvent]) -> bool:
    """Whether a group's read stopped at the cap, with more events after the last one returned."""
    return len(events) >= PAGE_LIMIT * MAX_PAGES


def _keyed(per_group: list[list[LogEvent]]) -> list[tuple[LogEvent, str, str]]:
    """The groups' events in time order, each with its key (eventId, else its content) and its content."""
    merged = sorted((e for events in per_group for e in events), key=lambda e: (e.timestamp, e.group, e.id))
    return [(e, e.id or content, content) for e in merged for content in (_content(e),)]


def _content(event: LogEvent) -> str:
    """What identifies an event without an eventId (StartLiveTail gives none)."""
    return f"{event.group}\0{event.stream}\0{_ms(event.timestamp)}\0{event.message}"


def _prune(seen: dict[str, datetime], cursor: datetime) -> None:
    """Forget what is older than `cursor`, oldest first, stopping at the first newer one: entries are added in
    time order, so a poll costs what it forgets, not all it remembers (60 s at 1,000 lines/s is 60,000 each)."""
    stale = []
    for key, moment in seen.items():
        if moment >= cursor:
            break
        stale.append(key)
    for key in stale:
        del seen[key]


class LogTail:
    """Follows one target by polling FilterLogEvents; each `read()` returns only events not returned before.

    `live()` accepts events that arrived another way (a StartLiveTail session) under the same rule: an event
    already returned is never returned again, whichever way it came.
    """

    def __init__(self, aws: Aws, target: LogTarget, since: datetime, pattern: str = "") -> None:
        self.aws = aws
        self.target = target
        self.pattern = pattern
        self.since = since
        self._cursor = since
        self._seen: dict[str, datetime] = {}  # by eventId: what polls returned
        self._polled: dict[str, datetime] = {}  # by content: what polls returned
        self._streamed: dict[str, datetime] = {}  # by content: what live sessions returned
        self.caught_up = False  # the last poll read everything up to the time it ran

    async def read(self) -> LogBatch:
        start, asked_at = self._cursor, datetime.now(timezone.utc)
        per_group = await asyncio.gather(*(
            filter_events(self.aws, group, start, self.pattern, self.target.stream_prefix)
            for group in self.target.groups
        ))
        # Sorting and keying 10,000 events runs in a thread; only the lookups in the memory run here, on the loop,
        # where `live()` also reads and writes it.
        merged = await asyncio.to_thread(_keyed, per_group)
        new = []
        for event, key, content in merged:
            if key not in self._seen and content not in self._streamed:
                self._seen[key] = self._polled[content] = event.timestamp
                new.append(event)
        capped = [events[-1].timestamp for events in per_group if cut_off(events)]
        self.caught_up = not capped
        if capped:  # from where the slowest capped group stopped: its read is whole up to there, and going back
            self._advance(min(capped))  # OVERLAP would re-read the same capped page forever at a high rate
        else:  # from just before this poll, for events that arrive late: never from further back than needed
            self._advance(max([asked_at] + [e.timestamp for e, _, _ in merged[-1:]]) - OVERLAP)
        return LogBatch(tuple(new), "poll", datetime.now(timezone.utc))

    def live(self, events: list[LogEvent]) -> list[LogEvent]:
        """Of events a live session delivered, those no poll returned, in order; they count as returned."""
        new = [e for e in sorted(events, key=lambda e: (e.timestamp, e.group))
               if e.timestamp >= self.since and _content(e) not in self._polled and _content(e) not in self._streamed]
        for event in new:
            self._streamed[_content(event)] = event.timestamp
        if new:  # a later poll (after the session ends) starts from here, not from where polling stopped
            self._advance(new[-1].timestamp - OVERLAP)
        return new

    def _advance(self, cursor: datetime) -> None:
        if cursor > self._cursor:
            self._cursor = cursor
            for remembered in (self._seen, self._polled, self._streamed):
                _prune(remembered, cursor - REMEMBER)
