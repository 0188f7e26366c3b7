"""Application Auto Scaling for ECS services: each service's scalable target (min, max), read with the fleet; for one
service its policies and recent scaling activities; and RegisterScalableTarget, which sets min and max."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any, Sequence

from warroom.data.aws import Aws
from warroom.data.ecs_changes import request_id
from warroom.data.errors import AwsError
from warroom.data.models import Scaling, ScalingActivity, ScalingDetail, ScalingPolicy, Service
from warroom.data.parse import integer, text, when

NAMESPACE = "ecs"
DIMENSION = "ecs:service:DesiredCount"
IDS_PER_CALL = 50  # DescribeScalableTargets takes at most 50 ResourceIds
ACTIVITIES_SHOWN = 10
SUSPENDED = (("DynamicScalingInSuspended", "scale-in"), ("DynamicScalingOutSuspended", "scale-out"),
             ("ScheduledScalingSuspended", "scheduled"))


def resource_id(service: Service) -> str:
    return f"service/{service.cluster}/{service.name}"


def parse_target(raw: dict[str, Any]) -> Scaling:
    state = raw.get("SuspendedState") or {}
    return Scaling(integer(raw.get("MinCapacity")), integer(raw.get("MaxCapacity")),
                   tuple(name for field, name in SUSPENDED if state.get(field)))


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else text(value)


def parse_policy(raw: dict[str, Any]) -> ScalingPolicy:
    """A policy and what it aims at: the metric and its target value, or the step adjustments and their alarms."""
    kind = text(raw.get("PolicyType"))
    tracking = raw.get("TargetTrackingScalingPolicyConfiguration") or {}
    steps = raw.get("StepScalingPolicyConfiguration") or {}
    if tracking:
        metric = ((tracking.get("PredefinedMetricSpecification") or {}).get("PredefinedMetricType")
                  or (tracking.get("CustomizedMetricSpecification") or {}).get("MetricName") or "a metric")
        aim = f"{text(metric)} at {_number(tracking.get('TargetValue'))}"
    elif steps:
        adjustments = ", ".join(f"{a.get('ScalingAdjustment', 0):+d}" for a in steps.get("StepAdjustments") or ()
                                if isinstance(a.get("ScalingAdjustment"), int))
        alarms = ", ".join(text(a.get("AlarmName")) for a in raw.get("Alarms") or ())
        aim = f"{text(steps.get('AdjustmentType')) or 'steps'} {adjustments or '-'}" + (f" on {alarms}" if alarms
                                                                                          else "")
    else:
        aim = ""
    return ScalingPolicy(text(raw.get("PolicyName")), kind, aim)


def parse_activity(raw: dict[str, Any]) -> ScalingActivity:
    return ScalingActivity(when(raw.get("StartTime")), text(raw.get("StatusCode")), text(raw.get("Description")),
                           text(raw.get("Cause")), text(raw.get("StatusMessage")))


async def _targets(aws: Aws, ids: Sequence[str]) -> dict[str, Scaling]:
    found: dict[str, Scaling] = {}
    async for page in aws.pages("application-autoscaling", "describe_scalable_targets", ServiceNamespace=NAMESPACE,
                                ResourceIds=list(ids), ScalableDimension=DIMENSION):
        for raw in page.get("ScalableTargets") or ():
            found[text(raw.get("ResourceId"))] = parse_target(raw)
    return found


async def with_scaling(aws: Aws, services: Sequence[Service]) -> tuple[Service, ...]:
    """The services, each with its scalable target if it has one (DescribeScalableTargets, 50 services a call).
    When the targets cannot be read (no application-autoscaling:Describe* permission) the services come back as
    they were: not knowing the autoscaler never hides the fleet."""
    ids = [resource_id(s) for s in services]
    try:
        parts = await asyncio.gather(*(_targets(aws, ids[i:i + IDS_PER_CALL])
                                       for i in range(0, len(ids), IDS_PER_CALL)))
    except AwsError:
        return tuple(services)
    found = {key: value for part in parts for key, value in part.items()}
    return tuple(replace(s, scaling=found[resource_id(s)]) if resource_id(s) in found else s for s in services)


async def read_scaling_detail(aws: Aws, service: Service) -> ScalingDetail:
    """The service's scalable target, its policies and its last scaling activities. An endpoint that does not serve
    DescribeScalingActivities (or a role not allowed it) leaves the reason in `activities_unread`."""
    ident = resource_id(service)
    targets = await _targets(aws, [ident])
    if ident not in targets:
        return ScalingDetail(None)
    policies, activities = await asyncio.gather(
        aws.call("application-autoscaling", "describe_scaling_policies", ServiceNamespace=NAMESPACE, ResourceId=ident,
                 ScalableDimension=DIMENSION),
        _activities(aws, ident))
    return ScalingDetail(targets[ident], tuple(parse_policy(p) for p in policies.get("ScalingPolicies") or ()),
                         *activities)


async def _activities(aws: Aws, ident: str) -> tuple[tuple[ScalingActivity, ...], str]:
    try:
        response = await aws.call("application-autoscaling", "describe_scaling_activities",
                                  ServiceNamespace=NAMESPACE, ResourceId=ident, ScalableDimension=DIMENSION,
                                  MaxResults=ACTIVITIES_SHOWN)
    except AwsError as exc:
        return (), exc.one_line()
    return tuple(parse_activity(a) for a in response.get("ScalingActivities") or ()), ""


async def read_scaling(aws: Aws, service: Service) -> Scaling | None:
    return (await _targets(aws, [resource_id(service)])).get(resource_id(service))


async def set_bounds(aws: Aws, service: Service, low: int, high: int) -> str:
    """RegisterScalableTarget on an existing target: new min and max; the request id."""
    return request_id(await aws.call("application-autoscaling", "register_scalable_target",
                                     ServiceNamespace=NAMESPACE, ResourceId=resource_id(service),
                                     ScalableDimension=DIMENSION, MinCapacity=low, MaxCapacity=high))
