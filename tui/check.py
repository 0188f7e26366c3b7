"""The morning health check (the runbooks' "expected results"): every ECS service running = desired and its
rollout settled, its load balancer targets healthy, none pinned at its autoscaling max, no alarm in ALARM, every
database available with at least 10 % of its storage free, every cache (ElastiCache replication group) available,
every Lambda function Active (or Inactive: idle) with no failed update and no errors or throttles in the last hour,
every DynamoDB table ACTIVE with no throttled requests in the last hour (only the kinds the environment names in
`caches`, `functions`, `tables`: another team's resources in the region never fail this check; a source that
cannot be read is a problem), every custom metric the environment configures within its threshold (its latest
minute in the last hour; none in the hour is not a problem), few ERROR lines in the environment's log groups.

The same data layer and the same minimal calls as the TUI's panes; the reads run concurrently.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from warroom.config import Environment
from warroom.data.aws import Aws
from warroom.data.cloudwatch import read_alarms
from warroom.data.custom_metrics import MetricReading
from warroom.data.dependencies import read_dependencies
from warroom.data.dependency_models import Dependencies
from warroom.data.elb import read_target_health
from warroom.data.ecs import read_services
from warroom.data.logs import cut_off, filter_events
from warroom.data.metrics import read_custom, read_metrics
from warroom.data.models import Database, Identity, MetricQuery, Service, TargetHealth
from warroom.data.rds import read_databases
from warroom.health import database_ok, service_problems, targets_problem

SCHEMA = "warroom.check/1"
KINDS = ("service", "targets", "scaling", "alarm", "database", "storage", "cache", "function", "table", "metric",
         "log_errors")
LOW_STORAGE = 0.10  # an instance with less free storage than this share of its allocated storage is a problem
ERROR_PATTERN = "ERROR"  # as the runbooks count them: `aws logs filter-log-events --filter-pattern ERROR`


@dataclass(frozen=True)
class Finding:
    """One thing checked: `status` is "ok" or "problem"; `detail` says what was seen."""

    check: str  # one of KINDS
    resource: str
    status: str
    detail: str


@dataclass(frozen=True)
class Report:
    """Everything one check saw, in a stable order (problems first, then by check and resource)."""

    environment: str
    account: str
    region: str
    checked_at: datetime
    since: datetime
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return all(f.status == "ok" for f in self.findings)

    def summary(self) -> dict[str, dict[str, int]]:
        """Per kind of check (in KINDS order, those with anything in scope): how many checked, how many not ok."""
        return {kind: {"checked": len(found), "problems": sum(1 for f in found if f.status != "ok")}
                for kind in KINDS if (found := [f for f in self.findings if f.check == kind])}

    def as_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "ok": self.ok, "environment": self.environment, "account": self.account,
                "region": self.region, "checked_at": self.checked_at.isoformat(), "since": self.since.isoformat(),
                "summary": self.summary(), "findings": [asdict(f) for f in self.findings]}


def _finding(check: str, resource: str, problem: str, fine: str) -> Finding:
    return Finding(check, resource, "problem" if problem else "ok", problem or fine)


async def _storage(aws: Aws, databases: tuple[Database, ...], now: datetime) -> list[Finding]:
    """Each instance's free storage (FreeStorageSpace, the hour's last minimum) against its allocated storage, in
    one GetMetricData call; Aurora, whose storage grows by itself, is not checked."""
    instances = [d for d in databases if d.kind == "instance" and d.storage_gb]
    queries = [MetricQuery(f"free{i}", d.id, "AWS/RDS", "FreeStorageSpace", (("DBInstanceIdentifier", d.id),),
                           "Minimum", "bytes") for i, d in enumerate(instances)]
    series = await read_metrics(aws, queries, now) if queries else ()
    findings = []
    for database, free in zip(instances, series):
        if free.latest is None:
            findings.append(_finding("storage", database.id, "", "no FreeStorageSpace in the last hour"))
            continue
        share = free.latest / ((database.storage_gb or 1) * (1 << 30))
        seen = f"{free.latest / (1 << 30):.1f} GiB free of {database.storage_gb} GiB ({share:.0%})"
        findings.append(_finding("storage", database.id, f"{seen}: under {LOW_STORAGE:.0%}" if share < LOW_STORAGE
                                 else "", seen))
    return findings


def _dependencies(found: Dependencies) -> list[Finding]:
    """Each cache, function and table the scope names (read with `named_only`), and each source not read."""
    return [_finding(item.kind, item.key, "; ".join(item.problems), item.summary) for item in found.items] + [
        _finding(u.kind, u.source, f"not read: {u.why}", "") for u in found.unread]


def _metric(reading: MetricReading) -> Finding:
    return Finding("metric", reading.metric.label, "problem" if reading.problem else "ok", reading.detail)


async def _log_errors(aws: Aws, group: str, since: datetime, max_errors: int) -> Finding:
    events = await filter_events(aws, group, since, ERROR_PATTERN)
    count = f"{'at least ' if cut_off(events) else ''}{len(events)}"
    problem = f"{count} ERROR lines (more than {max_errors})" if len(events) > max_errors else ""
    return _finding("log_errors", group, problem, f"{count} ERROR lines")


def _targets(service: Service, groups: list[TargetHealth]) -> Finding:
    healthy, total = sum(g.healthy for g in groups), sum(g.total for g in groups)
    problem = targets_problem(groups, service.desired)
    reasons = "; ".join(r for g in groups for r in g.reasons)
    return _finding("targets", f"{service.cluster}/{service.name}",
                    f"{problem}: {reasons}" if problem and reasons else problem, f"{healthy}/{total} healthy")


async def run_check(aws: Aws, env: Environment, identity: Identity, since: datetime, now: datetime,
                    max_errors: int) -> Report:
    """Read everything once and judge it; raises AwsError when something could not be read (but for the caches,
    functions and tables: their findings say so)."""
    fleet = env.fleet
    services, alarms, databases, dependencies, custom, *logs = await asyncio.gather(
        read_services(aws, fleet), read_alarms(aws, env.alarm_prefix), read_databases(aws, env.databases),
        read_dependencies(aws, env.dependencies, now, named_only=True), read_custom(aws, env.metrics, now),
        *(_log_errors(aws, group, since, max_errors) for group in env.log_groups))
    targets, storage = await asyncio.gather(
        read_target_health(aws, (arn for s in services for arn in s.target_groups)), _storage(aws, databases, now))
    findings = [
        _finding("service", f"{s.cluster}/{s.name}", ", ".join(service_problems(s, now)),
                 f"running {s.running}/{s.desired}") for s in services
    ] + [
        _targets(s, [targets[arn] for arn in s.target_groups]) for s in services if s.target_groups
    ] + [
        _finding("scaling", f"{s.cluster}/{s.name}", f"pinned at its autoscaling max {s.scaling.high}" if s.at_max
                 else "", f"desired {s.desired}, {s.scaling.range_text()}") for s in services if s.scaling
    ] + [
        _finding("alarm", a.name, f"in ALARM: {a.reason}" if a.state == "ALARM" else "", a.state) for a in alarms
    ] + [
        _finding("database", d.id, "" if database_ok(d) else f"status {d.status}", d.status) for d in databases
    ] + storage + _dependencies(dependencies) + [_metric(r) for r in custom] + list(logs)
    findings.sort(key=lambda f: (f.status == "ok", f.check, f.resource))
    return Report(env.name, identity.account, identity.region, now, since, tuple(findings))


def several_as_json(outcomes: dict[str, Report | str], checked_at: datetime, since: datetime) -> dict[str, Any]:
    """Several environments' checks as one `warroom.check/1` document: its fields over all of them (each finding
    names its environment; `ok` only when every one was checked and is ok), and `environments`, one entry each:
    its report, or the reason it could not be checked (`error`)."""
    reports = [o for o in outcomes.values() if isinstance(o, Report)]
    findings = [{"environment": r.environment, **asdict(f)} for r in reports for f in r.findings]
    summary: dict[str, dict[str, int]] = {}
    for report in reports:
        for kind, counts in report.summary().items():
            total = summary.setdefault(kind, {"checked": 0, "problems": 0})
            total["checked"] += counts["checked"]
            total["problems"] += counts["problems"]
    environments = [{"environment": name, "ok": False, "error": o} if isinstance(o, str) else
                    {key: value for key, value in o.as_json().items() if key not in ("schema", "since")}
                    for name, o in outcomes.items()]
    return {"schema": SCHEMA, "ok": len(reports) == len(outcomes) and all(r.ok for r in reports),
            "environment": ", ".join(outcomes), "account": "", "region": "", "checked_at": checked_at.isoformat(),
            "since": since.isoformat(), "summary": {kind: summary[kind] for kind in KINDS if kind in summary},
            "findings": findings, "environments": environments}
