"""What "healthy" means for each kind of row (from the runbooks' expected results), and the sort it implies."""

from __future__ import annotations

from datetime import datetime, timedelta

from warroom.data.models import Alarm, PgSession, Database, Service, TargetHealth

ROLLOUT_TOO_LONG = timedelta(minutes=15)
ALARM_ORDER = {"ALARM": 0, "INSUFFICIENT_DATA": 1, "OK": 2}
DB_OK = frozenset({"available"})
SESSION_TOO_LONG = 60.0  # seconds a query may run, or a transaction sit idle, before it needs a look
STATE_ORDER = {"idle in transaction (aborted)": 0, "idle in transaction": 1, "active": 2, "fastpath function call": 3,
               "disabled": 4, "": 5, "idle": 6}


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


def backend_problem(backend: PgSession) -> str:
    """Why a PostgreSQL session needs a look ("" when it does not): a lock wait, a long query or transaction."""
    if backend.waiting_on_lock:
        return "waiting on a lock"
    seconds = backend.seconds or 0.0
    if backend.state.startswith("idle in transaction") and seconds > SESSION_TOO_LONG:
        return "idle in transaction"
    if backend.state == "active" and seconds > SESSION_TOO_LONG:
        return "long query"
    return ""


def backend_order(backend: PgSession, by: str) -> tuple[object, ...]:
    """By "duration": busy sessions longest first, idle ones last; by "state": the worst states first."""
    longest = -(backend.seconds or 0.0)
    if by == "state":
        return (STATE_ORDER.get(backend.state, 5), longest, backend.pid)
    return (backend.state == "idle", longest, backend.pid)


def targets_problem(groups: list[TargetHealth], desired: int) -> str:
    """Why a service's load balancer targets are not as expected: some not healthy, or none while it should run."""
    healthy = sum(g.healthy for g in groups)
    total = sum(g.total for g in groups)
    bad = sum(g.unhealthy + g.other for g in groups)
    if bad:
        return f"{bad} of {total} targets not healthy"
    if desired and not healthy:
        return "no healthy target"
    return ""
