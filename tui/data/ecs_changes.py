"""ECS mutations: the calls behind the scale and redeploy actions. Each returns the AWS request id."""

from __future__ import annotations

from typing import Any

from warroom.data.aws import Aws


def request_id(response: dict[str, Any]) -> str:
    return str((response.get("ResponseMetadata") or {}).get("RequestId") or "")


async def set_desired_count(aws: Aws, cluster: str, service: str, count: int) -> str:
    """UpdateService --desired-count: idempotent by value, so a retried call cannot apply twice."""
    return request_id(await aws.call("ecs", "update_service", cluster=cluster, service=service, desiredCount=count))


async def force_new_deployment(aws: Aws, cluster: str, service: str) -> str:
    """UpdateService --force-new-deployment: a rolling restart on the current task definition. Sent once: a
    retry after a timeout could start a second deployment."""
    return request_id(await aws.call_once("ecs", "update_service", cluster=cluster, service=service,
                                          forceNewDeployment=True))


async def set_task_definition(aws: Aws, cluster: str, service: str, task_definition: str) -> str:
    """UpdateService --task-definition: roll the service to that revision."""
    return request_id(await aws.call("ecs", "update_service", cluster=cluster, service=service,
                                     taskDefinition=task_definition))


async def stop_task(aws: Aws, cluster: str, task: str, reason: str) -> str:
    """StopTask with a reason (shown in the task's stoppedReason); the service starts a replacement."""
    return request_id(await aws.call("ecs", "stop_task", cluster=cluster, task=task, reason=reason))
