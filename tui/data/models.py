"""The plain frozen dataclasses the data layer returns, and pure helpers on their fields; no boto3 response ever
leaves the data layer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime


def family_revision(task_definition: str) -> str:
    """A task definition ARN or `family:revision` string -> `family:revision`."""
    if task_definition.startswith("arn:") and "task-definition/" in task_definition:
        return task_definition.split("task-definition/", 1)[1]
    return task_definition


@dataclass(frozen=True)
class Identity:
    """Who the credentials are: STS caller identity plus the region in use."""

    account: str
    arn: str
    region: str


@dataclass(frozen=True)
class ServiceEvent:
    """One line of an ECS service's event log."""

    id: str
    created_at: datetime | None
    message: str


@dataclass(frozen=True)
class Deployment:
    """One ECS deployment of a service (PRIMARY, ACTIVE or INACTIVE)."""

    id: str
    status: str
    rollout_state: str
    rollout_reason: str
    task_definition: str
    desired: int
    running: int
    pending: int
    failed: int
    created_at: datetime | None
    updated_at: datetime | None


@dataclass(frozen=True)
class Scaling:
    """An ECS service's Application Auto Scaling target: the autoscaler keeps its desired count within [low, high]
    (a desired count set outside it is moved back by the next scaling activity)."""

    low: int
    high: int
    suspended: tuple[str, ...] = ()  # "scale-in", "scale-out", "scheduled": what the autoscaler does not do now

    def outside(self, count: int) -> bool:
        return not self.low <= count <= self.high

    def range_text(self) -> str:
        return f"min {self.low} max {self.high}"


@dataclass(frozen=True)
class ScalingPolicy:
    """One scaling policy: its name, type and what it aims at (a target tracking value, or step adjustments)."""

    name: str
    kind: str  # TargetTrackingScaling, StepScaling, PredictiveScaling
    aim: str


@dataclass(frozen=True)
class ScalingActivity:
    """One scaling activity of the autoscaler (what it set the desired count to, and why)."""

    started_at: datetime | None
    status: str
    description: str
    cause: str
    message: str = ""


@dataclass(frozen=True)
class ScalingDetail:
    """A service's autoscaling as its screen shows it: the target (None: not autoscaled), policies, recent
    activities (`activities_unread` says why they could not be read)."""

    scaling: Scaling | None
    policies: tuple[ScalingPolicy, ...] = ()
    activities: tuple[ScalingActivity, ...] = ()
    activities_unread: str = ""


@dataclass(frozen=True)
class Service:
    """One ECS service as the Services pane shows it."""

    arn: str
    cluster: str
    name: str
    status: str
    desired: int
    running: int
    pending: int
    task_definition: str
    launch_type: str
    deployments: tuple[Deployment, ...] = ()
    events: tuple[ServiceEvent, ...] = ()
    created_at: datetime | None = None
    target_groups: tuple[str, ...] = ()  # ARNs of the load balancer target groups it registers tasks in
    scaling: Scaling | None = None  # its Application Auto Scaling target, if it has one

    @property
    def key(self) -> str:
        return self.arn

    @property
    def at_max(self) -> bool:
        """Autoscaled and pinned at its maximum: more load gets no more tasks."""
        return self.scaling is not None and self.desired >= self.scaling.high

    @property
    def primary(self) -> Deployment | None:
        for deployment in self.deployments:
            if deployment.status == "PRIMARY":
                return deployment
        return None

    @property
    def rollout_state(self) -> str:
        primary = self.primary
        return primary.rollout_state if primary else ""

    @property
    def last_event_at(self) -> datetime | None:
        stamps = [e.created_at for e in self.events if e.created_at]
        return max(stamps) if stamps else None


@dataclass(frozen=True)
class Container:
    """A container of a task: its last status and why it stopped, if it did."""

    name: str
    last_status: str
    exit_code: int | None
    reason: str
    image: str


@dataclass(frozen=True)
class Task:
    """A running or recently stopped ECS task."""

    arn: str
    task_definition: str
    last_status: str
    desired_status: str
    started_at: datetime | None
    stopped_at: datetime | None
    stopped_reason: str
    stop_code: str
    containers: tuple[Container, ...] = ()
    group: str = ""  # "service:<name>" for a service's task
    private_ip: str = ""  # its awsvpc network interface's address

    @property
    def short_id(self) -> str:
        return self.arn.rsplit("/", 1)[-1]

    @property
    def service(self) -> str:
        """The service that started it ("" for a task run on its own)."""
        return self.group.removeprefix("service:") if self.group.startswith("service:") else ""

    @property
    def origin(self) -> str:
        """How a session from its address is named: `<service> · task 3f2a…`."""
        return f"{self.service} · task {self.short_id[:4]}…"


