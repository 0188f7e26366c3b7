"""Actions: each mutation as one small object the gate can confirm, audit, run and follow.

An action knows its target, the change as before → after, the equivalent `aws` command, how to read the
target's current value (to notice it changed while the confirm screen was open), how to run, and how to follow
the result until it settles. Making a new kind of action means writing a constructor, never a new flow: the
ECS and RDS ones are here, the alarm ones in `alarm_actions`, the PostgreSQL ones in `session_actions`.
"""

from __future__ import annotations

import asyncio
import shlex
from dataclasses import dataclass
from typing import Awaitable, Callable

from warroom.data.autoscaling import DIMENSION, read_scaling, resource_id, set_bounds
from warroom.data.aws import Aws
from warroom.data.ecs import describe_services, read_task
from warroom.data.ecs_changes import force_new_deployment, set_desired_count, set_task_definition, stop_task
from warroom.data.errors import AwsError
from warroom.data.models import (
    Database, RestoreSource, Scaling, Service, Snapshot, Task, TaskDefinition, family_revision,
)
from warroom.rollback import revision_of
from warroom.data.rds import read_database, read_snapshots
from warroom.data.rds_changes import create_snapshot, restore_snapshot, set_storage
from warroom.untrusted import clean

SCALE_WARN_FACTOR = 3
RESTORE_FAILED = frozenset({"failed", "incompatible-restore", "incompatible-parameters", "incompatible-network",
                            "storage-full", "inaccessible-encryption-credentials"})


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
    cli: Command  # the equivalent aws CLI command
    current: Callable[[Aws], Awaitable[str]]  # the `before` value as it is now
    run: Callable[[Aws], Awaitable[str]]  # does it; returns the AWS request id
    follow: Callable[[Aws], Awaitable[Progress]]  # one look at the result
    warning: str = ""  # set when the change deserves a second confirmation
    details: tuple[str, ...] = ()  # what else the confirm screen must show (a rollback's differences)
    targets: tuple[str, ...] = ()  # every name an action on several resources touches (for the audit log)
    until: str = ""  # when a silence is planned to end (ISO time, for the audit log and the silenced list)
    verb: str = "Confirm"  # what the confirm button says it does: "Scale", "Cancel the query"
    moot: tuple[str, ...] = ()  # current values besides `after` that leave nothing to do (a session gone)
    variant: Action | None = None  # the change done another way, which the confirm screen offers (a checkbox)
    variant_label: str = ""  # that checkbox's text


@dataclass(frozen=True)
class Command:
    """The equivalent shell command, as shown, audited and copied: cleaned words, shell-quoted. `unsafe` is the
    first word that held a control character (cleaned): the text shows it made visible, so it is never copied."""

    text: str
    unsafe: str = ""


def aws_cli(*words: str) -> Command:
    """The command of these words: each cleaned (controls made visible), then quoted for a POSIX shell."""
    cleaned = [clean(word) for word in words]
    unsafe = next((new for new, old in zip(cleaned, words) if new != old), "")
    return Command(" ".join(shlex.quote(word) for word in cleaned), unsafe)


async def _service(aws: Aws, cluster: str, name: str) -> Service:
    found = await describe_services(aws, cluster, [name])
    if not found:
        raise AwsError("ServiceNotFoundException", f"{name} is no longer in {cluster}", "DescribeServices")
    return found[0]


def _counts(service: Service) -> str:
    return f"running {service.running}/{service.desired}, pending {service.pending}"


def _rollout_progress(service: Service) -> Progress:
    """How the service's current (PRIMARY) rollout stands: what a scale changes."""
    primary = service.primary
    state = primary.rollout_state if primary else ""
    line = (_counts(service) + (f", rollout {state}" if state else "") + f", {len(service.deployments)} deployment(s)")
    if state == "FAILED":
        return Progress(line + (f": {primary.rollout_reason}" if primary and primary.rollout_reason else ""),
                        settled=True, failed=True)
    done = service.running == service.desired and service.pending == 0 and state in ("", "COMPLETED")
    return Progress(line, settled=done and len(service.deployments) <= 1)


