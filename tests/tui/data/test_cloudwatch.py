"""Alarm reads against the moto server, and with botocore's Stubber where moto cannot serve (paging, history)."""

from __future__ import annotations

from datetime import datetime, timezone

from botocore.stub import Stubber

from warroom.data.cloudwatch import read_alarm_detail, read_alarms
from warroom.data.errors import AwsError
from warroom.demo.world import put_alarm


async def test_250_alarms_in_pages_of_at_most_100(aws, seeder, calls):
    for index in range(250):
        put_alarm(seeder, f"fleet-{index:03d}", "ALARM" if index % 50 == 0 else "OK")
    alarms = await read_alarms(aws)
    assert len(alarms) == 250
    assert sum(1 for a in alarms if a.state == "ALARM") == 5
    assert all(params["MaxRecords"] <= 100 for params in calls.named("DescribeAlarms"))


async def test_prefix_scopes_the_alarms(aws, seeder):
    put_alarm(seeder, "omni-prod-cpu", "ALARM", "CPU [bold]high[/]")
    put_alarm(seeder, "other-cpu")
    alarms = await read_alarms(aws, "omni-prod")
    assert [(a.name, a.state, a.reason) for a in alarms] == [("omni-prod-cpu", "ALARM", "CPU [bold]high[/]")]


async def test_paginator_follows_next_token(aws):
    """moto never pages DescribeAlarms; the Stubber (validated against the service model) does."""
    client = aws.client("cloudwatch")
    alarm = {"AlarmName": "a", "AlarmArn": "arn:a", "StateValue": "OK", "StateReason": "r"}
    with Stubber(client) as stub:
        stub.add_response("describe_alarms", {"MetricAlarms": [alarm], "NextToken": "t1"},
                          {"AlarmTypes": ["MetricAlarm", "CompositeAlarm"], "MaxRecords": 100})
        stub.add_response("describe_alarms", {"MetricAlarms": [{**alarm, "AlarmName": "b"}]},
                          {"AlarmTypes": ["MetricAlarm", "CompositeAlarm"], "MaxRecords": 100, "NextToken": "t1"})
        alarms = await read_alarms(aws)
        stub.assert_no_pending_responses()
    assert [a.name for a in alarms] == ["a", "b"]


async def test_alarm_detail_says_when_history_is_not_offered(aws, seeder):
    put_alarm(seeder, "db-connections", "ALARM", metric="DatabaseConnections", namespace="AWS/RDS",
              dimensions={"DBInstanceIdentifier": "db1"})
    detail = await read_alarm_detail(aws, "db-connections")
    assert detail.alarm.metric == "DatabaseConnections"
    assert detail.alarm.dimensions == (("DBInstanceIdentifier", "db1"),)
    assert detail.history == ()
    assert detail.history_note.startswith("history unavailable") and "DescribeAlarmHistory" in detail.history_note


async def test_alarm_history_shape_from_the_service_model(aws):
    client = aws.client("cloudwatch")
    at = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
    with Stubber(client) as stub:
        stub.add_response("describe_alarms", {"MetricAlarms": [
            {"AlarmName": "x", "AlarmArn": "arn:x", "StateValue": "ALARM", "StateReason": "up"}]})
        stub.add_response("describe_alarm_history", {"AlarmHistoryItems": [
            {"AlarmName": "x", "Timestamp": at, "HistoryItemType": "StateUpdate",
             "HistorySummary": "Alarm updated from OK to ALARM"}]})
        detail = await read_alarm_detail(aws, "x")
    assert [(h.timestamp, h.summary) for h in detail.history] == [(at, "Alarm updated from OK to ALARM")]
    assert detail.history_note == ""


async def test_missing_alarm_is_an_error(aws):
    try:
        await read_alarm_detail(aws, "nope")
    except AwsError as exc:
        assert exc.code == "ResourceNotFound"
    else:
        raise AssertionError("expected AwsError")


async def test_metrics_take_the_fewest_get_metric_data_calls(aws, seeder, calls):
    """500 queries a call: 600 series are 2 calls; each series comes back oldest point first."""
    from datetime import datetime, timedelta, timezone

    from warroom.data.metrics import read_metrics
    from warroom.data.models import MetricQuery

    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    seeder.client("cloudwatch").put_metric_data(Namespace="AWS/ECS", MetricData=[
        {"MetricName": "CPUUtilization", "Value": float(v), "Timestamp": now - timedelta(minutes=5 - v),
         "Dimensions": [{"Name": "ClusterName", "Value": "c0"}, {"Name": "ServiceName", "Value": "s0"}]}
        for v in range(5)])
    queries = [MetricQuery(f"m{i}", "CPU", "AWS/ECS", "CPUUtilization",
                           (("ClusterName", f"c{i}"), ("ServiceName", f"s{i}")), unit="%") for i in range(600)]
    series = await read_metrics(aws, queries, now)
    assert calls.count("GetMetricData") == 2
    assert [len(call["MetricDataQueries"]) for call in calls.named("GetMetricData")] == [500, 100]
    assert series[0].values == (0.0, 1.0, 2.0, 3.0, 4.0) and series[0].latest == 4.0
    assert all(s.values == () and s.latest is None for s in series[1:])


def test_aurora_charts_its_volume_used_and_an_instance_its_free_storage():
    from warroom.data.metrics import database_queries
    from warroom.data.models import Database

    aurora = Database("orders", "cluster", "aurora-postgresql", "15.4", "available", "", False, None)
    instance = Database("orders-db", "instance", "postgres", "15.5", "available", "db.t3.medium", False, 100)
    assert [(q.metric, q.stat, q.dimensions) for q in database_queries(aurora)][-1] == (
        "VolumeBytesUsed", "Maximum", (("DBClusterIdentifier", "orders"),))
    assert [(q.metric, q.stat, q.dimensions) for q in database_queries(instance)][-1] == (
        "FreeStorageSpace", "Minimum", (("DBInstanceIdentifier", "orders-db"),))