def container_reasons(task: Task) -> str:
    """Why each of a task's containers stopped (or its last status), with exit codes."""
    return "; ".join(
        f"{c.name}: {c.reason or c.last_status}" + (f" (exit {c.exit_code})" if c.exit_code is not None else "")
        for c in task.containers
    )


@dataclass(frozen=True)
class ContainerImage:
    """A container of a task definition: the image it runs, its environment (name, value) and its size."""

    name: str
    image: str
    environment: tuple[tuple[str, str], ...] = ()
    cpu: str = ""
    memory: str = ""


@dataclass(frozen=True)
class TaskDefinition:
    """One revision of a task definition family."""

    arn: str
    family: str
    revision: int
    status: str
    containers: tuple[ContainerImage, ...] = ()
    cpu: str = ""
    memory: str = ""
    registered_at: datetime | None = None


@dataclass(frozen=True)
class TargetHealth:
    """One load balancer target group's targets by state (DescribeTargetHealth)."""

    arn: str
    healthy: int
    unhealthy: int
    draining: int
    other: int  # initial, unused, unavailable: registered but not serving
    reasons: tuple[str, ...]  # "target: state reason description" for each target not healthy

    @property
    def name(self) -> str:
        parts = self.arn.split("/")
        return parts[1] if len(parts) > 2 else self.arn

    @property
    def total(self) -> int:
        return self.healthy + self.unhealthy + self.draining + self.other


@dataclass(frozen=True)
class ServiceDetail:
    """Everything the service detail screen shows, read in one go."""

    service: Service
    running_tasks: tuple[Task, ...]
    stopped_tasks: tuple[Task, ...]
    revisions: tuple[TaskDefinition, ...]
    targets: tuple[TargetHealth, ...] = ()
    scaling: ScalingDetail = ScalingDetail(None)


@dataclass(frozen=True)
class Alarm:
    """One CloudWatch metric or composite alarm."""

    arn: str
    name: str
    state: str
    reason: str
    updated_at: datetime | None
    actions_enabled: bool = True
    namespace: str = ""
    metric: str = ""
    comparison: str = ""
    threshold: float | None = None
    period: int | None = None
    evaluation_periods: int | None = None
    statistic: str = ""
    dimensions: tuple[tuple[str, str], ...] = ()
    description: str = ""
    kind: str = "metric"

    @property
    def key(self) -> str:
        return self.arn or self.name


@dataclass(frozen=True)
class AlarmHistoryItem:
    """One entry of an alarm's history."""

    timestamp: datetime | None
    kind: str
    summary: str


@dataclass(frozen=True)
class AlarmDetail:
    """An alarm's configuration and its state-change history."""

    alarm: Alarm
    history: tuple[AlarmHistoryItem, ...]
    history_note: str = ""


@dataclass(frozen=True)
class Database:
    """An RDS instance or an Aurora cluster."""

    id: str
    kind: str  # "instance" or "cluster"
    engine: str
    engine_version: str
    status: str
    instance_class: str
    multi_az: bool
    storage_gb: int | None
    endpoint: str = ""
    cluster_id: str = ""
    port: int | None = None
    max_storage_gb: int | None = None  # storage autoscaling's ceiling (MaxAllocatedStorage), when set
    serverless: bool = False  # Aurora Serverless: it runs on ACUs (v2 scaling, v1 engine mode, db.serverless)
    replica_of: str = ""  # a read replica's source instance (its ID, or its ARN in another region)
    readers: int = 0  # a cluster's reader instances (DBClusterMembers not the writer)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Summary:
    """One environment at a glance (the overview's row): what needs a look, counted."""

    services: int
    below_desired: int
    rollouts_failed: int
    alarms_firing: int
    databases: int
    databases_down: int
    account: str = ""
    region: str = ""

    @property
    def problems(self) -> int:
        return self.below_desired + self.rollouts_failed + self.alarms_firing + self.databases_down


@dataclass(frozen=True)
class Fleet:
    """Scope of what to read: clusters, service names, alarm prefix, database ids; empty means all."""

    clusters: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    alarm_prefix: str = ""
    databases: tuple[str, ...] = ()


@dataclass(frozen=True)
class LogEvent:
    """One CloudWatch Logs event, its message as received (decoded, not yet made safe for a terminal)."""

    id: str
    timestamp: datetime
    group: str
    stream: str
    message: str
    ingested: datetime | None = None


@dataclass(frozen=True)
class LogTarget:
    """What to tail: log groups and, for one service, the awslogs stream prefix of its containers."""

    groups: tuple[str, ...]
    stream_prefix: str = ""
    label: str = ""


@dataclass(frozen=True)
class LogBatch:
    """What one read of a tail brought: new events in order, and how the tail is reading."""

    events: tuple[LogEvent, ...]
    mode: str  # "live" (StartLiveTail) or "poll" (FilterLogEvents)
    read_at: datetime
    note: str = ""


