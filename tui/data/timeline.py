"""The incident timeline's reads: what changed, when, and who did it, from every source on one clock.

CloudTrail management writes (LookupEvents, ReadOnly false), alarm state changes (DescribeAlarmHistory), RDS
events (DescribeEvents), the ECS services' events and deployments (from a services read), and warroom's own
audit records. Each source is read on its own; one that cannot be read is named with why, never hidden.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any, Awaitable, Iterable, Sequence

from warroom.data.aws import Aws
from warroom.data.errors import NOT_OFFERED, AwsError, map_error
from warroom.data.models import (
    Change, Deployment, Fleet, Service, Task, Timeline, container_reasons, family_revision,
)
from warroom.data.parse import iso_time, text, when

TRAIL_SOURCES = {"ecs.amazonaws.com": "ECS", "rds.amazonaws.com": "RDS", "monitoring.amazonaws.com": "CloudWatch",
                 "application-autoscaling.amazonaws.com": "Auto Scaling"}
MATCH_WINDOW = 120  # seconds between a CloudTrail write and the deployment it started
PARAMETERS = ("desiredCount", "taskDefinition", "forceNewDeployment", "task", "reason", "allocatedStorage",
              "dBInstanceClass", "stateValue", "actionsEnabled", "minCapacity", "maxCapacity")  # shown in `what`


def via(user_agent: str) -> str:
    """How a CloudTrail write was made, from its user agent."""
    agent = user_agent.lower()
    for needle, name in (("warroom", "warroom"), ("console.amazonaws.com", "console"), ("signin.", "console"),
                         ("aws internal", "console"), ("aws-cli", "cli"), ("terraform", "terraform"),
                         ("cloudformation", "cloudformation")):
        if needle in agent:
            return name
    return "sdk" if agent else ""


def _camel(key: str) -> str:
    return key[:1].lower() + key[1:]


def trail_change(event: dict[str, Any]) -> Change:
    """One LookupEvents event: the parameters that matter in its line, its caller, the raw record kept."""
    raw = text(event.get("CloudTrailEvent"))
    record = _record(raw)
    given = {_camel(str(k)): v for k, v in _parameters(record).items()}
    shown = [f"{key}={given[key]}" for key in PARAMETERS if key in given]
    line = " ".join([text(event.get("EventName")), *shown])
    if record.get("errorCode"):
        line += f" · failed: {text(record.get('errorCode'))}"
    identity = record.get("userIdentity") if isinstance(record.get("userIdentity"), dict) else {}
    resources = [text(r.get("ResourceName")) for r in event.get("Resources") or () if isinstance(r, dict)]
    return Change(when(event.get("EventTime")) or datetime.min, "cloudtrail", ", ".join(r for r in resources if r),
                  line, text(identity.get("arn") or event.get("Username")), via(text(record.get("userAgent"))),
                  raw, text(event.get("EventId")))


def in_scope(event: dict[str, Any], fleet: Fleet, services: set[str]) -> bool:
    """A write on one of the environment's resources: an alarm with its prefix, a database in its scope, a
    service or cluster it reads (`services`: their names). An empty scope is everything."""
    resources = [(text(r.get("ResourceType")), text(r.get("ResourceName")).rsplit("/", 1)[-1])
                 for r in event.get("Resources") or () if isinstance(r, dict)]
    everything = not (fleet.clusters or fleet.services or fleet.databases or fleet.alarm_prefix)
    for kind, name in resources:
        if kind.startswith("AWS::CloudWatch"):
            mine = name.startswith(fleet.alarm_prefix)
        elif kind.startswith("AWS::RDS"):
            mine = not fleet.databases or name in fleet.databases
        else:
            mine = not (fleet.clusters or fleet.services) or name in services
        if mine:
            return True
    return everything


async def read_trail(aws: Aws, since: datetime, until: datetime, fleet: Fleet,
                     services: set[str]) -> tuple[Change, ...]:
    """CloudTrail management writes to ECS, RDS, CloudWatch and Auto Scaling in the window, in scope."""
    found: list[Change] = []
    async for page in aws.pages("cloudtrail", "lookup_events", StartTime=since, EndTime=until,
                                LookupAttributes=[{"AttributeKey": "ReadOnly", "AttributeValue": "false"}]):
        found += [trail_change(event) for event in page.get("Events") or ()
                  if text(event.get("EventSource")) in TRAIL_SOURCES and in_scope(event, fleet, services)]
    return tuple(found)


async def read_service_writes(aws: Aws, name: str, since: datetime, until: datetime) -> tuple[Change, ...]:
    """CloudTrail's CreateService and UpdateService calls naming the service `name` (newest first)."""
    found: list[Change] = []
    async for page in aws.pages("cloudtrail", "lookup_events", StartTime=since, EndTime=until,
                                LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": name}]):
        found += [trail_change(event) for event in page.get("Events") or ()
                  if text(event.get("EventName")) in ("CreateService", "UpdateService")]
    return tuple(found)


def started_by(deployment: Deployment, writes: Iterable[Change]) -> Change | None:
    """The CreateService or UpdateService call that started `deployment`: the nearest in time within
    MATCH_WINDOW of its creation that named its task definition (or forced a new deployment, or created it)."""
    if deployment.created_at is None:
        return None
    revision = family_revision(deployment.task_definition)
    candidates = []
    for write in writes:
        params = _parameters(_record(write.raw))
        named = family_revision(str(params.get("taskDefinition", "")))
        if write.what.startswith("CreateService") or params.get("forceNewDeployment") or \
                (named and (named == revision or ":" not in named and revision.startswith(f"{named}:"))):
            gap = abs((write.at - deployment.created_at).total_seconds())
            if gap <= MATCH_WINDOW:
                candidates.append((gap, write))
    return min(candidates, key=lambda pair: pair[0])[1] if candidates else None


def _record(raw: str) -> dict[str, Any]:
    """CloudTrail's record from its JSON text ({} when it is not a JSON object)."""
    try:
        record = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


def _parameters(record: dict[str, Any]) -> dict[str, Any]:
    params = record.get("requestParameters")
    return params if isinstance(params, dict) else {}


async def read_alarm_changes(aws: Aws, since: datetime, until: datetime, prefix: str) -> tuple[Change, ...]:
    """Every alarm state change in the window (one paged read for all alarms), of the alarms with `prefix`."""
    found: list[Change] = []
    async for page in aws.pages("cloudwatch", "describe_alarm_history", HistoryItemType="StateUpdate",
                                AlarmTypes=["MetricAlarm", "CompositeAlarm"], StartDate=since, EndDate=until,
                                ScanBy="TimestampDescending"):
        for item in page.get("AlarmHistoryItems") or ():
            name = text(item.get("AlarmName"))
            if name.startswith(prefix):
                at = when(item.get("Timestamp")) or datetime.min
                found.append(Change(at, "alarm", name, text(item.get("HistorySummary")),
                                    raw=text(item.get("HistoryData")), id=f"{name}@{at.isoformat()}"))
    return tuple(found)


async def read_rds_events(aws: Aws, since: datetime, until: datetime, databases: Sequence[str]) -> tuple[Change, ...]:
    """RDS events of the window (failover, reboot, snapshot, storage, maintenance) of the databases in scope."""
    found: list[Change] = []
    async for page in aws.pages("rds", "describe_events", StartTime=since, EndTime=until):
        for event in page.get("Events") or ():
            source = text(event.get("SourceIdentifier"))
            if not databases or source in databases:
                at = when(event.get("Date")) or datetime.min
                categories = ", ".join(text(c) for c in event.get("EventCategories") or ())
                found.append(Change(at, "rds", source, text(event.get("Message")), raw=categories,
                                    id=f"{text(event.get('SourceArn'))}@{at.isoformat()}"))
    return tuple(found)


def ecs_changes(services: Iterable[Service], since: datetime, until: datetime) -> tuple[Change, ...]:
    """The services' events and their deployments created, completed or failed, in the window."""
    found: list[Change] = []
    for service in services:
        for event in service.events:
            if event.created_at and since <= event.created_at <= until:
                found.append(Change(event.created_at, "ecs", service.name, event.message, id=event.id))
        for d in service.deployments:
            revision = family_revision(d.task_definition)
            if d.created_at and since <= d.created_at <= until:
                found.append(Change(d.created_at, "ecs", service.name, f"deployment created: {revision}",
                                    id=f"{d.id}:created"))
            if d.updated_at and since <= d.updated_at <= until and d.rollout_state in ("COMPLETED", "FAILED"):
                reason = f" ({d.rollout_reason})" if d.rollout_reason else ""
                found.append(Change(d.updated_at, "ecs", service.name,
                                    f"deployment {d.rollout_state}: {revision}{reason}", id=f"{d.id}:settled"))
    return tuple(found)


def stopped_changes(service: Service, tasks: Iterable[Task], since: datetime, until: datetime) -> tuple[Change, ...]:
    """A service's tasks that stopped in the window, with their stop code, reason and containers' reasons."""
    return tuple(
        Change(task.stopped_at, "ecs", service.name,
               " · ".join(part for part in (f"task {task.short_id} stopped", task.stop_code, task.stopped_reason,
                                            container_reasons(task)) if part), id=task.arn)
        for task in tasks if task.stopped_at and since <= task.stopped_at <= until)


def audit_changes(records: Iterable[dict[str, Any]], since: datetime, until: datetime, account: str,
                  region: str) -> tuple[Change, ...]:
    """warroom's own actions in this account and region: each intent joined with its outcome."""
    intents: dict[str, dict[str, Any]] = {}
    outcomes: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.get("account") == account and record.get("region") == region and record.get("id"):
            (intents if record.get("phase") == "intent" else outcomes)[str(record["id"])] = record
    found: list[Change] = []
    for key, intent in intents.items():
        at = iso_time(intent.get("time"))
        if at is None or not since <= at <= until:
            continue
        outcome = outcomes.get(key, {})
        result = text(outcome.get("outcome")) or "no outcome recorded"
        if outcome.get("error_code"):
            result += f" {text(outcome.get('error_code'))}"
        line = f"{text(intent.get('action'))} {text(intent.get('before'))} → {text(intent.get('after'))}: {result}"
        found.append(Change(at, "warroom", text(intent.get("target")), line, text(intent.get("caller")), "warroom",
                            text(intent.get("cli")), key))
    return tuple(found)


def _why(exc: AwsError) -> str:
    return "not offered by this endpoint" if exc.code == NOT_OFFERED else exc.one_line()


async def gather_timeline(since: datetime, until: datetime, sources: dict[str, Awaitable[tuple[Change, ...]]],
                          known: Sequence[Change] = ()) -> Timeline:
    """Read every source at once; a source that fails is named in `missing` with why, the others shown."""
    results = await asyncio.gather(*sources.values(), return_exceptions=True)
    changes = list(known)
    missing: list[tuple[str, str]] = []
    for name, result in zip(sources, results):
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result
            missing.append((name, _why(map_error(result))))
        else:
            changes.extend(result)
    changes.sort(key=lambda c: c.at, reverse=True)
    return Timeline(since, until, tuple(changes), tuple(missing))


def service_names(services: Iterable[Service]) -> set[str]:
    """The names an ECS write is matched on: each service's and cluster's."""
    return {name for s in services for name in (s.name, s.cluster)}
