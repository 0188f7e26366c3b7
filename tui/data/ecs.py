"""ECS reads: clusters, services (batched by AWS's limits), and the service detail (tasks, revisions)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any, Iterable, Sequence

from warroom.data.autoscaling import read_scaling_detail, with_scaling
from warroom.data.aws import Aws
from warroom.data.elb import read_target_health
from warroom.data.errors import AwsError
from warroom.data.parse import integer, optional_int, text, when
from warroom.data.models import (
    Container,
    ContainerImage,
    Deployment,
    Fleet,
    Service,
    ServiceDetail,
    ServiceEvent,
    Task,
    TaskDefinition,
    family_revision,
)

DESCRIBE_SERVICES_MAX = 10
DESCRIBE_TASKS_MAX = 100
LIST_PAGE = 100
EVENTS_KEPT = 20
STOPPED_KEPT = 20
REVISIONS_KEPT = 10


def chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def short_name(arn_or_name: str) -> str:
    """`arn:...:cluster/name` or `arn:...:service/cluster/name` -> `name`; a plain name stays as it is."""
    return arn_or_name.rsplit("/", 1)[-1] if arn_or_name.startswith("arn:") else arn_or_name


def family_of(task_definition: str) -> str:
    return family_revision(task_definition).rsplit(":", 1)[0]


def parse_deployment(raw: dict[str, Any]) -> Deployment:
    return Deployment(
        id=text(raw.get("id")),
        status=text(raw.get("status")),
        rollout_state=text(raw.get("rolloutState")),
        rollout_reason=text(raw.get("rolloutStateReason")),
        task_definition=text(raw.get("taskDefinition")),
        desired=integer(raw.get("desiredCount")),
        running=integer(raw.get("runningCount")),
        pending=integer(raw.get("pendingCount")),
        failed=integer(raw.get("failedTasks")),
        created_at=when(raw.get("createdAt")),
        updated_at=when(raw.get("updatedAt")),
    )


def parse_service(raw: dict[str, Any]) -> Service:
    events = sorted(
        (ServiceEvent(text(e.get("id")), when(e.get("createdAt")), text(e.get("message")))
         for e in raw.get("events") or ()),
        key=lambda e: e.created_at.timestamp() if e.created_at else 0.0,
        reverse=True,
    )
    return Service(
        arn=text(raw.get("serviceArn")),
        cluster=short_name(text(raw.get("clusterArn"))),
        name=text(raw.get("serviceName")),
        status=text(raw.get("status")),
        desired=integer(raw.get("desiredCount")),
        running=integer(raw.get("runningCount")),
        pending=integer(raw.get("pendingCount")),
        task_definition=text(raw.get("taskDefinition")),
        launch_type=text(raw.get("launchType")),
        deployments=tuple(parse_deployment(d) for d in raw.get("deployments") or ()),
        events=tuple(events[:EVENTS_KEPT]),
        created_at=when(raw.get("createdAt")),
        target_groups=tuple(dict.fromkeys(text(lb.get("targetGroupArn")) for lb in raw.get("loadBalancers") or ()
                                          if lb.get("targetGroupArn"))),
    )


def parse_task(raw: dict[str, Any]) -> Task:
    return Task(
        arn=text(raw.get("taskArn")),
        task_definition=text(raw.get("taskDefinitionArn")),
        last_status=text(raw.get("lastStatus")),
        desired_status=text(raw.get("desiredStatus")),
        started_at=when(raw.get("startedAt")),
        stopped_at=when(raw.get("stoppedAt")),
        stopped_reason=text(raw.get("stoppedReason")),
        stop_code=text(raw.get("stopCode")),
        group=text(raw.get("group")),
        private_ip=_private_ip(raw),
        containers=tuple(
            Container(
                name=text(c.get("name")),
                last_status=text(c.get("lastStatus")),
                exit_code=optional_int(c.get("exitCode")),
                reason=text(c.get("reason")),
                image=text(c.get("image")),
            )
            for c in raw.get("containers") or ()
        ),
    )


def _private_ip(raw: dict[str, Any]) -> str:
    """The task's awsvpc address: its ElasticNetworkInterface attachment's privateIPv4Address."""
    for attachment in raw.get("attachments") or ():
        if attachment.get("type") == "ElasticNetworkInterface":
            for detail in attachment.get("details") or ():
                if detail.get("name") == "privateIPv4Address":
                    return text(detail.get("value"))
    return ""


def parse_task_definition(raw: dict[str, Any]) -> TaskDefinition:
    return TaskDefinition(
        arn=text(raw.get("taskDefinitionArn")),
        family=text(raw.get("family")),
        revision=integer(raw.get("revision")),
        status=text(raw.get("status")),
        containers=tuple(
            ContainerImage(text(c.get("name")), text(c.get("image")),
                           tuple(sorted((text(e.get("name")), text(e.get("value")))
                                        for e in c.get("environment") or ())),
                           text(c.get("cpu")), text(c.get("memory")))
            for c in raw.get("containerDefinitions") or ()
        ),
        cpu=text(raw.get("cpu")),
        memory=text(raw.get("memory")),
        registered_at=when(raw.get("registeredAt")),
    )


async def list_clusters(aws: Aws) -> list[str]:
    arns: list[str] = []
    async for page in aws.pages("ecs", "list_clusters", PaginationConfig={"PageSize": LIST_PAGE}):
        arns.extend(page.get("clusterArns") or ())
    return arns


async def list_service_arns(aws: Aws, cluster: str) -> list[str]:
    arns: list[str] = []
    async for page in aws.pages("ecs", "list_services", cluster=cluster,
                                PaginationConfig={"PageSize": LIST_PAGE}):
        arns.extend(page.get("serviceArns") or ())
    return arns


async def describe_services(aws: Aws, cluster: str, services: Sequence[str]) -> list[Service]:
    """Describe services in batches of 10 (AWS's limit), the batches concurrently; missing ones are skipped."""
    responses = await asyncio.gather(*(
        aws.call("ecs", "describe_services", cluster=cluster, services=list(batch))
        for batch in chunks(services, DESCRIBE_SERVICES_MAX)
    ))
    return [parse_service(raw) for response in responses for raw in response.get("services") or ()]


async def read_cluster_services(aws: Aws, cluster: str, names: Sequence[str] = ()) -> list[Service]:
    wanted = list(names) or await list_service_arns(aws, cluster)
    return await describe_services(aws, cluster, wanted) if wanted else []


async def read_services(aws: Aws, fleet: Fleet) -> tuple[Service, ...]:
    """Every service in scope: the configured clusters (or all), the configured names (or all)."""
    clusters = list(fleet.clusters) or await list_clusters(aws)
    per_cluster = await asyncio.gather(*(read_cluster_services(aws, c, fleet.services) for c in clusters))
    return await with_scaling(aws, [service for services in per_cluster for service in services])


async def read_stopped_tasks(aws: Aws, service: Service) -> list[Task]:
    """The service's recently stopped tasks (ECS keeps them about an hour)."""
    return await _tasks(aws, service.cluster, service.name, "STOPPED")


async def read_task_addresses(aws: Aws, fleet: Fleet) -> dict[str, Task]:
    """The running tasks of the fleet's services by their private IP (awsvpc), so that a PostgreSQL session's
    client address names the service and task it comes from: one ListTasks per cluster (paged), DescribeTasks
    per 100 tasks."""
    clusters = list(fleet.clusters) or await list_clusters(aws)
    per_cluster = await asyncio.gather(*(_tasks(aws, short_name(c), "", "RUNNING") for c in clusters))
    return {task.private_ip: task for tasks in per_cluster for task in tasks
            if task.private_ip and task.service and (not fleet.services or task.service in fleet.services)}


async def _tasks(aws: Aws, cluster: str, service: str, desired_status: str) -> list[Task]:
    """The cluster's tasks with that desired status: the service's, or every one with `service` ""."""
    arns: list[str] = []
    wanted = {"serviceName": service} if service else {}
    async for page in aws.pages("ecs", "list_tasks", cluster=cluster, desiredStatus=desired_status,
                                PaginationConfig={"PageSize": LIST_PAGE}, **wanted):
        arns.extend(page.get("taskArns") or ())
    responses = await asyncio.gather(*(
        aws.call("ecs", "describe_tasks", cluster=cluster, tasks=list(batch))
        for batch in chunks(arns, DESCRIBE_TASKS_MAX)
    ))
    group = f"service:{service}"
    return [parse_task(raw) for response in responses for raw in response.get("tasks") or ()
            if not service or raw.get("group") in (None, group)]


async def read_revisions(aws: Aws, family: str) -> tuple[TaskDefinition, ...]:
    """The family's newest ACTIVE revisions (up to 10), with the image of each container."""
    response = await aws.call("ecs", "list_task_definitions", familyPrefix=family, status="ACTIVE",
                              sort="DESC", maxResults=LIST_PAGE)
    arns = [a for a in response.get("taskDefinitionArns") or () if family_of(a) == family][:REVISIONS_KEPT]
    described = await asyncio.gather(*(
        aws.call("ecs", "describe_task_definition", taskDefinition=arn) for arn in arns
    ))
    revisions = [parse_task_definition(d.get("taskDefinition") or {}) for d in described]
    return tuple(sorted(revisions, key=lambda r: r.revision, reverse=True))


def _stopped_order(task: Task) -> float:
    return task.stopped_at.timestamp() if task.stopped_at else 0.0


async def read_service_detail(aws: Aws, cluster: str, service: str) -> ServiceDetail:
    """One service's deployments and events, running and recently stopped tasks, and ACTIVE revisions."""
    found = await describe_services(aws, cluster, [service])
    if not found:
        raise AwsError("ServiceNotFoundException", f"{service} is not in {cluster}", "DescribeServices")
    current = found[0]
    running, stopped, revisions, targets, scaling = await asyncio.gather(
        _tasks(aws, cluster, service, "RUNNING"),
        _tasks(aws, cluster, service, "STOPPED"),
        read_revisions(aws, family_of(current.task_definition)),
        read_target_health(aws, current.target_groups),
        read_scaling_detail(aws, current),
    )
    stopped.sort(key=_stopped_order, reverse=True)
    return ServiceDetail(replace(current, scaling=scaling.scaling), tuple(running), tuple(stopped[:STOPPED_KEPT]),
                         revisions, tuple(targets.values()), scaling)


async def read_task(aws: Aws, cluster: str, task: str) -> Task:
    response = await aws.call("ecs", "describe_tasks", cluster=cluster, tasks=[task])
    found = response.get("tasks") or []
    if not found:
        raise AwsError("TaskNotFound", f"task {task} is not in {cluster}", "DescribeTasks")
    return parse_task(found[0])
