"""Deployments as ECS makes them, for the demo world and the tests that drive it.

moto's UpdateService changes a service's task definition without a new deployment, and "forces" one by renaming
the current deployment. While installed, both start a new PRIMARY deployment IN_PROGRESS (the older ones turn
ACTIVE, their ids kept), which the simulator then rolls out: tasks replaced, COMPLETED, or FAILED for a bad
revision.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from warroom.demo.world import deployment, event


def start_rollout(service: Any, before: list[dict[str, Any]], now: datetime) -> None:
    """A new PRIMARY deployment of the service's task definition; `before` (the deployments as they were) ACTIVE."""
    new = deployment(service.task_definition, "PRIMARY", "IN_PROGRESS", service.desired_count, 0,
                     service.desired_count, now)
    for old in before:
        old["status"] = "ACTIVE"
    service.deployments = [new, *before]
    service.events.insert(0, event(0, f"(service {service.name}) has started a new deployment {new['id']}.", now))


def install() -> Callable[[], None]:
    """Wrap moto's UpdateService so it starts deployments; returns the function that unwraps it."""
    from moto.ecs.models import EC2ContainerServiceBackend

    original = EC2ContainerServiceBackend.update_service

    def update_service(backend: Any, properties: dict[str, Any]) -> Any:
        cluster = properties.get("cluster") or "default"
        current = backend._get_service(cluster, properties["service"].split("/")[-1])
        before = [dict(d) for d in current.deployments]
        definition = current.task_definition
        force = bool(properties.get("force_new_deployment"))
        service = original(backend, properties)
        if force or service.task_definition != definition:
            start_rollout(service, before, datetime.now(timezone.utc))
        return service

    EC2ContainerServiceBackend.update_service = update_service

    def uninstall() -> None:
        EC2ContainerServiceBackend.update_service = original

    return uninstall
