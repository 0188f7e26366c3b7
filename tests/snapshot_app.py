"""A ready app for snapshot tests: a fixed fleet of frozen dataclasses and a frozen clock, no server."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from warroom import clock
from warroom.app import WarroomApp
from warroom.audit import AuditLog
from warroom.config import Environment
from warroom.data.errors import AwsError
from warroom.environments import Environments
from warroom.actions import Action, Progress
from warroom.backend import Read
from warroom.data.aws import Aws
from warroom.data.metrics import database_queries, service_queries
from warroom.data.models import (
    Alarm, AlarmDetail, Change, Connections, Container, ContainerImage, Database, Deployment, Identity, LogBatch,
    LogEvent, LogTarget, MetricQuery, MetricSeries, PgInsight, PgSession, PgStatement, RestoreSource, Scaling,
    ScalingActivity, ScalingDetail, ScalingPolicy, Service, ServiceDetail, ServiceEvent, Snapshot, Summary,
    TargetHealth, Task, TaskDefinition, Timeline,
)
from warroom.data.custom_metrics import CustomMetric, MetricReading
from warroom.data.dependency_models import Cache, Dependencies, Function, Table, Unread
from warroom.data.pg_settings import settings_from
from warroom.data.postgres import Postgres
from warroom.rollback import revision_of

NOW = datetime(2026, 11, 23, 3, 12, 0, tzinfo=timezone.utc)
ARN = "arn:aws:ecs:us-east-1:123456789012"
ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com"


PERCENTILES = {"p95": 1.6, "p99": 2.5}  # how far above the average a percentile's fixture series runs


def ago(**kw: float) -> datetime:
    return NOW - timedelta(**kw)


def taskdef(family: str, revision: int) -> str:
    return f"{ARN}:task-definition/{family}:{revision}"


def service(cluster: str, name: str, desired: int, running: int, pending: int, rollout: str, revision: int,
            events: tuple[tuple[float, str], ...] = (), previous: int | None = None) -> Service:
    deployments = [Deployment(f"ecs-svc/{name}-1", "PRIMARY", rollout, "", taskdef(name, revision), desired,
                              running, pending, 2 if rollout == "FAILED" else 0, ago(minutes=40), ago(minutes=1))]
    if previous:
        deployments.append(Deployment(f"ecs-svc/{name}-0", "ACTIVE", "COMPLETED", "", taskdef(name, previous),
                                      desired, 0, 0, 0, ago(days=2), ago(days=2)))
    return Service(
        arn=f"{ARN}:service/{cluster}/{name}", cluster=cluster, name=name, status="ACTIVE", desired=desired,
        running=running, pending=pending, task_definition=taskdef(name, revision), launch_type="FARGATE",
        deployments=tuple(deployments),
        events=tuple(ServiceEvent(f"e{i}", ago(seconds=s), m) for i, (s, m) in enumerate(events)),
    )


SERVICES = (
    service("omnirapeutic-production", "omnirapeutic-production-api", 3, 3, 0, "COMPLETED", 5,
            ((60, "(service omnirapeutic-production-api) has reached a steady state."),), previous=4),
    service("omnirapeutic-production", "omnirapeutic-production-web", 2, 1, 1, "IN_PROGRESS", 3,
            ((30, "(service omnirapeutic-production-web) has started 1 tasks: (task 9f3c2a)."),), previous=2),
    service("pardon-production-cluster", "pardon-production-service", 2, 0, 2, "FAILED", 9,
            ((120, "(service pardon-production-service) [bold red]deployment failed[/] \x1b]0;owned\x07"),
             (300, "(service pardon-production-service) (task 77ac01) failed container health checks.")),
            previous=8),
    service("continuum-production-cluster", "continuum-production-service", 2, 2, 0, "COMPLETED", 4,
            ((420, "(service continuum-production-service) has reached a steady state."),)),
    service("enterprise-prod-cluster", "app-service", 4, 4, 0, "COMPLETED", 7,
            ((1800, "(service app-service) has reached a steady state."),)),
)

TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup"
SERVICES = tuple(replace(s, target_groups=(f"{TG}/{s.name[-3:]}-tg/0a1b2c3d",)) if s.name.startswith("omni") else s
                 for s in SERVICES)
TARGETS = {
    f"{TG}/api-tg/0a1b2c3d": TargetHealth(f"{TG}/api-tg/0a1b2c3d", 3, 0, 0, 0, ()),
    f"{TG}/web-tg/0a1b2c3d": TargetHealth(f"{TG}/web-tg/0a1b2c3d", 1, 1, 0, 0, (
        "10.0.2.41:8080 unhealthy Target.ResponseCodeMismatch Health checks failed with these codes: [502]",)),
}

WAVES = ((22, 25, 31, 28, 40, 55, 61, 48, 39, 35, 30, 27), (50, 52, 51, 53, 55, 54, 56, 58, 57, 59, 60, 61),
         (0, 0, 1, 0, 3, 12, 30, 22, 4, 1, 0, 0))
SCALE = {"s": 0.01, "bytes": 1e9}

ALARMS = (
    Alarm("arn:alarm:1", "omnirapeutic-production-ecs-cpu", "ALARM",
          "Threshold Crossed: 1 datapoint [91.3] was greater than the threshold (80.0).", ago(minutes=7),
          namespace="AWS/ECS", metric="CPUUtilization", comparison="GreaterThanThreshold", threshold=80.0,
          period=300, evaluation_periods=2, statistic="Average",
          dimensions=(("ClusterName", "omnirapeutic-production"),), description="ECS CPU above 80%"),
    Alarm("arn:alarm:2", "continuum-production-db-connections", "ALARM",
          "Threshold Crossed: [link=http://x]y[/link] :skull:", ago(minutes=3), actions_enabled=False),
    Alarm("arn:alarm:3", "pardon-production-cpu", "INSUFFICIENT_DATA", "Insufficient Data", ago(hours=2)),
    Alarm("arn:alarm:4", "omnirapeutic-production-aurora-cpu", "OK", "Threshold Crossed: no datapoints",
          ago(days=1)),
)

DATABASES = (
    Database("omnirapeutic-production", "cluster", "aurora-postgresql", "15.4", "available",
             "serverless v2 0.5-16 ACU", False, None),
    Database("omnirapeutic-production-instance-1", "instance", "aurora-postgresql", "15.4", "available",
             "db.serverless", False, None, cluster_id="omnirapeutic-production"),
    Database("continuum-production-db", "instance", "postgres", "15.5", "modifying", "db.t3.medium", True, 200),
    Database("enterprise-prod-db", "instance", "postgres", "15.5", "available", "db.r6g.large", True, 500),
)


LOG_EVENTS = tuple(
    LogEvent(str(i), ago(seconds=60 - i * 3), "/ecs/omnirapeutic-production-web", "app/app/9f3c2a6e", message)
    for i, message in enumerate([
        "INFO GET /health 200 2ms",
        "INFO POST /api/v1/orders 201 48ms",
        "WARN slow query took 1840ms: SELECT * FROM sessions WHERE expires_at < now()",
        "ERROR connection pool exhausted: timeout acquiring connection after 30000ms",
        "ERROR Traceback (most recent call last):\n  File \"/app/server.py\", line 88, in handle\n"
        "psycopg.OperationalError: connection pool exhausted",
        "INFO [bold red]not markup[/] \x1b]0;owned\x07 :skull:",
        "INFO GET /api/v1/patients/42 200 17ms",
    ])
)


SNAPSHOTS = (
    Snapshot("continuum-production-db-manual-20261123-0305", "continuum-production-db", "instance", "creating", 42,
             ago(minutes=7), "manual"),
    Snapshot("rds:continuum-production-db-2026-11-23-00-00", "continuum-production-db", "instance", "available", 100,
             ago(hours=3, minutes=12), "automated"),
)


def session(pid: int, app: str, state: str, seconds: float | None, query: str, wait: tuple[str, str] = ("", ""),
            blocked_by: tuple[int, ...] = (), client: str = "10.0.3.17", origin: str = "") -> PgSession:
    return PgSession(pid, "orders_app", app, client, state, wait[0], wait[1], seconds, query, blocked_by,
                   ago(hours=1), origin=origin)


BACKENDS = (
    session(4101, "reporting", "active", 1843.2, "SELECT o.*, p.name FROM orders o JOIN patients p ON p.id = "
            "o.patient_id WHERE o.created_at > now() - interval '90 days' ORDER BY o.total DESC"),
    session(4102, "orders-api", "active", 95.0, "UPDATE orders SET status = 'shipped' WHERE id = $1",
            ("Lock", "transactionid"), (4107,)),
    session(4107, "orders-worker", "idle in transaction", 412.7, "SELECT * FROM orders WHERE id = 42 FOR UPDATE",
            ("Client", "ClientRead"), client="10.0.1.44", origin="omnirapeutic-production-worker · task 3f2a…"),
    session(4110, "orders-api", "active", 0.4, "SELECT '[bold red]x[/]' AS \x1b]0;owned\x07 :skull:"),
    session(4120, "orders-api", "idle", 3600.0, "COMMIT", ("Client", "ClientRead")),
    session(4121, "psql", "idle", 7200.0, "", ("Client", "ClientRead")),
)
CONNECTIONS = Connections("orders_app@orders-db.internal:5432/orders", "15.5", 100, 87,
                          (("active", 3), ("idle", 81), ("idle in transaction", 3)), 1, BACKENDS)
INSIGHT = PgInsight("orders", "15.5", (
    PgStatement("SELECT o.*, p.name FROM orders o JOIN patients p ON p.id = o.patient_id WHERE o.created_at > now() "
                "- $1::interval ORDER BY o.total DESC", 1204, 3_912_400.5, 3249.5, 48_160, "orders", "reporting"),
    PgStatement("UPDATE orders SET status = $1 WHERE id = $2", 981_233, 412_877.2, 0.42, 981_233, "orders",
                "orders_app"),
    PgStatement("SELECT $1 AS \x1b]0;owned\x07 /* [bold red]x[/] :skull: */", 77, 0.61, 0.0079, 77, "orders",
                "orders_app"),
), ago(days=3, hours=2), "", (("orders", 412 << 30), ("orders_archive", 96 << 30), ("rdsadmin", None)))
CUSTOM = (CustomMetric("Axon errors", "axon-orbit/Axon", "ErrorCount", threshold=10),
          CustomMetric("denials \x1b[2J[bold]x[/]", "axon-orbit/Governance", "DenialCount", threshold=10),
          CustomMetric("p99 checkout", "shop", "Latency", statistic="p99", unit="ms"))
DEPENDENCIES = Dependencies(
    caches=(Cache("orders-redis", "sessions and carts", "modifying", ("orders-redis-001", "orders-redis-002"),
                  "enabled", "enabled", "cache.r6g.large"),),
    functions=(Function("orders-report-worker", "nightly [bold red]x[/] \x1b]0;owned\x07", "python3.12", "Active", "",
                        "Successful", "", 14.0, 0.0),
               Function("orders-thumbnailer", "", "nodejs20.x", "Active", "", "Successful", "", 0.0, 0.0)),
    tables=(Table("orders-sessions", "ACTIVE", "PAY_PER_REQUEST", 0.0),),
    unread=(Unread("cache", "ElastiCache", "AccessDenied (DescribeCacheClusters): not authorized"),),
)


def task(tid: str, revision: int, started: float, stopped: float | None = None, reason: str = "") -> Task:
    return Task(
        arn=f"{ARN}:task/pardon-production-cluster/{tid}", task_definition=taskdef("pardon-production-service",
                                                                                   revision),
        last_status="STOPPED" if stopped else "RUNNING", desired_status="STOPPED" if stopped else "RUNNING",
        started_at=ago(minutes=started), stopped_at=ago(minutes=stopped) if stopped else None,
        stopped_reason=reason, stop_code="EssentialContainerExited" if stopped else "",
        containers=(Container("app", "STOPPED" if stopped else "RUNNING", 137 if stopped else None,
                              "OutOfMemoryError: Container killed due to memory usage" if stopped else "",
                              "app:v1.9.0"),),
    )


SCALING = ScalingDetail(
    Scaling(1, 4, ("scale-in",)),
    (ScalingPolicy("web-cpu-tracking", "TargetTrackingScaling", "ECSServiceAverageCPUUtilization at 60"),),
    (ScalingActivity(ago(minutes=3), "Successful", "Setting desired count to 2.",
                     "monitor alarm TargetTracking-web-AlarmHigh [bold red]x[/] \x1b]0;owned\x07 in state ALARM"),),
)


def service_detail(row: Service) -> ServiceDetail:
    return ServiceDetail(
        service=replace(row, scaling=SCALING.scaling),
        scaling=SCALING,
        running_tasks=(task("0f1e2d3c4b5a69788796a5b4c3d2e1f0", 8, 300),),
        stopped_tasks=(task("a1b2c3d4e5f60718293a4b5c6d7e8f90", 9, 12, 9, "Essential container in task exited"),),
        targets=tuple(TARGETS[arn] for arn in row.target_groups),
        revisions=tuple(TaskDefinition(taskdef(row.name, r), row.name, r, "ACTIVE",
                                       (ContainerImage("app", f"{ECR}/app:v1.{r}.0"),),
                                       "512", "1024", ago(days=10 - r))
                   for r in range(revision_of(row.task_definition), 0, -1)[:3]),
    )


TRAIL = ('{"eventName": "UpdateService", "userAgent": "aws-cli/2.15.0", "requestParameters": {"desiredCount": 3, '
         '"cluster": "omnirapeutic-production", "service": "omnirapeutic-production-web"}}')
CHANGES = (
    Change(ago(minutes=2), "alarm", "omnirapeutic-production-ecs-cpu", "Alarm updated from OK to ALARM",
           raw='{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM"}}'),
    Change(ago(minutes=9), "cloudtrail", "omnirapeutic-production, omnirapeutic-production-web",
           "UpdateService desiredCount=3", "arn:aws:sts::123456789012:assumed-role/ci-deploy/github-actions", "cli",
           TRAIL, "e-1"),
    Change(ago(minutes=40, seconds=-20), "cloudtrail", "omnirapeutic-production, omnirapeutic-production-web",
           "UpdateService taskDefinition=omnirapeutic-production-web:3",
           "arn:aws:sts::123456789012:assumed-role/ci-deploy/github-actions", "sdk",
           '{"requestParameters": {"service": "omnirapeutic-production-web", "taskDefinition": '
           '"omnirapeutic-production-web:3"}}', "e-3"),
    Change(ago(minutes=14), "ecs", "pardon-production-service",
           "deployment FAILED: pardon-production-service:9 (ECS deployment circuit breaker: tasks failed to start.)"),
    Change(ago(minutes=20), "warroom", "omnirapeutic-production/omnirapeutic-production-api",
           "scale desired 2 → desired 3: ok", "arn:aws:sts::123456789012:assumed-role/oncall/alice", "warroom"),
    Change(ago(minutes=31), "rds", "continuum-production-db", "Applying modification to allocated storage"),
    Change(ago(minutes=40), "cloudtrail", "pardon-production-cluster, pardon-production-service",
           "UpdateService taskDefinition=pardon-production-service:9 [bold red]x[/] \x1b]0;owned\x07",
           "arn:aws:iam::123456789012:user/bob", "console", "{}", "e-2"),
)


class FixedTail:
    """A log tail that returns LOG_EVENTS once, then nothing."""

    def __init__(self) -> None:
        self.batches = iter([LogBatch(LOG_EVENTS, "poll", NOW)])

    async def read(self) -> LogBatch:
        return next(self.batches, LogBatch((), "poll", NOW))

    def close(self) -> None:
        pass


class FixtureBackend:
    """The PgSession of the fixed fleet: every read answers at once with the constants above; actions find their
    target as it was, run as request "fixture-request" and settle at once."""

    def __init__(self, postgres: bool = False, dependencies: bool = False) -> None:
        database = {"host": "orders-db.internal", "user": "orders_app", "dbname": "orders"} if postgres else {}
        self.found = DEPENDENCIES if dependencies else Dependencies()
        self.env = Environment(name="production", production=True, database=database,
                               metrics=CUSTOM if dependencies else ())
        self.identity = Identity("123456789012", "arn:aws:sts::123456789012:assumed-role/oncall/alice", "us-east-1")
        self.pg_settings = settings_from(database)
        self.postgres = Postgres(self.pg_settings, Aws(region="us-east-1")) if postgres else None
        self.expires: datetime | None = None  # temporary credentials: when they end

    async def services(self) -> tuple[Service, ...]:
        return SERVICES

    async def alarms(self, prefix: str | None = None) -> tuple[Alarm, ...]:
        return tuple(a for a in ALARMS if a.name.startswith(prefix or ""))

    async def databases(self) -> tuple[Database, ...]:
        return DATABASES

    async def target_health(self, groups: tuple[str, ...]) -> dict[str, TargetHealth]:
        return TARGETS

    async def dependencies(self) -> Dependencies:
        return self.found

    async def custom_metrics(self) -> tuple[MetricReading, ...]:
        return tuple(MetricReading(m, MetricSeries(m.query(i), values, tuple(ago(minutes=len(values) - j)
                                                                             for j in range(len(values)))), NOW)
                     for i, (m, values) in enumerate(zip(self.env.metrics, ((0, 2, 3), (4, 9, 14), ()))))

    async def sessions(self) -> Connections:
        return CONNECTIONS

    async def insight(self) -> PgInsight:
        return INSIGHT

    def watch_postgres(self, database: Database | None) -> None:
        pass

    def detail_read(self, row: Any) -> Read:
        if isinstance(row, Service):
            return constant(service_detail(row))
        if isinstance(row, Database):
            return constant(SNAPSHOTS)
        return constant(AlarmDetail(row, (), "history unavailable: NotOffered (DescribeAlarmHistory): "
                                             "the endpoint does not offer DescribeAlarmHistory"))

    def metrics_read(self, row: Any) -> Read:
        queries = service_queries(row, {arn: f"{TG}/app/{row.name[:20]}-alb/1a2b3c" for arn in row.target_groups}) \
            if isinstance(row, Service) else database_queries(row)
        ids = [q.id for q in queries]

        def wave(q: MetricQuery) -> tuple[float, ...]:  # a percentile rides its average's wave, higher
            base = WAVES[ids.index(q.id.split("_p")[0]) % len(WAVES)]
            return tuple(base[j % 12] * SCALE.get(q.unit, 1.0) * PERCENTILES.get(q.stat, 1.0) for j in range(60))
        return constant(tuple(MetricSeries(q, wave(q), tuple(ago(minutes=60 - j) for j in range(60))) for q in queries))

    async def log_target(self, service: Service) -> LogTarget:
        return LogTarget((f"/ecs/{service.name}",), "app/app/", service.name)

    def log_tail(self, target: LogTarget, since: datetime, pattern: str) -> FixedTail:
        return FixedTail()

    async def log_groups(self, prefix: str) -> tuple[str, ...]:
        return tuple(g for g in ("/ecs/omnirapeutic-production-api", "/ecs/omnirapeutic-production-web")
                     if g.startswith(prefix))

    async def mute_rules_unavailable(self) -> str:
        return "NotOffered (ListAlarmMuteRules): the endpoint does not offer ListAlarmMuteRules"

    async def restore_source(self, database: Database) -> RestoreSource:
        return RestoreSource("continuum-production-db-subnets", ("sg-0a1b2c3d4e5f60718",), database.instance_class,
                             database.engine)

    async def database_now(self, kind: str, identifier: str) -> Database | None:
        return None

    async def writes(self, since: datetime, until: datetime, services: set[str]) -> tuple[Change, ...]:
        return tuple(c for c in CHANGES if c.source == "cloudtrail" and since <= c.at <= until)

    async def service_writes(self, service: Service, since: datetime, until: datetime) -> tuple[Change, ...]:
        return tuple(c for c in CHANGES if c.source == "cloudtrail" and service.name in c.resource.split(", "))

    async def timeline(self, since: datetime, until: datetime, audit: Any) -> Timeline:
        return Timeline(since, until, CHANGES, (("rds", "AccessDenied (DescribeEvents): not authorized"),))

    def credentials_expire(self) -> datetime | None:
        return self.expires

    async def reload_credentials(self) -> Identity:
        return self.identity

    async def current(self, action: Action) -> str:
        return action.before

    async def run(self, action: Action) -> str:
        return "fixture-request"

    async def follow(self, action: Action) -> Progress:
        return Progress(f"{action.target} is {action.after}", settled=True)

    def close(self) -> None:
        if self.postgres is not None:
            self.postgres.close()


def constant(value: Any) -> Read:
    async def read() -> Any:
        return value
    return read


ENVIRONMENTS = (
    Environment(name="production", profile="prod", region="us-east-1", production=True),
    Environment(name="staging", profile="staging", region="us-east-1"),
    Environment(name="eu-production", profile="prod-eu", region="eu-west-1", production=True),
    Environment(name="legacy [b]x[/b]\x1b[2J", profile="legacy", region="us-west-2"),
)
SUMMARIES = {
    "production": Summary(40, 2, 1, 3, 6, 0, "123456789012", "us-east-1"),
    "staging": Summary(38, 0, 0, 0, 4, 0, "210987654321", "us-east-1"),
    "eu-production": Summary(12, 0, 0, 1, 2, 1, "123456789012", "eu-west-1"),
}


class FixtureEnvironments(Environments):
    """Four configured environments for the overview and the picker: one with problems, one fine, one with an
    alarm and a database down, one whose credentials have ended (its name hostile)."""

    def __init__(self) -> None:
        super().__init__(listed=ENVIRONMENTS)
        self.remember(ENVIRONMENTS[0], FixtureBackend().identity)

    async def summary(self, env: Environment) -> Summary:
        if env.name not in SUMMARIES:
            raise AwsError("ExpiredToken", "The security token included in the request is expired",
                           "DescribeServices")
        return SUMMARIES[env.name]


class SnapshotApp(WarroomApp):
    """WarroomApp on the fixed fleet (or on the overview of the fixture's environments), with a frozen clock and an
    audit log in a temporary folder."""

    def __init__(self, read_only: bool = True, postgres: bool = False, overview: bool = False,
                 dependencies: bool = False) -> None:
        clock.freeze(NOW)
        super().__init__(None if overview else FixtureBackend(postgres, dependencies), interval=10.0,
                         read_only=read_only,
                         audit=AuditLog(Path(tempfile.mkdtemp(prefix="warroom-snap-")) / "audit.jsonl"),
                         environments=FixtureEnvironments())
