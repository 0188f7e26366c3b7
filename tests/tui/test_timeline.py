"""The timeline's pieces without a server: a CloudTrail event read whole and safely, scope, the ECS and audit
sources in their window, and the exports (markdown for the post-mortem, JSON warroom.timeline/1)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from warroom.data.models import Change, Deployment, Fleet, Identity, Service, ServiceEvent, Timeline
from warroom.data.timeline import audit_changes, ecs_changes, in_scope, trail_change, via
from warroom.timeline import SCHEMA, as_json, markdown
from tests.hostile import as_message, corpus

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)
ME = Identity("123456789012", "arn:aws:sts::123456789012:assumed-role/oncall/alice", "us-east-1")


def event(params: object, agent: str = "aws-cli/2.15.0", **extra: object) -> dict:
    record = {"eventName": "UpdateService", "userAgent": agent, "requestParameters": params,
              "userIdentity": {"arn": "arn:aws:sts::123456789012:assumed-role/ci/gh"}, **extra}
    return {"EventId": "e1", "EventName": "UpdateService", "EventTime": NOW, "EventSource": "ecs.amazonaws.com",
            "Resources": [{"ResourceType": "AWS::ECS::Service", "ResourceName": "api"}],
            "CloudTrailEvent": json.dumps(record)}


def test_a_trail_event_says_what_matters_who_and_how():
    change = trail_change(event({"desiredCount": 5, "cluster": "prod", "service": "api"}))
    assert (change.what, change.actor, change.via, change.resource) == (
        "UpdateService desiredCount=5", "arn:aws:sts::123456789012:assumed-role/ci/gh", "cli", "api")
    failed = trail_change(event({"taskDefinition": "api:9"}, errorCode="AccessDenied"))
    assert failed.what == "UpdateService taskDefinition=api:9 · failed: AccessDenied"
    assert [via(a) for a in ("warroom Botocore/1.4", "console.amazonaws.com", "Terraform/1.7", "Boto3/1.3", "")] == \
        ["warroom", "console", "terraform", "sdk", ""]


def test_a_malformed_or_hostile_event_is_kept_as_sent():
    for _, value in corpus():
        text = as_message(value)
        change = trail_change({**event({}), "CloudTrailEvent": text, "EventName": text})
        assert change.raw == text and change.what.startswith(text)
    assert trail_change({"CloudTrailEvent": "[1, 2]"}).what == ""


def test_scope_alarms_by_prefix_databases_by_id_services_by_name():
    fleet = Fleet(clusters=("prod",), alarm_prefix="prod-", databases=("db1",))
    def one(kind: str, name: str) -> dict:
        return {"Resources": [{"ResourceType": kind, "ResourceName": name}]}
    assert in_scope(one("AWS::ECS::Service", "arn:aws:ecs:us-east-1:1:service/prod/api"), fleet, {"api", "prod"})
    assert not in_scope(one("AWS::ECS::Service", "other"), fleet, {"api", "prod"})
    assert in_scope(one("AWS::CloudWatch::Alarm", "prod-cpu"), fleet, set())
    assert not in_scope(one("AWS::CloudWatch::Alarm", "staging-cpu"), fleet, set())
    assert not in_scope(one("AWS::RDS::DBInstance", "db2"), fleet, set())
    assert in_scope(one("AWS::RDS::DBInstance", "db1"), fleet, set())
    assert in_scope({"Resources": []}, Fleet(), set()) and not in_scope({"Resources": []}, fleet, set())


def test_ecs_and_audit_changes_in_their_window():
    deployment = Deployment("d1", "PRIMARY", "FAILED", "circuit breaker", "arn:aws:ecs:r:1:task-definition/api:9", 2,
                            0, 2, 2, NOW - timedelta(minutes=30), NOW - timedelta(minutes=5))
    old = ServiceEvent("old", NOW - timedelta(hours=5), "long ago")
    service = Service(arn="a", cluster="prod", name="api", status="ACTIVE", desired=2, running=0, pending=2,
                      task_definition="api:9", launch_type="FARGATE", deployments=(deployment,),
                      events=(ServiceEvent("e", NOW - timedelta(minutes=4), "(service api) has started 1 tasks"), old))
    whats = [c.what for c in ecs_changes([service], NOW - timedelta(hours=2), NOW)]
    assert whats == ["(service api) has started 1 tasks", "deployment created: api:9",
                     "deployment FAILED: api:9 (circuit breaker)"]
    records = [
        {"id": "a", "phase": "intent", "time": (NOW - timedelta(minutes=3)).isoformat(), "account": ME.account,
         "region": ME.region, "action": "scale", "target": "prod/api", "before": "desired 2", "after": "desired 3",
         "caller": ME.arn, "cli": "aws ecs update-service"},
        {"id": "a", "phase": "outcome", "outcome": "ok", "account": ME.account, "region": ME.region},
        {"id": "b", "phase": "intent", "time": NOW.isoformat(), "account": "999999999999", "region": ME.region},
    ]
    [mine] = audit_changes(records, NOW - timedelta(hours=1), NOW, ME.account, ME.region)
    assert (mine.what, mine.actor, mine.via) == ("scale desired 2 → desired 3: ok", ME.arn, "warroom")


def test_markdown_oldest_first_and_json_with_its_schema():
    changes = (Change(NOW, "cloudtrail", "api", "UpdateService | desiredCount=3 \x1b[31m", "arn:x", "cli", "{}", "e1"),
               Change(NOW - timedelta(minutes=9), "alarm", "prod-cpu", "Alarm updated from OK to ALARM"))
    timeline = Timeline(NOW - timedelta(hours=2), NOW, changes, (("rds", "AccessDenied"),))
    text = markdown(timeline, "incident")
    rows = [line for line in text.splitlines() if line.startswith("| 2026")]
    assert rows[0].startswith("| 2026-12-02 02:51:00 | alarm") and "UpdateService \\| desiredCount=3" in rows[1]
    assert "\x1b" not in text and "_not read: rds: AccessDenied_" in text
    document = as_json(timeline, "prod", ME)
    assert document["schema"] == SCHEMA and [c["source"] for c in document["changes"]] == ["alarm", "cloudtrail"]
    assert document["changes"][1]["what"].endswith("\x1b[31m") and document["missing"] == [
        {"source": "rds", "why": "AccessDenied"}]


def test_a_deployment_is_joined_to_the_write_that_started_it():
    from warroom.data.timeline import started_by

    created = NOW - timedelta(minutes=30)
    deployment = Deployment("d2", "PRIMARY", "IN_PROGRESS", "", "arn:aws:ecs:r:1:task-definition/api:9", 2, 1, 1, 0,
                            created, created)

    def write(seconds: float, params: dict, name: str = "UpdateService") -> Change:
        raw = json.dumps({"requestParameters": params})
        return Change(created + timedelta(seconds=seconds), "cloudtrail", "api", name, f"arn:{seconds}", raw=raw)
    scale = write(-5, {"desiredCount": 3})  # nearest in time, but a scale starts no deployment
    other = write(30, {"taskDefinition": "api:8"})  # another revision
    mine = write(40, {"taskDefinition": "arn:aws:ecs:r:1:task-definition/api:9"})
    late = write(400, {"taskDefinition": "api:9"})  # too late to have started it
    assert started_by(deployment, [scale, other, mine, late]) is mine
    assert started_by(deployment, [write(-60, {"forceNewDeployment": True})]).actor == "arn:-60"
    assert started_by(deployment, [scale, late]) is None