def _new_rollout(known: set[str], service: Service) -> Progress:
    """How the deployment an UpdateService started stands: the one whose id was not there just before the call
    (an older deployment's FAILED or COMPLETED says nothing about it)."""
    new = [d for d in service.deployments if d.id not in known]
    if not new:
        return Progress(f"waiting for the new deployment to appear ({_counts(service)})")
    deployment = new[0]
    revision = family_revision(deployment.task_definition)
    line = (f"new deployment {revision}: {deployment.rollout_state or deployment.status}, running "
            f"{deployment.running}/{deployment.desired}, pending {deployment.pending}; "
            f"{len(service.deployments)} deployment(s)")
    if deployment.status != "PRIMARY":
        return Progress(f"{line}; superseded by a later deployment", settled=True, failed=True)
    if deployment.rollout_state == "FAILED":
        return Progress(line + (f": {deployment.rollout_reason}" if deployment.rollout_reason else ""),
                        settled=True, failed=True)
    done = deployment.rollout_state in ("", "COMPLETED") and deployment.running == deployment.desired \
        and len(service.deployments) == 1
    return Progress(line, settled=done)


def _deployment_reads(cluster: str, name: str, service: Service, value: Callable[[Service], str]) \
        -> tuple[Callable[[Aws], Awaitable[str]], Callable[[Aws], Awaitable[Progress]]]:
    """`current` and `follow` for an action that starts a deployment: `current` (read just before the call)
    notes the deployments there are, so `follow` reports the one the call started."""
    known = {d.id for d in service.deployments}

    async def current(aws: Aws) -> str:
        now = await _service(aws, cluster, name)
        known.clear()
        known.update(d.id for d in now.deployments)
        return value(now)

    async def follow(aws: Aws) -> Progress:
        return _new_rollout(known, await _service(aws, cluster, name))

    return current, follow


def _scale_warning(service: Service, count: int) -> str:
    if count == 0:
        return f"0 stops every task of {service.name}: the service will serve nothing."
    if service.desired and count > SCALE_WARN_FACTOR * service.desired:
        return f"{count} is more than {SCALE_WARN_FACTOR}× the current {service.desired}."
    return ""


def scale(service: Service, count: int) -> Action:
    """UpdateService --desired-count; 0, or more than 3× the current count, asks a second time. For an autoscaled
    service a count outside its [min, max] warns that the autoscaler will move it back, and the confirm screen
    offers `scale_within` instead (min or max moved to the count as well)."""
    cluster, name = service.cluster, service.name
    warning = _scale_warning(service, count)
    scaling = service.scaling
    outside = scaling is not None and scaling.outside(count)
    if scaling is not None and outside:
        side = f"above its max {scaling.high}" if count > scaling.high else f"below its min {scaling.low}"
        warning = " ".join(filter(None, (warning, f"{count} is {side}: the autoscaler will move the desired count "
                                         "back within minutes (tick the box below to set the bound too).")))

    async def current(aws: Aws) -> str:
        return f"desired {(await _service(aws, cluster, name)).desired}"

    async def follow(aws: Aws) -> Progress:
        return _rollout_progress(await _service(aws, cluster, name))

    within = scale_within(service, count) if outside else None
    return Action(
        name="scale", title=f"Scale {name}", target=f"{cluster}/{name}", confirm_name=name,
        before=f"desired {service.desired}", after=f"desired {count}",
        cli=aws_cli("aws", "ecs", "update-service", "--cluster", cluster, "--service", name,
                    "--desired-count", str(count)),
        current=current, run=lambda aws: set_desired_count(aws, cluster, name, count), follow=follow,
        warning=warning, verb="Scale", variant=within,
        variant_label=f"also set the autoscaler's {'max' if scaling and count > scaling.high else 'min'} to {count}"
        if within else "",
    )


