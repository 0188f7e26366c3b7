"""Actions: each mutation as one small object the gate can confirm, audit, run and follow.

An action knows its target, the change as before → after, the equivalent `aws` command, how to read the
target's current value (to notice it changed while the confirm screen was open), how to run, and how to follow
the result until it settles. Making a new kind of action means writing a constructor here, never a new flow.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Awaitable, Callable, Sequence

from tui.data.aws import Aws
from tui.data.cloudwatch_changes import (
    alarms_actions, mute_rule_statuses, mute_start, put_mute_rules, set_alarm_actions,
)
from tui.data.ecs import describe_services, family_revision, read_task
from tui.data.ecs_changes import force_new_deployment, set_desired_count, set_task_definition, stop_task
from tui.data.errors import AwsError
from tui.data.models import Alarm, Backend, Database, RestoreSource, Service, Snapshot, Task, TaskDefinition
from tui.data.postgres import Postgres
from tui.data.rds import read_database, read_snapshots
from tui.data.rds_changes import create_snapshot, restore_snapshot
from tui import clock
from widgets.format import duration

SCALE_WARN_FACTOR = 3
RESTORE_FAILED = frozenset({"failed", "incompatible-restore", "incompatible-parameters", "incompatible-network",
                            "storage-full", "inaccessible-encryption-credentials"})
ALARM_PREVIEW = 5  # alarm names listed on a silence's confirm screen
IDLE_PREVIEW = 5  # sessions listed on the confirm screen of a bulk terminate (it must fit 80x24)


@dataclass(frozen=True)
class Progress:
    """Where a followed action stands: a line to show, and whether it has settled (and how)."""

    line: str
    settled: bool = False
    failed: bool = False


@dataclass(frozen=True)
class Action:
    """One mutation, fully described before it runs."""

    name: str  # short id for the audit log: "scale", "force-deployment"
    title: str  # what the confirm screen says it does
    target: str  # the exact target, e.g. "cluster/service"
    confirm_name: str  # what a production confirm asks the user to type
    before: str
    after: str
    cli: str  # the equivalent aws CLI command
    current: Callable[[Aws], Awaitable[str]]  # the `before` value as it is now
    run: Callable[[Aws], Awaitable[str]]  # does it; returns the AWS request id
    follow: Callable[[Aws], Awaitable[Progress]]  # one look at the result
    warning: str = ""  # set when the change deserves a second confirmation
    details: tuple[str, ...] = ()  # what else the confirm screen must show (a rollback's differences)
    targets: tuple[str, ...] = ()  # every name an action on several resources touches (for the audit log)
    until: str = ""  # when a silence is planned to end (ISO time, for the audit log and the silenced list)


def aws_cli(*words: str) -> str:
    return " ".join(shlex.quote(word) for word in words)


def psql_cli(conninfo: str, sql: str) -> str:
    """The psql command running `sql`; the SQL in double quotes when the shell would leave it as it is."""
    if any(char in sql for char in '"$`\\!'):
        return aws_cli("psql", conninfo, "-c", sql)
    return f'{aws_cli("psql", conninfo)} -c "{sql}"'


async def _service(aws: Aws, cluster: str, name: str) -> Service:
    found = await describe_services(aws, cluster, [name])
    if not found:
        raise AwsError("ServiceNotFoundException", f"{name} is no longer in {cluster}", "DescribeServices")
    return found[0]


def _rollout_progress(service: Service) -> Progress:
    primary = service.primary
    state = primary.rollout_state if primary else ""
    line = (f"running {service.running}/{service.desired}, pending {service.pending}"
            + (f", rollout {state}" if state else "") + f", {len(service.deployments)} deployment(s)")
    if state == "FAILED":
        return Progress(line + (f": {primary.rollout_reason}" if primary and primary.rollout_reason else ""),
                        settled=True, failed=True)
    done = service.running == service.desired and service.pending == 0 and state in ("", "COMPLETED")
    return Progress(line, settled=done and len(service.deployments) <= 1)


def scale(service: Service, count: int) -> Action:
    """UpdateService --desired-count; 0, or more than 3× the current count, asks a second time."""
    cluster, name = service.cluster, service.name
    warning = ""
    if count == 0:
        warning = f"0 stops every task of {name}: the service will serve nothing."
    elif service.desired and count > SCALE_WARN_FACTOR * service.desired:
        warning = f"{count} is more than {SCALE_WARN_FACTOR}× the current {service.desired}."

    async def current(aws: Aws) -> str:
        return f"desired {(await _service(aws, cluster, name)).desired}"

    async def follow(aws: Aws) -> Progress:
        return _rollout_progress(await _service(aws, cluster, name))

    return Action(
        name="scale", title=f"Scale {name}", target=f"{cluster}/{name}", confirm_name=name,
        before=f"desired {service.desired}", after=f"desired {count}",
        cli=aws_cli("aws", "ecs", "update-service", "--cluster", cluster, "--service", name,
                    "--desired-count", str(count)),
        current=current, run=lambda aws: set_desired_count(aws, cluster, name, count), follow=follow,
        warning=warning,
    )


def redeploy(service: Service) -> Action:
    """UpdateService --force-new-deployment: replace every task with a fresh one on the same revision."""
    cluster, name = service.cluster, service.name
    revision = family_revision(service.task_definition)

    async def current(aws: Aws) -> str:
        return f"{family_revision((await _service(aws, cluster, name)).task_definition)} (running)"

    async def follow(aws: Aws) -> Progress:
        return _rollout_progress(await _service(aws, cluster, name))

    return Action(
        name="force-deployment", title=f"Force a new deployment of {name}", target=f"{cluster}/{name}",
        confirm_name=name, before=f"{revision} (running)", after=f"{revision} (every task replaced)",
        cli=aws_cli("aws", "ecs", "update-service", "--cluster", cluster, "--service", name,
                    "--force-new-deployment"),
        current=current, run=lambda aws: force_new_deployment(aws, cluster, name), follow=follow,
    )


def rollback(service: Service, target: TaskDefinition, details: tuple[str, ...]) -> Action:
    """UpdateService --task-definition <an earlier ACTIVE revision>."""
    cluster, name = service.cluster, service.name
    to = f"{target.family}:{target.revision}"

    async def current(aws: Aws) -> str:
        return family_revision((await _service(aws, cluster, name)).task_definition)

    async def follow(aws: Aws) -> Progress:
        return _rollout_progress(await _service(aws, cluster, name))

    return Action(
        name="rollback", title=f"Roll back {name}", target=f"{cluster}/{name}", confirm_name=name,
        before=family_revision(service.task_definition), after=to,
        cli=aws_cli("aws", "ecs", "update-service", "--cluster", cluster, "--service", name,
                    "--task-definition", to),
        current=current, run=lambda aws: set_task_definition(aws, cluster, name, target.arn), follow=follow,
        details=details,
    )


def stop(service: Service, task: Task, reason: str) -> Action:
    """StopTask with a reason; the service replaces the task."""
    cluster = service.cluster

    async def current(aws: Aws) -> str:  # PENDING → RUNNING meanwhile is no change that matters here
        return "STOPPED" if (await read_task(aws, cluster, task.arn)).last_status == "STOPPED" else "running"

    async def follow(aws: Aws) -> Progress:
        now = await read_task(aws, cluster, task.arn)
        return Progress(f"task {task.short_id} {now.last_status}" + (f": {now.stopped_reason}" if now.stopped_reason
                                                                      else ""), settled=now.last_status == "STOPPED")

    return Action(
        name="stop-task", title=f"Stop task {task.short_id} of {service.name}", target=f"{cluster}/{task.short_id}",
        confirm_name=task.short_id, before="STOPPED" if task.last_status == "STOPPED" else "running",
        after="STOPPED",
        cli=aws_cli("aws", "ecs", "stop-task", "--cluster", cluster, "--task", task.arn, "--reason", reason),
        current=current, run=lambda aws: stop_task(aws, cluster, task.arn, reason), follow=follow,
        details=(f"reason: {reason}",),
    )


def _alarm_list(names: Sequence[str]) -> tuple[str, ...]:
    shown = tuple(names[:ALARM_PREVIEW])
    rest = len(names) - len(shown)
    return shown + ((f"… and {rest} more",) if rest else ())


def _notifying(count: int, total: int) -> str:
    return f"{count} of {total} alarm(s) with actions on"


async def _count_on(aws: Aws, names: Sequence[str]) -> int:
    return sum(1 for on in (await alarms_actions(aws, names)).values() if on)


def silence(alarms: Sequence[Alarm], minutes: int, *, label: str, start: datetime, unavailable: str) -> Action:
    """Silence alarms for `minutes`: an alarm mute rule that ends by itself where the endpoint offers them
    (`unavailable` is ""), else DisableAlarmActions, which lasts until re-enabled (the main screen lists it)."""
    names = tuple(a.name for a in alarms)
    on = sum(1 for a in alarms if a.actions_enabled)
    until = start + timedelta(minutes=minutes)
    total = len(names)

    async def current(aws: Aws) -> str:
        return _notifying(await _count_on(aws, names), total)

    if not unavailable:
        rule = f"warroom-{re.sub(r'[^A-Za-z0-9_.-]+', '-', label)[:160].strip('-')}-{start:%Y%m%d-%H%M}"
        window = mute_start(start)

        async def mute(aws: Aws) -> str:
            nonlocal window
            window = mute_start(clock.now())  # from the minute after the confirm, not after the prompt
            return await put_mute_rules(aws, rule, names, window, minutes)

        async def follow(aws: Aws) -> Progress:
            statuses = await mute_rule_statuses(aws, rule, total)
            expired = "EXPIRED" in statuses  # at once: the window never opened
            return Progress(f"mute rule {rule}: {', '.join(statuses)} (window from {window:%H:%M} UTC)",
                            settled=expired or all(s == "ACTIVE" for s in statuses), failed=expired)

        return Action(
            name="mute", title=f"Mute {label} for {minutes} min", target=label, confirm_name=label,
            before=_notifying(on, total),
            after=f"muted from {window:%H:%M} until about {window + timedelta(minutes=minutes):%H:%M} UTC",
            cli=aws_cli("aws", "cloudwatch", "put-alarm-mute-rule", "--name", rule, "--rule",
                        f"Schedule={{Expression=at({window:%Y-%m-%dT%H:%M}),Duration=PT{minutes}M,Timezone=UTC}}",
                        "--mute-targets", f"AlarmNames={','.join(names)}", "--expire-date",
                        f"{window + timedelta(minutes=minutes):%Y-%m-%dT%H:%M:%SZ}"),
            current=current, run=mute, follow=follow,
            details=_alarm_list(names) + ("An alarm mute rule from the next whole minute: the alarms keep changing "
                                          "state, nobody is paged, and it ends by itself (u/U do not end it early; "
                                          "`aws cloudwatch delete-alarm-mute-rule` does).",),
            targets=names, until=(window + timedelta(minutes=minutes)).isoformat(),
        )

    async def follow_disabled(aws: Aws) -> Progress:
        still = await _count_on(aws, names)
        return Progress(f"{total - still} of {total} alarm(s) with actions off", settled=still == 0)

    return Action(
        name="silence", title=f"Silence {label} ({minutes} min planned)", target=label, confirm_name=label,
        before=_notifying(on, total), after="actions disabled until re-enabled",
        cli=aws_cli("aws", "cloudwatch", "disable-alarm-actions", "--alarm-names", *names),
        current=current, run=lambda aws: set_alarm_actions(aws, names, False), follow=follow_disabled,
        details=_alarm_list(names) + (
            f"No alarm mute rules here ({unavailable}): actions are disabled and stay off until re-enabled "
            f"(u / U). The main screen lists them with their age; after {minutes} min they show OVERDUE.",),
        targets=names, until=until.isoformat(),
    )


def unsilence(alarms: Sequence[Alarm], label: str) -> Action:
    """EnableAlarmActions: the alarms page again."""
    names = tuple(a.name for a in alarms)
    total = len(names)

    async def current(aws: Aws) -> str:
        return _notifying(await _count_on(aws, names), total)

    async def follow(aws: Aws) -> Progress:
        now_on = await _count_on(aws, names)
        return Progress(_notifying(now_on, total), settled=now_on == total)

    return Action(
        name="alarm-actions-on", title=f"Re-enable the actions of {label}", target=label, confirm_name=label,
        before=_notifying(sum(1 for a in alarms if a.actions_enabled), total),
        after=_notifying(total, total),
        cli=aws_cli("aws", "cloudwatch", "enable-alarm-actions", "--alarm-names", *names),
        current=current, run=lambda aws: set_alarm_actions(aws, names, True), follow=follow,
        details=_alarm_list(names), targets=names,
    )


def snapshot(database: Database, snapshot_id: str) -> Action:
    """CreateDBSnapshot / CreateDBClusterSnapshot with an id chosen before the call; followed until available."""
    cluster = database.kind == "cluster"

    async def find(aws: Aws) -> Progress | None:
        found = [s for s in await read_snapshots(aws, database) if s.id == snapshot_id]
        if not found:
            return None
        snap = found[0]
        progress = f" {snap.progress}%" if snap.progress is not None else ""
        return Progress(f"snapshot {snap.id}: {snap.status}{progress}", settled=snap.status in ("available", "failed"),
                        failed=snap.status == "failed")

    async def current(aws: Aws) -> str:
        return f"no snapshot {snapshot_id}" if await find(aws) is None else f"snapshot {snapshot_id} exists"

    async def follow(aws: Aws) -> Progress:
        return await find(aws) or Progress(f"snapshot {snapshot_id}: not listed yet")

    words = ("create-db-cluster-snapshot", "--db-cluster-identifier", "--db-cluster-snapshot-identifier") if cluster \
        else ("create-db-snapshot", "--db-instance-identifier", "--db-snapshot-identifier")
    return Action(
        name="snapshot", title=f"Snapshot {database.id}", target=database.id, confirm_name=database.id,
        before=f"no snapshot {snapshot_id}", after=f"snapshot {snapshot_id}",
        cli=aws_cli("aws", "rds", words[0], words[1], database.id, words[2], snapshot_id),
        current=current, run=lambda aws: create_snapshot(aws, database, snapshot_id), follow=follow,
    )


def restore(snapshot: Snapshot, new_id: str, source: RestoreSource) -> Action:
    """Restore a snapshot into a new instance (or an Aurora cluster snapshot into a new cluster), with the
    source's subnet group, security groups and class unless changed; followed until it is available."""
    kind = "cluster" if snapshot.kind == "cluster" else "instance"

    async def current(aws: Aws) -> str:
        now = await read_database(aws, kind, new_id)
        return "does not exist" if now is None else f"exists ({now.status})"

    async def follow(aws: Aws) -> Progress:
        now = await read_database(aws, kind, new_id)
        if now is None:
            return Progress(f"{kind} {new_id}: not listed yet")
        return Progress(f"{kind} {new_id}: {now.status}" + (f" · {now.endpoint}" if now.endpoint else ""),
                        settled=now.status == "available" or now.status in RESTORE_FAILED,
                        failed=now.status in RESTORE_FAILED)

    if kind == "cluster":
        words = ["aws", "rds", "restore-db-cluster-from-snapshot", "--db-cluster-identifier", new_id,
                 "--snapshot-identifier", snapshot.id, "--engine", source.engine]
    else:
        words = ["aws", "rds", "restore-db-instance-from-db-snapshot", "--db-instance-identifier", new_id,
                 "--db-snapshot-identifier", snapshot.id]
        words += ["--db-instance-class", source.instance_class] if source.instance_class else []
    words += ["--db-subnet-group-name", source.subnet_group] if source.subnet_group else []
    words += ["--vpc-security-group-ids", *source.security_groups] if source.security_groups else []
    details = (f"snapshot of {snapshot.database}, {snapshot.status}",
               f"class {source.instance_class or '-'} · subnet group {source.subnet_group or '-'} · security groups "
               f"{' '.join(source.security_groups) or '-'}")
    if kind == "cluster":
        details += ("A restored Aurora cluster has no instances: add one (aws rds create-db-instance "
                    "--db-cluster-identifier ...) before connecting.",)
    return Action(
        name="restore", title=f"Restore {snapshot.id} to a new {kind}", target=f"{kind} {new_id}",
        confirm_name=new_id, before="does not exist", after=f"restored from {snapshot.id}", cli=aws_cli(*words),
        current=current, run=lambda aws: restore_snapshot(aws, snapshot, new_id, source), follow=follow,
        details=details,
    )

