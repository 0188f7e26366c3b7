"""The responder in front of moto: CloudTrail LookupEvents, CloudWatch DescribeAlarmHistory and Application Auto
Scaling DescribeScalingActivities answered from the writes that went through it, parsed by real botocore clients;
everything else forwarded to moto unchanged."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from warroom.data.aws import Aws
from warroom.data.cloudwatch import read_alarm_detail
from warroom.demo.responder import Responder
from warroom.demo.server import ACCOUNT, REGION
from warroom.demo.world import ServiceSpec, create_instance, create_services, put_alarm

ALICE, BOB = "AKIAALICE", "ASIABOB"
CALLERS = {ALICE: "arn:aws:iam::123456789012:user/alice", BOB: "arn:aws:sts::123456789012:assumed-role/oncall/bob"}
START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
HOSTILE = ["\x1b]0;x\x07", "[b]markup[/b]", "x" * 10240, "héllo ✓ 日本 \u202e"]


class Clock:
    """A second passes between readings: every recorded write has its own time."""

    now = START

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def responder(moto_server):
    running = Responder(moto_server.endpoint, callers=CALLERS, clock=Clock())
    yield running
    running.close()


@pytest.fixture
def app(responder, monkeypatch):
    """The app's own AWS connection, pointed at the responder (moto's default key: unmapped)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", responder.endpoint)
    connection = Aws()
    yield connection
    connection.close()


@pytest.fixture
def client(responder):
    def make(service: str, key: str = ALICE, **config):
        return boto3.client(service, endpoint_url=responder.endpoint, region_name=REGION, aws_access_key_id=key,
                            aws_secret_access_key="secret", config=Config(retries={"total_max_attempts": 1}, **config))
    return make


def where(key: str, value: str) -> list[dict]:
    return [{"AttributeKey": key, "AttributeValue": value}]


def lookup(client, **params) -> list[dict]:
    events = client("cloudtrail").lookup_events(**params)["Events"]
    return [{**e, "record": json.loads(e["CloudTrailEvent"])} for e in events]


def test_each_callers_update_service_is_an_event_with_their_identity(client, seeder, responder):
    create_services(seeder, [ServiceSpec("prod", "web", desired=2)], tasks=False)  # straight to moto: unrecorded
    client("ecs", ALICE).update_service(cluster="prod", service="web", desiredCount=3)
    client("ecs", BOB).update_service(cluster="prod", service="web", desiredCount=4)
    bob, alice = lookup(client, LookupAttributes=where("EventName", "UpdateService"))
    assert (bob["Username"], alice["Username"], bob["AccessKeyId"], bob["ReadOnly"]) == ("bob", "alice", BOB, "false")
    assert {"ResourceType": "AWS::ECS::Service", "ResourceName": "web"} in bob["Resources"]
    bobs, alices = bob["record"]["userIdentity"], alice["record"]["userIdentity"]
    assert (bobs["type"], bobs["sessionContext"]["sessionIssuer"]["arn"], alices["type"], alices["userName"]) == (
        "AssumedRole", "arn:aws:iam::123456789012:role/oncall", "IAMUser", "alice")
    assert [bobs["arn"], alices["arn"]] == [CALLERS[BOB], CALLERS[ALICE]]
    assert [e["record"]["requestParameters"]["desiredCount"] for e in (alice, bob)] == [3, 4]
    assert bob["record"] | {"eventSource": "ecs.amazonaws.com", "eventName": "UpdateService", "readOnly": False,
                            "eventType": "AwsApiCall", "managementEvent": True} == bob["record"]
    assert "errorCode" not in bob["record"] and bob["EventTime"] > alice["EventTime"]
    assert responder.requests["UpdateService"] == 2 and responder.requests["LookupEvents"] == 1


