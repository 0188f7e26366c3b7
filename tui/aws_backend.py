"""The Backend on AWS and PostgreSQL: one environment's reads and the actions' calls, through the data layer."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from warroom import clock
from warroom.actions import Action, Progress
from warroom.audit import AuditLog
from warroom.backend import Read
from warroom.config import Environment
from warroom.data.aws import Aws
from warroom.data.errors import AwsError
from warroom.data.dependencies import read_dependencies
from warroom.data.custom_metrics import MetricReading
from warroom.data.dependency_models import Dependencies
from warroom.data.cloudwatch import read_alarm_detail, read_alarms
from warroom.data.cloudwatch_changes import mute_rules_unavailable
from warroom.data.ecs import read_service_detail, read_services, read_task_addresses
from warroom.data.elb import read_target_health
from warroom.data.identity import whoami
from warroom.data.live_tail import FollowTail
from warroom.data.logs import list_log_groups, read_log_target
from warroom.data.metrics import database_queries, load_balancers, read_custom, read_metrics, service_queries
from warroom.data.models import (
    Alarm, Change, Connections, Database, Identity, LogTarget, MetricSeries, PgInsight, RestoreSource, Service,
    TargetHealth, Task, Timeline,
)
from warroom.data.pg_settings import settings_from
from warroom.data.timeline import read_service_writes, read_trail
from warroom.data.rds import read_database, read_databases, read_restore_source, read_snapshots
from warroom.timeline import read_timeline

ADDRESSES_EVERY = 60.0  # seconds between reads of the fleet's task addresses (one ListTasks per cluster, paged)

if TYPE_CHECKING:
    from warroom.data.postgres import Postgres


class AwsBackend:
    """One environment (account, region, fleet scope, PostgreSQL settings) read and acted on through `aws`."""

    def __init__(self, aws: Aws, env: Environment, identity: Identity) -> None:
        self.aws = aws
        self.env = env
        self.identity = identity
        self.fleet = env.fleet
        self.pg_settings = settings_from(env.database)
        self.postgres: Postgres | None = None
        self._addresses: dict[str, Task] = {}  # the fleet's running tasks by private IP, for the sessions
        self._addresses_at = float("-inf")
        if self.pg_settings.configured:
            self.watch_postgres(None)

    async def services(self) -> tuple[Service, ...]:
        return await read_services(self.aws, self.fleet)

    async def alarms(self, prefix: str | None = None) -> tuple[Alarm, ...]:
        return await read_alarms(self.aws, self.fleet.alarm_prefix if prefix is None else prefix)

    async def databases(self) -> tuple[Database, ...]:
        return await read_databases(self.aws, self.fleet.databases)

    async def target_health(self, groups: tuple[str, ...]) -> dict[str, TargetHealth]:
        return await read_target_health(self.aws, groups)

    async def custom_metrics(self) -> tuple[MetricReading, ...]:
        return await read_custom(self.aws, self.env.metrics, clock.now())

    async def dependencies(self) -> Dependencies:
        return await read_dependencies(self.aws, self.env.dependencies, clock.now())

    async def sessions(self) -> Connections:
        """The sessions, each client address named by the fleet's task at it (ECS read once a minute)."""
        assert self.postgres is not None
        connections = await self.postgres.read()
        if time.monotonic() - self._addresses_at >= ADDRESSES_EVERY:
            self._addresses_at = time.monotonic()
            try:
                self._addresses = await read_task_addresses(self.aws, self.fleet)
            except AwsError:  # the sessions still show; their clients are named by the addresses read before
                pass
        return connections.named(self._addresses)

    async def insight(self) -> PgInsight:
        if self.postgres is None:
            raise AwsError("NoServer", "no PostgreSQL server is watched", "PostgreSQL")
        return await self.postgres.insight()

    def watch_postgres(self, database: Database | None) -> None:
        from warroom.data.postgres import Postgres  # psycopg: only with a server to watch

        if self.postgres is not None:
            self.postgres.close()
        settings = replace(self.pg_settings, database=database) if database else self.pg_settings
        self.postgres = Postgres(settings, self.aws)

    def detail_read(self, row: Service | Alarm | Database) -> Read:
        if isinstance(row, Service):
            return lambda: read_service_detail(self.aws, row.cluster, row.name)
        if isinstance(row, Database):
            return lambda: read_snapshots(self.aws, row)
        return lambda: read_alarm_detail(self.aws, row.name)

    def metrics_read(self, row: Service | Database) -> Read:
        """One GetMetricData for the last hour (a service's load balancer found first)."""
        async def read() -> tuple[MetricSeries, ...]:
            if isinstance(row, Service):
                queries = service_queries(row, await load_balancers(self.aws, row.target_groups))
            else:
                queries = database_queries(row)
            return await read_metrics(self.aws, queries, clock.now())
        return read

    async def log_target(self, service: Service) -> LogTarget:
        """The awslogs options of the service's current task definition."""
        return await read_log_target(self.aws, service)

    def log_tail(self, target: LogTarget, since: datetime, pattern: str) -> FollowTail:
        return FollowTail(self.aws, target, since, pattern)

    async def log_groups(self, prefix: str) -> tuple[str, ...]:
        return await list_log_groups(self.aws, prefix)

    async def mute_rules_unavailable(self) -> str:
        return await mute_rules_unavailable(self.aws)

    async def restore_source(self, database: Database) -> RestoreSource:
        """The source's subnet group, security groups and class."""
        return await read_restore_source(self.aws, database)

    async def database_now(self, kind: str, identifier: str) -> Database | None:
        return await read_database(self.aws, kind, identifier)

    async def writes(self, since: datetime, until: datetime, services: set[str]) -> tuple[Change, ...]:
        return await read_trail(self.aws, since, until, self.fleet, services)

    async def service_writes(self, service: Service, since: datetime, until: datetime) -> tuple[Change, ...]:
        return await read_service_writes(self.aws, service.name, since, until)

    async def timeline(self, since: datetime, until: datetime, audit: AuditLog) -> Timeline:
        return await read_timeline(self.aws, self.env, self.identity, audit, since, until)

    def credentials_expire(self) -> datetime | None:
        return self.aws.expiry()

    async def reload_credentials(self) -> Identity:
        await asyncio.to_thread(self.aws.reload_credentials)
        self.identity = await asyncio.to_thread(whoami, self.aws)
        return self.identity

    async def current(self, action: Action) -> str:
        return await action.current(self.aws)

    async def run(self, action: Action) -> str:
        return await action.run(self.aws)

    async def follow(self, action: Action) -> Progress:
        return await action.follow(self.aws)

    def close(self) -> None:
        if self.postgres is not None:
            self.postgres.close()