def _same_sessions(found: dict[int, Backend], backends: tuple[Backend, ...], idle_seconds: float | None,
                   same_query: bool) -> int:
    """How many of `backends` are still the same sessions (same start time; with `same_query` still running the
    same query; with `idle_seconds` still idle that long). A session whose start time is unknown never is."""
    def same(b: Backend, now: Backend | None) -> bool:
        return (now is not None and b.started_at is not None and now.started_at == b.started_at
                and (not same_query or (now.state == "active" and now.query_started_at == b.query_started_at))
                and (idle_seconds is None or (now.state == "idle" and (now.seconds or 0) >= idle_seconds)))
    return sum(1 for b in backends if same(b, found.get(b.pid)))


def _sessions(pg: Postgres, function: str, backends: tuple[Backend, ...], *, name: str, title: str, target: str,
              after: str, sql: str, details: tuple[str, ...], idle_seconds: float | None = None) -> Action:
    """pg_cancel_backend / pg_terminate_backend on sessions fixed when the screen opened: a pid that now belongs
    to another session, a query that ended (for a cancel), or an idle session that became busy is left alone."""
    pids = tuple(b.pid for b in backends)
    cancel = function == "pg_cancel_backend"

    def connected(count: int) -> str:
        if cancel:
            return f"pid {pids[0]} " + ("running the query" if count else "no longer running that query")
        return (f"pid {pids[0]} " + ("connected" if count else "gone")) if len(pids) == 1 else \
            f"{count} session(s) connected"

    async def current(aws: Aws) -> str:
        return connected(_same_sessions(await pg.backends(pids), backends, idle_seconds, cancel))

    async def run(aws: Aws) -> str:
        answers = await pg.signal(function, backends, idle_seconds)
        done = sorted(pid for pid, ok in answers.items() if ok)
        skipped = len(backends) - len(done)
        return (f"{function} sent to {len(done)} of {len(backends)}: {', '.join(map(str, done)) or 'none'}"
                + (f" ({skipped} left alone: changed since confirmed, or a superuser session)" if skipped else ""))

    async def follow(aws: Aws) -> Progress:
        found = await pg.backends(pids)
        if not cancel:
            left = _same_sessions(found, backends, None, False)
            return Progress(f"{left} of {len(backends)} still connected", settled=left == 0)
        busy = _same_sessions(found, backends, None, True)
        session = found.get(pids[0])
        return Progress(f"pid {pids[0]}: " + ("still running the query" if busy else
                                              f"{session.state if session else 'gone'} (query ended)"),
                        settled=not busy)

    return Action(
        name=name, title=title, target=target, confirm_name=str(pids[0]) if len(pids) == 1 else "terminate",
        before=connected(len(pids)), after=after, cli=psql_cli(pg.conninfo, sql), current=current, run=run,
        follow=follow, details=details,
    )


