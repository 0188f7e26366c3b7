"""What "healthy" means for each kind of row (from the runbooks' expected results), and the sort it implies."""

from __future__ import annotations

from datetime import datetime, timedelta

from tui.data.models import Alarm, Database, Service

ROLLOUT_TOO_LONG = timedelta(minutes=15)
ALARM_ORDER = {"ALARM": 0, "INSUFFICIENT_DATA": 1, "OK": 2}
DB_OK = frozenset({"available"})


def service_problems(service: Service, now: datetime) -> tuple[str, ...]:
    """Why a service needs a look, most serious first; empty when it is as expected."""
    problems: list[str] = []
    primary = service.primary
    if primary and primary.rollout_state == "FAILED":
        problems.append("rollout failed")
    if service.running < service.desired:
        problems.append(f"{service.desired - service.running} below desired")
    if primary and primary.rollout_state == "IN_PROGRESS" and primary.created_at and (
        now - primary.created_at > ROLLOUT_TOO_LONG
    ):
        problems.append("rollout slow")
    if service.pending > 0:
        problems.append(f"{service.pending} pending")
    if service.status not in ("ACTIVE", ""):
        problems.append(service.status.lower())
    return tuple(problems)


def service_order(service: Service, now: datetime) -> tuple[int, str, str]:
    return (0 if service_problems(service, now) else 1, service.cluster, service.name)


def alarm_order(alarm: Alarm) -> tuple[int, str]:
    return (ALARM_ORDER.get(alarm.state, 1), alarm.name)


def database_ok(database: Database) -> bool:
    return database.status in DB_OK


def database_order(database: Database) -> tuple[int, str, int, str]:
    group = database.cluster_id or database.id
    return (0 if database_ok(database) else -1, group, 0 if database.kind == "cluster" else 1, database.id)
