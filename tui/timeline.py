"""The incident timeline of one environment: every source read at once for a window, and the exports.

The markdown table is for the post-mortem (oldest first, as a story is told); the JSON has a stable schema,
`warroom.timeline/1`, whose fields are only ever added to.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from warroom.audit import AuditLog
from warroom.config import Environment
from warroom.data.aws import Aws
from warroom.data.ecs import read_services, read_stopped_tasks
from warroom.data.models import Change, Identity, Timeline
from warroom.data.timeline import (
    audit_changes, ecs_changes, gather_timeline, read_alarm_changes, read_rds_events, read_trail, service_names,
    stopped_changes,
)
from warroom.untrusted import clean

SCHEMA = "warroom.timeline/1"
STOPPED_OF = 10  # services below desired whose stopped tasks are read (two calls each)


async def read_timeline(aws: Aws, env: Environment, identity: Identity, audit: AuditLog, since: datetime,
                        until: datetime) -> Timeline:
    """Every source of the environment's changes between `since` and `until`, newest first."""
    fleet = env.fleet
    services = asyncio.ensure_future(read_services(aws, fleet))

    async def trail() -> tuple[Change, ...]:
        try:
            names = service_names(await services)
        except Exception:  # said as the ECS source's problem; CloudTrail is then matched on the configured scope
            names = set()
        return await read_trail(aws, since, until, fleet, names)

    async def ecs() -> tuple[Change, ...]:
        """Events and deployments; the stopped tasks of the services below desired (the first STOPPED_OF)."""
        read = await services
        short = [s for s in read if s.running < s.desired][:STOPPED_OF]
        stopped = await asyncio.gather(*(read_stopped_tasks(aws, s) for s in short))
        return ecs_changes(read, since, until) + tuple(
            change for service, tasks in zip(short, stopped)
            for change in stopped_changes(service, tasks, since, until))

    own = await asyncio.to_thread(
        lambda: audit_changes(audit.records(since), since, until, identity.account, identity.region))
    return await gather_timeline(since, until, {
        "cloudtrail": trail(), "alarm": read_alarm_changes(aws, since, until, fleet.alarm_prefix), "ecs": ecs(),
        "rds": read_rds_events(aws, since, until, fleet.databases)}, own)


def _cell(value: str, limit: int = 300) -> str:
    """A markdown table cell: cleaned, one line, pipes escaped."""
    return clean(value, limit=limit).replace("|", "\\|")


def markdown(timeline: Timeline, title: str) -> str:
    """A table (time, source, resource, what, who) ready to paste, oldest first; then what could not be read."""
    lines = [f"## {_cell(title)}", "",
             f"{timeline.since:%Y-%m-%d %H:%M} to {timeline.until:%Y-%m-%d %H:%M} UTC", "",
             "| time (UTC) | source | resource | what | who |", "|---|---|---|---|---|"]
    for change in reversed(timeline.changes):
        who = " · ".join(part for part in (change.actor, change.via) if part)
        lines.append(f"| {change.at:%Y-%m-%d %H:%M:%S} | {change.source} | {_cell(change.resource)} | "
                     f"{_cell(change.what)} | {_cell(who)} |")
    lines += [f"\n_not read: {source}: {_cell(why)}_" for source, why in timeline.missing]
    return "\n".join(lines) + "\n"


def as_json(timeline: Timeline, environment: str, identity: Identity) -> dict[str, Any]:
    """The `warroom.timeline/1` document: oldest first; every string as AWS sent it (JSON escapes it)."""
    return {
        "schema": SCHEMA, "environment": environment, "account": identity.account, "region": identity.region,
        "since": timeline.since.isoformat(), "until": timeline.until.isoformat(),
        "changes": [{"time": c.at.isoformat(), "source": c.source, "resource": c.resource, "what": c.what,
                     "actor": c.actor, "via": c.via, "id": c.id, "raw": c.raw} for c in reversed(timeline.changes)],
        "missing": [{"source": source, "why": why} for source, why in timeline.missing],
    }
