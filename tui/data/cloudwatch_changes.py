"""CloudWatch mutations: alarm actions off (a silence) and on again, and alarm mute rules (a silence that ends by
itself) where the endpoint offers them. Each mutation returns the AWS request id(s)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Sequence

from warroom.data.aws import Aws
from warroom.data.ecs_changes import request_id
from warroom.data.errors import AwsError

BATCH = 100  # alarm names per EnableAlarmActions / DisableAlarmActions / DescribeAlarms call and per mute rule


def batches(names: Sequence[str]) -> list[list[str]]:
    return [list(names[i:i + BATCH]) for i in range(0, len(names), BATCH)]


async def set_alarm_actions(aws: Aws, names: Sequence[str], enabled: bool) -> str:
    """EnableAlarmActions / DisableAlarmActions, 100 names per call; idempotent, so a retry cannot harm."""
    operation = "enable_alarm_actions" if enabled else "disable_alarm_actions"
    ids = [request_id(await aws.call("cloudwatch", operation, AlarmNames=chunk)) for chunk in batches(names)]
    return " ".join(ids)


async def alarms_actions(aws: Aws, names: Sequence[str]) -> dict[str, bool]:
    """Whether each alarm's actions are on now; alarms that no longer exist are absent."""
    found: dict[str, bool] = {}
    for chunk in batches(names):
        response = await aws.call("cloudwatch", "describe_alarms", AlarmNames=chunk,
                                  AlarmTypes=["MetricAlarm", "CompositeAlarm"], MaxRecords=BATCH)
        for raw in (response.get("MetricAlarms") or []) + (response.get("CompositeAlarms") or []):
            found[str(raw.get("AlarmName"))] = bool(raw.get("ActionsEnabled", True))
    return found


async def mute_rules_unavailable(aws: Aws) -> str:
    """Why alarm mute rules cannot be used here ("" when they can): one ListAlarmMuteRules call."""
    try:
        await aws.call("cloudwatch", "list_alarm_mute_rules", MaxRecords=1)
    except AwsError as exc:
        return exc.one_line()
    return ""


def mute_start(now: datetime) -> datetime:
    """The next whole minute: `at()` expressions name a minute, and one already past would never open."""
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


def mute_schedule(start: datetime, minutes: int) -> dict[str, object]:
    """A one-time window: `at(start)` (yyyy-MM-ddThh:mm, UTC) for `minutes`, the rule expiring when it ends."""
    return {"Rule": {"Schedule": {"Expression": f"at({start:%Y-%m-%dT%H:%M})", "Duration": f"PT{minutes}M",
                                  "Timezone": "UTC"}},
            "StartDate": start, "ExpireDate": start + timedelta(minutes=minutes)}


async def put_mute_rules(aws: Aws, rule: str, names: Sequence[str], start: datetime, minutes: int) -> str:
    """PutAlarmMuteRule, one rule per 100 alarms (`rule`, `rule-2`, ...): the named rule is replaced, not
    duplicated, if the call is retried."""
    ids = []
    for index, chunk in enumerate(batches(names)):
        name = rule if index == 0 else f"{rule}-{index + 1}"
        ids.append(request_id(await aws.call(
            "cloudwatch", "put_alarm_mute_rule", Name=name, MuteTargets={"AlarmNames": chunk},
            Description=f"warroom: {len(chunk)} alarm(s) muted for {minutes} min", **mute_schedule(start, minutes))))
    return " ".join(ids)


async def mute_rule_statuses(aws: Aws, rule: str, count: int) -> list[str]:
    """The status of each rule `put_mute_rules` made for `count` alarms (SCHEDULED, ACTIVE, EXPIRED)."""
    names = [rule if index == 0 else f"{rule}-{index + 1}" for index in range((count + BATCH - 1) // BATCH)]
    return [str((await aws.call("cloudwatch", "get_alarm_mute_rule", AlarmMuteRuleName=name)).get("Status"))
            for name in names]
