"""Load balancer target health: DescribeTargetHealth for each target group the ECS services register in."""

from __future__ import annotations

import asyncio
from typing import Any, Iterable

from warroom.data.aws import Aws
from warroom.data.models import TargetHealth
from warroom.data.parse import text

COUNTED = ("healthy", "unhealthy", "draining")


def parse_target_health(arn: str, descriptions: list[dict[str, Any]]) -> TargetHealth:
    counts = dict.fromkeys(COUNTED + ("other",), 0)
    reasons = []
    for item in descriptions:
        health = item.get("TargetHealth") or {}
        state = text(health.get("State"))
        counts[state if state in COUNTED else "other"] += 1
        if state != "healthy":
            target = item.get("Target") or {}
            where = text(target.get("Id")) + (f":{target['Port']}" if target.get("Port") else "")
            reasons.append(" ".join(p for p in (where, state, text(health.get("Reason")),
                                                text(health.get("Description"))) if p))
    return TargetHealth(arn, counts["healthy"], counts["unhealthy"], counts["draining"], counts["other"],
                        tuple(reasons))


async def _one(aws: Aws, arn: str) -> TargetHealth:
    response = await aws.call("elbv2", "describe_target_health", TargetGroupArn=arn)
    return parse_target_health(arn, response.get("TargetHealthDescriptions") or [])


async def read_target_health(aws: Aws, arns: Iterable[str]) -> dict[str, TargetHealth]:
    """Each target group's health (one call per group: the API takes one), concurrently within the throttle."""
    unique = list(dict.fromkeys(arns))
    found = await asyncio.gather(*(_one(aws, arn) for arn in unique))
    return {health.arn: health for health in found}
