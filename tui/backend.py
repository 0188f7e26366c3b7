"""The one seam between the screens and the world: everything a screen reads or asks of an environment.

`AwsBackend` (warroom.aws_backend) answers from AWS and PostgreSQL through the data layer; the snapshot tests'
fixed fleet is another implementation. The App holds one (`app.backend`); switching environments swaps it.
Nothing here imports Textual or boto3.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Protocol

from warroom.config import Environment
from warroom.data.custom_metrics import MetricReading
from warroom.data.dependency_models import Dependencies
from warroom.data.models import (
    Alarm, Change, Connections, Database, Identity, LogBatch, LogTarget, PgInsight, RestoreSource, Service,
    TargetHealth, Timeline,
)

if TYPE_CHECKING:
    from warroom.actions import Action, Progress
    from warroom.audit import AuditLog
    from warroom.data.pg_settings import PgSettings
    from warroom.data.postgres import Postgres

Read = Callable[[], Awaitable[Any]]


class LogTail(Protocol):
    """A live log tail: each `read()` returns the events not returned before; `close()` ends it."""

    async def read(self) -> LogBatch: ...

    def close(self) -> None: ...


class Backend(Protocol):
    """An environment as the screens see it: its fleet, details, metrics, logs, PostgreSQL, and the actions'
    current value, call and result."""

    env: Environment
    identity: Identity
    pg_settings: PgSettings  # the configured PostgreSQL server ([database]); `postgres` may watch an RDS row
    postgres: Postgres | None  # the server the Connections pane watches, if any

    async def services(self) -> tuple[Service, ...]: ...

    async def alarms(self, prefix: str | None = None) -> tuple[Alarm, ...]:
        """The environment's alarms, or every alarm whose name starts with `prefix`."""

    async def databases(self) -> tuple[Database, ...]: ...

    async def target_health(self, groups: tuple[str, ...]) -> dict[str, TargetHealth]: ...

    async def custom_metrics(self) -> tuple[MetricReading, ...]:
        """The environment's own metrics (config `metrics`), the last hour of each, judged by its latest."""

    async def dependencies(self) -> Dependencies:
        """The caches, functions and tables in the environment's scope, with what could not be read."""

    async def sessions(self) -> Connections:
        """The watched PostgreSQL server's sessions, each client address named by the ECS task it belongs to."""

    async def insight(self) -> PgInsight:
        """The watched PostgreSQL server's top statements and database sizes."""

    def watch_postgres(self, database: Database | None) -> None:
        """Watch the configured server (None) or an RDS row's endpoint with the same settings."""

    def detail_read(self, row: Service | Alarm | Database) -> Read:
        """The read behind a row's detail screen."""

    def metrics_read(self, row: Service | Database) -> Read:
        """The last hour of a service's (and its load balancer's) or a database's metrics."""

    async def log_target(self, service: Service) -> LogTarget: ...

    def log_tail(self, target: LogTarget, since: datetime, pattern: str) -> LogTail: ...

    async def log_groups(self, prefix: str) -> tuple[str, ...]: ...

    async def mute_rules_unavailable(self) -> str:
        """Why alarm mute rules cannot be used here ("" when they can)."""

    async def restore_source(self, database: Database) -> RestoreSource: ...

    async def database_now(self, kind: str, identifier: str) -> Database | None: ...

    async def writes(self, since: datetime, until: datetime, services: set[str]) -> tuple[Change, ...]:
        """CloudTrail's management writes in the environment's scope (`services`: the service and cluster names
        on screen)."""

    async def service_writes(self, service: Service, since: datetime, until: datetime) -> tuple[Change, ...]:
        """CloudTrail's CreateService and UpdateService calls on `service` (who started its deployments)."""

    async def timeline(self, since: datetime, until: datetime, audit: AuditLog) -> Timeline:
        """What changed between `since` and `until`, from every source (with warroom's own `audit` records)."""

    def credentials_expire(self) -> datetime | None:
        """When the credentials in use end (temporary credentials), else None; no call is made."""

    async def reload_credentials(self) -> Identity:
        """Read the credential chain again and say who it is now."""

    async def current(self, action: Action) -> str:
        """The action's `before` value as it is now."""

    async def run(self, action: Action) -> str:
        """Do it; the request id."""

    async def follow(self, action: Action) -> Progress:
        """One look at the action's result."""

    def close(self) -> None: ...