def test_an_unmapped_key_is_who_moto_says(client):
    """A key moto's STS gave out (AssumeRole) is that session; any other is moto's default user."""
    issued = client("sts", "AKIAOTHER").assume_role(RoleArn="arn:aws:iam::123456789012:role/deployer",
                                                   RoleSessionName="ci-run")["Credentials"]
    boto3.client("ecs", endpoint_url=client("ecs").meta.endpoint_url, region_name=REGION,
                 aws_access_key_id=issued["AccessKeyId"], aws_secret_access_key=issued["SecretAccessKey"],
                 aws_session_token=issued["SessionToken"]).create_cluster(clusterName="ci")
    client("ecs", "AKIAOTHER").create_cluster(clusterName="other")
    other, ci = lookup(client)
    assert (ci["Username"], ci["record"]["userIdentity"]["type"]) == ("ci-run", "AssumedRole")
    assert ci["record"]["userIdentity"]["arn"].endswith(":assumed-role/deployer/ci-run")
    assert (other["Username"], other["record"]["userIdentity"]["arn"]) == ("moto", f"arn:aws:sts::{ACCOUNT}:user/moto")


ALL = ["DeleteCluster blue", "CreateCluster green", "CreateCluster blue"]


@pytest.mark.parametrize("key, value, expected", [
    ("ReadOnly", "false", ALL), ("ReadOnly", "true", []), ("ResourceType", "AWS::ECS::Cluster", ALL),
    ("ResourceName", "blue", [ALL[0], ALL[2]]), ("EventName", "DeleteCluster", ALL[:1]), ("Username", "bob", ALL[1:2]),
    ("AccessKeyId", ALICE, [ALL[0], ALL[2]]), ("EventSource", "rds.amazonaws.com", []),
])
def test_lookup_attributes_filter_and_reads_are_never_recorded(client, key, value, expected):
    client("ecs", ALICE).create_cluster(clusterName="blue")
    client("ecs", BOB).create_cluster(clusterName="green")
    client("ecs").list_clusters()
    client("ecs").describe_clusters(clusters=["blue"])
    client("ecs", ALICE).delete_cluster(cluster="blue")
    events = lookup(client, LookupAttributes=where(key, value))
    assert [f"{e['EventName']} {e['Resources'][0]['ResourceName']}" for e in events] == expected
    if events:
        assert lookup(client, LookupAttributes=where("EventId", events[-1]["EventId"])) == events[-1:]


def test_start_and_end_time_select_a_window(client, responder):
    for name in ("early", "middle", "late"):
        responder.clock.now += timedelta(hours=1)
        client("ecs").create_cluster(clusterName=name)
    middle = START + timedelta(hours=2, seconds=2)
    events = lookup(client, StartTime=middle - timedelta(minutes=5), EndTime=middle + timedelta(minutes=5))
    assert [(e["Resources"][0]["ResourceName"], e["EventTime"]) for e in events] == [("middle", middle)]
    assert events[0]["record"]["eventTime"] == "2024-05-01T14:00:02Z"


def test_more_than_50_events_page_by_next_token_and_later_writes_do_not_shift_pages(client):
    for index in range(60):
        client("ecs").create_cluster(clusterName=f"c{index:02}")
    first = client("cloudtrail").lookup_events()
    client("ecs").create_cluster(clusterName="late")
    second = client("cloudtrail").lookup_events(NextToken=first["NextToken"])
    names = [e["Resources"][0]["ResourceName"] for e in first["Events"] + second["Events"]]
    assert (len(first["Events"]), "NextToken" in second) == (50, False)
    assert names == [f"c{index:02}" for index in reversed(range(60))]
    paged = client("cloudtrail").get_paginator("lookup_events").paginate(PaginationConfig={"PageSize": 7})
    assert sum(len(page["Events"]) for page in paged) == 61


@pytest.mark.parametrize("params, code", [
    ({"LookupAttributes": where("EventName", "A") + where("Username", "b")}, "InvalidLookupAttributesException"),
    ({"MaxResults": 51}, "InvalidMaxResultsException"),
    ({"NextToken": "not-a-token"}, "InvalidNextTokenException"),
    ({"StartTime": START, "EndTime": START - timedelta(days=1)}, "InvalidTimeRangeException"),
])
def test_lookups_aws_refuses_are_refused(client, params, code):
    with pytest.raises(ClientError) as caught:
        client("cloudtrail").lookup_events(**params)
    assert caught.value.response["Error"]["Code"] == code


