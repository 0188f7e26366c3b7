"""CloudWatch mutations: alarm actions off (a silence) and on again. Each returns the AWS request id."""

from __future__ import annotations

from tui.data.aws import Aws
from tui.data.ecs_changes import request_id


async def set_alarm_actions(aws: Aws, name: str, enabled: bool) -> str:
    operation = "enable_alarm_actions" if enabled else "disable_alarm_actions"
    return request_id(await aws.call("cloudwatch", operation, AlarmNames=[name]))


async def alarm_actions_enabled(aws: Aws, name: str) -> bool | None:
    """Whether the alarm's actions are on now; None when the alarm is gone."""
    response = await aws.call("cloudwatch", "describe_alarms", AlarmNames=[name],
                              AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    found = (response.get("MetricAlarms") or []) + (response.get("CompositeAlarms") or [])
    return bool(found[0].get("ActionsEnabled")) if found else None