def _describe(backend: Backend) -> str:
    return (f"pid {backend.pid} · {backend.user} · {backend.application or '-'} · {backend.client} · "
            f"{backend.state or '?'} {duration(backend.seconds)} · {backend.query or '(no query yet)'}")


def cancel_query(pg: Postgres, backend: Backend) -> Action:
    """pg_cancel_backend: the session's current query stops; the session stays connected."""
    return _sessions(pg, "pg_cancel_backend", (backend,), name="pg-cancel",
                     title=f"Cancel the query of pid {backend.pid}",
                     target=f"{pg.label} pid {backend.pid}", after="query cancelled, session kept",
                     sql=f"SELECT pg_cancel_backend({backend.pid});", details=(_describe(backend),))


def terminate(pg: Postgres, backend: Backend) -> Action:
    """pg_terminate_backend: the session is disconnected (its open transaction rolls back)."""
    return _sessions(pg, "pg_terminate_backend", (backend,), name="pg-terminate",
                     title=f"Terminate pid {backend.pid}", target=f"{pg.label} pid {backend.pid}",
                     after="session terminated", sql=f"SELECT pg_terminate_backend({backend.pid});",
                     details=(_describe(backend),))


def terminate_idle(pg: Postgres, backends: tuple[Backend, ...], minutes: float) -> Action:
    """pg_terminate_backend on the listed sessions that are still idle for more than `minutes`."""
    listed = tuple(f"pid {b.pid} · {b.application or '-'} · {b.user} · {b.client} · idle {duration(b.seconds)}"
                   for b in backends[:IDLE_PREVIEW])
    rest = [str(b.pid) for b in backends[IDLE_PREVIEW:]]
    more = (f"… and {len(rest)} more: pids {', '.join(rest[:8])}{', …' if len(rest) > 8 else ''}",) if rest else ()
    shown = f"{minutes:f}".rstrip("0").rstrip(".")  # 10, 0.5: never 1e+06
    return _sessions(pg, "pg_terminate_backend", backends, name="pg-terminate-idle",
                     title=f"Terminate {len(backends)} idle connection(s) older than {shown} min",
                     target=f"{pg.label}: {len(backends)} idle session(s)", after="sessions terminated",
                     sql="SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = "
                         f"'client backend' AND state = 'idle' AND state_change < now() - interval '{shown} "
                         "minutes' AND pid <> pg_backend_pid();",
                     details=listed + more, idle_seconds=minutes * 60)