def test_an_rds_snapshot_sent_as_a_form_is_recorded_with_its_parameters(client, seeder):
    create_instance(seeder, "orders-db")
    client("rds").create_db_snapshot(DBInstanceIdentifier="orders-db", DBSnapshotIdentifier="before-migration",
                                     Tags=[{"Key": "ticket", "Value": "OPS-1"}])
    [event] = lookup(client, LookupAttributes=where("EventSource", "rds.amazonaws.com"))
    assert event["Resources"] == [{"ResourceType": "AWS::RDS::DBInstance", "ResourceName": "orders-db"},
                                  {"ResourceType": "AWS::RDS::DBSnapshot", "ResourceName": "before-migration"}]
    assert event["record"]["requestParameters"] == {"DBInstanceIdentifier": "orders-db",
                                                    "DBSnapshotIdentifier": "before-migration",
                                                    "Tags.Tag.1.Key": "ticket", "Tags.Tag.1.Value": "OPS-1"}


@pytest.mark.parametrize("service, operation, params, code", [
    ("ecs", "update_service", {"cluster": "none", "service": "gone", "desiredCount": 1}, "ClusterNotFoundException"),
    ("rds", "reboot_db_instance", {"DBInstanceIdentifier": "gone"}, "DBInstanceNotFound"),
])
def test_a_failed_write_is_recorded_with_its_error(client, service, operation, params, code):
    with pytest.raises(ClientError):
        getattr(client(service), operation)(**params)
    [event] = lookup(client)
    assert event["record"]["errorCode"] == code and event["record"]["errorMessage"]
    assert "gone" in [r["ResourceName"] for r in event["Resources"]]


def history(client, **params) -> list[tuple[str, str, dict]]:
    items = client("cloudwatch").describe_alarm_history(**params)["AlarmHistoryItems"]
    return [(i["AlarmName"], i["HistorySummary"], json.loads(i["HistoryData"])) for i in items]


async def test_alarm_state_changes_are_state_updates_with_old_and_new_states(client, app):
    put_alarm(app, "cpu-high")
    put_alarm(app, "errors", state="ALARM", reason="5xx above 10")
    client("cloudwatch").set_alarm_state(AlarmName="cpu-high", StateValue="ALARM", StateReason="CPU at 97%")
    updates = history(client, AlarmName="cpu-high", HistoryItemType="StateUpdate")
    assert [(name, summary) for name, summary, _ in updates] == [("cpu-high", "Alarm updated from OK to ALARM")]
    assert updates[0][2] == {"version": "1.0",
                             "oldState": {"stateValue": "OK", "stateReason": "Unchecked: Initial alarm creation"},
                             "newState": {"stateValue": "ALARM", "stateReason": "CPU at 97%"}}
    assert [s for _, s, _ in history(client, AlarmName="cpu-high", ScanBy="TimestampAscending")] == [
        'Alarm "cpu-high" created', "Alarm updated from OK to ALARM"]
    assert [n for n, _, _ in history(client, HistoryItemType="StateUpdate")] == ["cpu-high", "errors"]
    assert (history(client, AlarmTypes=["CompositeAlarm"]), len(history(client, MaxRecords=1))) == ([], 1)
    detail = await read_alarm_detail(app, "errors")  # the app's own read
    assert ([i.summary for i in detail.history], detail.history_note) == (["Alarm updated from OK to ALARM"], "")


@pytest.mark.parametrize("text", HOSTILE, ids=["osc", "markup", "10kb", "unicode"])
def test_hostile_text_comes_back_exactly(client, app, text):
    put_alarm(app, text[:200])
    client("cloudwatch", user_agent_extra=text).set_alarm_state(AlarmName=text[:200], StateValue="ALARM",
                                                                 StateReason=text)
    [(name, _, data)] = history(client, HistoryItemType="StateUpdate")
    assert (name, data["newState"]["stateReason"]) == (text[:200], text)
    [event] = lookup(client, LookupAttributes=where("EventName", "SetAlarmState"))
    assert event["record"]["requestParameters"]["StateReason"] == text
    assert event["record"]["userAgent"].endswith(" " + text) and event["Resources"][0]["ResourceName"] == text[:200]