@dataclass(frozen=True)
class Snapshot:
    """A manual or automated snapshot of an RDS instance or Aurora cluster."""

    id: str
    database: str
    kind: str  # "instance" or "cluster"
    status: str
    progress: int | None
    created_at: datetime | None
    type: str  # manual, automated, ...


@dataclass(frozen=True)
class RestoreSource:
    """What a restore copies from the snapshot's source by default: where it runs and its size."""

    subnet_group: str
    security_groups: tuple[str, ...]
    instance_class: str  # "" for a cluster (its instances are added separately)
    engine: str


@dataclass(frozen=True)
class PgSession:
    """One PostgreSQL session from pg_stat_activity (warroom's own is never included)."""

    pid: int
    user: str
    application: str
    client: str
    state: str  # active, idle, idle in transaction, ... ; "" for a backend that reports none
    wait_event_type: str
    wait_event: str
    seconds: float | None  # how long it has been in this state: the query, the transaction, or idle
    query: str
    blocked_by: tuple[int, ...]
    started_at: datetime | None  # backend_start: with the pid, tells a reused pid from the same session
    query_started_at: datetime | None = None  # query_start: tells the confirmed query from a later one
    origin: str = ""  # the ECS service and task whose private IP is `client` ("" when none is)

    @property
    def key(self) -> str:
        return str(self.pid)

    @property
    def waiting_on_lock(self) -> bool:
        return self.wait_event_type == "Lock"

    @property
    def named_client(self) -> str:
        """The client address, and the service and task at it when known: `10.0.1.44 (api · task 3f2a…)`."""
        return f"{self.client} ({self.origin})" if self.origin else self.client


@dataclass(frozen=True)
class Connections:
    """One read of a PostgreSQL server's sessions: totals, counts by state and the sessions themselves."""

    server: str  # user@host:port/dbname, never a password
    version: str
    max_connections: int
    total: int  # client backends, warroom's own left out
    by_state: tuple[tuple[str, int], ...]
    waiting: int  # sessions waiting on a lock
    backends: tuple[PgSession, ...]

    @property
    def used_percent(self) -> float:
        return 100.0 * self.total / self.max_connections if self.max_connections else 0.0

    def named(self, tasks: dict[str, Task]) -> Connections:
        """The same read, each session whose client address is a task's private IP named by it (`origin`)."""
        if not tasks:
            return self
        return replace(self, backends=tuple(replace(b, origin=tasks[b.client].origin) if b.client in tasks else b
                                            for b in self.backends))


@dataclass(frozen=True)
class PgStatement:
    """One row of pg_stat_statements: a normalised statement as one user ran it in one database."""

    query: str
    calls: int
    total_ms: float
    mean_ms: float
    rows: int
    database: str
    user: str


@dataclass(frozen=True)
class PgInsight:
    """What a PostgreSQL server says about its load and size: its top statements by total and by mean time (with
    why there are none: `missing`), since when they are counted, and each database's size (None when not allowed)."""

    database: str  # the one connected to
    version: str  # server_version
    statements: tuple[PgStatement, ...]
    reset_at: datetime | None  # pg_stat_statements_info.stats_reset (extension 1.9+), else unknown
    missing: str  # "" when pg_stat_statements was read; else why not and how to enable it
    sizes: tuple[tuple[str, int | None], ...]  # (database, bytes), largest first


@dataclass(frozen=True)
class MetricQuery:
    """One CloudWatch metric to chart: where it is, how to aggregate it, how to say its unit."""

    id: str  # unique in one GetMetricData call: [a-z][A-Za-z0-9_]*
    label: str
    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    stat: str = "Average"
    unit: str = ""  # "%", "count", "bytes", "s"


@dataclass(frozen=True)
class MetricSeries:
    """A metric's datapoints over the window, oldest first."""

    query: MetricQuery
    values: tuple[float, ...]
    timestamps: tuple[datetime, ...]

    @property
    def latest(self) -> float | None:
        return self.values[-1] if self.values else None


@dataclass(frozen=True)
class Change:
    """One entry of the incident timeline: what changed, when, on what, and who did it.

    `source`: "alarm" (a state change), "ecs" (a service event or a deployment), "rds" (an RDS event),
    "cloudtrail" (a management write) or "warroom" (this tool's own audit record). `actor`: who, when known (an
    IAM ARN); `via`: how ("console", "cli", "terraform", "warroom", "sdk"…); `raw`: the record whole (CloudTrail's
    JSON, the history data), shown on request; `id`: unique within its source."""

    at: datetime
    source: str
    resource: str
    what: str
    actor: str = ""
    via: str = ""
    raw: str = ""
    id: str = ""


@dataclass(frozen=True)
class Timeline:
    """The changes between `since` and `until`, newest first, and each source that could not be read, with why."""

    since: datetime
    until: datetime
    changes: tuple[Change, ...]
    missing: tuple[tuple[str, str], ...] = ()
