"""CloudWatch alarm reads: every alarm in scope (paged by 100), and one alarm's configuration and history."""

from __future__ import annotations

from typing import Any

from warroom.data.aws import Aws
from warroom.data.errors import AwsError
from warroom.data.models import Alarm, AlarmDetail, AlarmHistoryItem
from warroom.data.parse import optional_int, text, when

ALARM_TYPES = ["MetricAlarm", "CompositeAlarm"]
PAGE = 100
HISTORY_KEPT = 50


def parse_alarm(raw: dict[str, Any], kind: str) -> Alarm:
    threshold = raw.get("Threshold")
    return Alarm(
        arn=text(raw.get("AlarmArn")),
        name=text(raw.get("AlarmName")),
        state=text(raw.get("StateValue")),
        reason=text(raw.get("StateReason")),
        updated_at=when(raw.get("StateUpdatedTimestamp")),
        actions_enabled=bool(raw.get("ActionsEnabled", True)),
        namespace=text(raw.get("Namespace")),
        metric=text(raw.get("MetricName")),
        comparison=text(raw.get("ComparisonOperator")),
        threshold=float(threshold) if isinstance(threshold, (int, float)) else None,
        period=optional_int(raw.get("Period")),
        evaluation_periods=optional_int(raw.get("EvaluationPeriods")),
        statistic=text(raw.get("Statistic") or raw.get("ExtendedStatistic")),
        dimensions=tuple((text(d.get("Name")), text(d.get("Value"))) for d in raw.get("Dimensions") or ()),
        description=text(raw.get("AlarmDescription") or raw.get("AlarmRule")),
        kind=kind,
    )


def _alarms(page: dict[str, Any]) -> list[Alarm]:
    return ([parse_alarm(a, "metric") for a in page.get("MetricAlarms") or ()]
            + [parse_alarm(a, "composite") for a in page.get("CompositeAlarms") or ()])


async def read_alarms(aws: Aws, prefix: str = "", state: str = "") -> tuple[Alarm, ...]:
    """The alarms whose names start with `prefix` (all when ""), only those in `state` when given ("ALARM")."""
    params: dict[str, Any] = {"AlarmTypes": ALARM_TYPES, "PaginationConfig": {"PageSize": PAGE}}
    if prefix:
        params["AlarmNamePrefix"] = prefix
    if state:
        params["StateValue"] = state
    alarms: list[Alarm] = []
    async for page in aws.pages("cloudwatch", "describe_alarms", **params):
        alarms.extend(_alarms(page))
    return tuple(alarms)


async def read_alarm_detail(aws: Aws, name: str) -> AlarmDetail:
    """The alarm's configuration and its state changes; says so when the endpoint has no history API."""
    response = await aws.call("cloudwatch", "describe_alarms", AlarmNames=[name], AlarmTypes=ALARM_TYPES)
    found = _alarms(response)
    if not found:
        raise AwsError("ResourceNotFound", f"alarm {name} does not exist", "DescribeAlarms")
    try:
        history = await aws.call("cloudwatch", "describe_alarm_history", AlarmName=name,
                                 HistoryItemType="StateUpdate", ScanBy="TimestampDescending",
                                 MaxRecords=HISTORY_KEPT)
    except AwsError as exc:
        return AlarmDetail(found[0], (), f"history unavailable: {exc.one_line()}")
    items = tuple(
        AlarmHistoryItem(when(h.get("Timestamp")), text(h.get("HistoryItemType")), text(h.get("HistorySummary")))
        for h in history.get("AlarmHistoryItems") or ()
    )
    return AlarmDetail(found[0], items)