def test_scaling_activities_are_the_ones_added_filtered_and_paged(client, responder):
    scaling = client("application-autoscaling")
    assert scaling.describe_scaling_activities(ServiceNamespace="ecs")["ScalingActivities"] == []
    for minute, resource in enumerate(["service/prod/web", "service/prod/web", "service/prod/api"]):
        at = START + timedelta(minutes=minute)
        responder.add_scaling_activity(resource, f"Setting desired count to {minute + 2}.", "alarm high", start=at,
                                       end=at + timedelta(seconds=40))
    responder.add_scaling_activity("cluster:orders", "Adding a replica.", "target tracking", namespace="rds",
                                   dimension="rds:cluster:ReadReplicaCount", status="InProgress")
    web = scaling.describe_scaling_activities(ServiceNamespace="ecs", ResourceId="service/prod/web",
                                              ScalableDimension="ecs:service:DesiredCount")["ScalingActivities"]
    assert [a["Description"] for a in web] == ["Setting desired count to 3.", "Setting desired count to 2."]
    assert (web[0]["StartTime"], web[0]["EndTime"] - web[0]["StartTime"], web[0]["StatusCode"]) == (
        START + timedelta(minutes=1), timedelta(seconds=40), "Successful")
    pages = scaling.get_paginator("describe_scaling_activities").paginate(ServiceNamespace="ecs",
                                                                           PaginationConfig={"PageSize": 2})
    assert [[a["ResourceId"][13:] for a in page["ScalingActivities"]] for page in pages] == [["api", "web"], ["web"]]
    [rds] = scaling.describe_scaling_activities(ServiceNamespace="rds")["ScalingActivities"]
    assert (rds["StatusCode"], "EndTime" in rds) == ("InProgress", False)


@pytest.mark.parametrize("service, operation, params", [
    ("ecs", "describe_clusters", {"clusters": ["prod"]}), ("rds", "describe_db_snapshots", {}),
    ("cloudwatch", "describe_alarms", {}), ("sts", "get_caller_identity", {}), ("logs", "describe_log_groups", {}),
])
def test_everything_else_is_forwarded_unchanged(client, seeder, responder, service, operation, params):
    create_services(seeder, [ServiceSpec("prod", "web", desired=1)], tasks=False)
    create_instance(seeder, "orders-db")
    seeder.client("rds").create_db_snapshot(DBInstanceIdentifier="orders-db", DBSnapshotIdentifier="nightly")
    put_alarm(seeder, "cpu-high", state="ALARM")
    through = getattr(client(service, "testing"), operation)(**params)
    direct = getattr(seeder.client(service), operation)(**params)
    headers = [answer.pop("ResponseMetadata")["HTTPHeaders"] for answer in (through, direct)]
    assert through == direct and headers[0]["content-type"] == headers[1]["content-type"]
    assert headers[0]["date"].count("GMT") == 1  # moto's Date header, not a second one of the responder's
    assert sum(responder.requests.values()) == 1 and lookup(client) == []


@pytest.mark.parametrize("target, service, status", [
    ("AmazonEC2ContainerServiceV20141113.CreateCluster", "ecs", 200),  # moto makes the default cluster
    ("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", "cloudtrail", 500),  # moto's 500
])
def test_a_malformed_body_is_forwarded_and_a_write_still_recorded(client, responder, target, service, status):
    request = urllib.request.Request(responder.endpoint, data=b"{not json", method="POST", headers={
        "X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1",
        "Authorization": f"AWS4-HMAC-SHA256 Credential={ALICE}/20240501/{REGION}/{service}/aws4_request, Signature=0"})
    try:
        answered = urllib.request.urlopen(request).status
    except urllib.error.HTTPError as error:
        answered = error.code
    assert answered == status and responder.requests[target.rsplit(".", 1)[-1]] == 1
    recorded = [(e["EventName"], e["record"]["requestParameters"], e["Resources"]) for e in lookup(client)]
    assert recorded == ([("CreateCluster", None, [])] if service == "ecs" else [])