def scale_within(service: Service, count: int) -> Action:
    """RegisterScalableTarget with min (or max) moved to `count`, then UpdateService --desired-count: a manual
    scale the autoscaler keeps."""
    cluster, name = service.cluster, service.name
    assert service.scaling is not None
    low, high = min(service.scaling.low, count), max(service.scaling.high, count)

    def state(desired: int, scaling: Scaling | None) -> str:
        return f"desired {desired} · autoscaling " + (scaling.range_text() if scaling else "none")

    async def current(aws: Aws) -> str:
        now, scaling = await asyncio.gather(_service(aws, cluster, name), read_scaling(aws, service))
        return state(now.desired, scaling)

    async def run(aws: Aws) -> str:
        bounds = await set_bounds(aws, service, low, high)  # first, so the autoscaler never sees count outside
        return f"{bounds} {await set_desired_count(aws, cluster, name, count)}"

    async def follow(aws: Aws) -> Progress:
        return _rollout_progress(await _service(aws, cluster, name))

    bound = aws_cli("aws", "application-autoscaling", "register-scalable-target", "--service-namespace", "ecs",
                    "--scalable-dimension", DIMENSION, "--resource-id", resource_id(service),
                    "--min-capacity", str(low), "--max-capacity", str(high))
    update = aws_cli("aws", "ecs", "update-service", "--cluster", cluster, "--service", name, "--desired-count",
                     str(count))
    return Action(
        name="scale", title=f"Scale {name}", target=f"{cluster}/{name}", confirm_name=name,
        before=state(service.desired, service.scaling), after=state(count, Scaling(low, high)),
        cli=Command(f"{bound.text} && {update.text}", bound.unsafe or update.unsafe), current=current, run=run,
        follow=follow, warning=_scale_warning(service, count), verb="Scale",
        details=("the autoscaler's bounds stay as set until changed again: put them back after the incident",),
    )


def redeploy(service: Service) -> Action:
    """UpdateService --force-new-deployment: replace every task with a fresh one on the same revision."""
    cluster, name = service.cluster, service.name
    revision = family_revision(service.task_definition)
    current, follow = _deployment_reads(cluster, name, service,
                                        lambda now: f"{family_revision(now.task_definition)} (running)")
    return Action(
        name="force-deployment", title=f"Force a new deployment of {name}", target=f"{cluster}/{name}",
        confirm_name=name, before=f"{revision} (running)", after=f"{revision} (every task replaced)",
        cli=aws_cli("aws", "ecs", "update-service", "--cluster", cluster, "--service", name,
                    "--force-new-deployment"),
        current=current, run=lambda aws: force_new_deployment(aws, cluster, name), follow=follow,
        verb="Redeploy",
    )


def rollback(service: Service, target: TaskDefinition, details: tuple[str, ...]) -> Action:
    """UpdateService --task-definition <another ACTIVE revision>: a rollback to an earlier one, a deploy (named so)
    of a newer one."""
    cluster, name = service.cluster, service.name
    to = f"{target.family}:{target.revision}"
    current, follow = _deployment_reads(cluster, name, service, lambda now: family_revision(now.task_definition))
    if target.revision > revision_of(service.task_definition):
        kind, title, verb = "deploy", f"Deploy {to} to {name}", "Deploy"
    else:
        kind, title, verb = "rollback", f"Roll back {name}", "Roll back"
    return Action(
        name=kind, title=title, target=f"{cluster}/{name}", confirm_name=name,
        before=family_revision(service.task_definition), after=to,
        cli=aws_cli("aws", "ecs", "update-service", "--cluster", cluster, "--service", name,
                    "--task-definition", to),
        current=current, run=lambda aws: set_task_definition(aws, cluster, name, target.arn), follow=follow,
        details=details, verb=verb,
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
        details=(f"reason: {reason}",), verb="Stop the task",
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
        verb="Snapshot", moot=(f"snapshot {snapshot_id} exists",),
    )


def grow_storage(database: Database, gigabytes: int) -> Action:
    """ModifyDBInstance --allocated-storage N --apply-immediately; followed until the instance is available with
    at least N GiB (RDS then optimises the storage for hours: the instance stays usable)."""
    async def current(aws: Aws) -> str:
        now = await read_database(aws, "instance", database.id)
        return "does not exist" if now is None else f"{now.storage_gb} GiB"

    async def follow(aws: Aws) -> Progress:
        now = await read_database(aws, "instance", database.id)
        if now is None:
            return Progress(f"{database.id}: not found", settled=True, failed=True)
        grown = (now.storage_gb or 0) >= gigabytes
        return Progress(f"{database.id}: {now.status}, {now.storage_gb} GiB",
                        settled=grown and now.status == "available")

    return Action(
        name="grow-storage", title=f"Grow the storage of {database.id}", target=database.id,
        confirm_name=database.id, before=f"{database.storage_gb} GiB", after=f"{gigabytes} GiB",
        cli=aws_cli("aws", "rds", "modify-db-instance", "--db-instance-identifier", database.id,
                    "--allocated-storage", str(gigabytes), "--apply-immediately"),
        current=current, run=lambda aws: set_storage(aws, database, gigabytes), follow=follow, verb="Grow",
        details=("storage can only grow: RDS allows no decrease, and the next change of size waits 6 hours",),
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
        details=details, verb="Restore",
    )
