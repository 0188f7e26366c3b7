"""The timeline read against moto behind the demo's responder (CloudTrail and alarm history from what went
through it): every source, the call budget, one source refused, hostile names kept as sent and shown safe."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path


from warroom.audit import AuditLog
from warroom.config import Environment
from warroom.data.aws import Aws
from warroom.data.identity import whoami
from warroom.demo.world import ServiceSpec, create_services, put_alarm
from warroom.timeline import markdown, read_timeline
from tests.fault_proxy import FaultProxy
from tests.hostile import as_message, corpus


def window() -> tuple[datetime, datetime]:
    now = datetime.now(timezone.utc)
    return now - timedelta(hours=2), now + timedelta(minutes=1)


async def read(aws: Aws, env: Environment):
    audit = AuditLog(Path(tempfile.mkdtemp(prefix="warroom-test-")) / "audit.jsonl")
    return await read_timeline(aws, env, whoami(aws), audit, *window())


async def test_every_source_on_one_clock_within_the_call_budget(front):
    aws = Aws()
    create_services(aws, [ServiceSpec("prod", "api", 2, events=((30, "(service api) has reached a steady state."),))])
    put_alarm(aws, "prod-cpu")
    aws.client("cloudwatch").set_alarm_state(AlarmName="prod-cpu", StateValue="ALARM", StateReason="CPU high")
    aws.client("ecs").update_service(cluster="prod", service="api", desiredCount=5)
    before = dict(front.requests)
    timeline = await read(aws, Environment(name="t", clusters=("prod",), alarm_prefix="prod-"))
    assert {"cloudtrail", "alarm", "ecs"} <= {c.source for c in timeline.changes} and timeline.missing == ()
    update = next(c for c in timeline.changes if c.what.startswith("UpdateService"))
    assert update.what == "UpdateService desiredCount=5" and update.via == "warroom" and update.actor
    assert next(c for c in timeline.changes if c.source == "alarm").what == "Alarm updated from OK to ALARM"
    assert [c.at for c in timeline.changes] == sorted((c.at for c in timeline.changes), reverse=True)
    asked = {op: n - before.get(op, 0) for op, n in front.requests.items()}
    assert asked["LookupEvents"] == 1 and asked["DescribeAlarmHistory"] == 1  # one page each for this window


async def test_a_refused_source_is_named_and_the_others_shown(front, monkeypatch):
    proxy = FaultProxy(front.endpoint)
    proxy.fault, proxy.only = "AccessDeniedException", {"LookupEvents"}
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.endpoint)
    try:
        aws = Aws()
        create_services(aws, [ServiceSpec("prod", "api", 2, events=((30, "(service api) started"),))])
        timeline = await read(aws, Environment(name="t"))
    finally:
        proxy.close()
    missing = dict(timeline.missing)
    assert "AccessDenied" in missing["cloudtrail"] and any(c.source == "ecs" for c in timeline.changes)


async def test_hostile_alarm_names_are_kept_as_sent_and_shown_safe(front):
    aws = Aws()
    names = [as_message(value)[:200] for _, value in corpus() if as_message(value).strip()][:6]
    for name in names:
        put_alarm(aws, name)
        aws.client("cloudwatch").set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason=name)
    timeline = await read(aws, Environment(name="t"))
    assert {c.resource for c in timeline.changes if c.source == "alarm"} == set(names)
    text = markdown(timeline, "t")
    assert "\x1b" not in text and "\x07" not in text


async def test_the_stopped_tasks_of_a_service_below_desired_and_why(front):
    aws = Aws()
    create_services(aws, [ServiceSpec("prod", "api", 3, running=1, stopped=["Essential container exited"])])
    timeline = await read(aws, Environment(name="t", clusters=("prod",)))
    [stopped] = [c for c in timeline.changes if c.what.startswith("task ")]
    assert stopped.resource == "api" and "Essential container exited" in stopped.what


async def test_a_deployment_is_joined_to_the_update_that_started_it(front):
    from warroom.data.ecs import read_services
    from warroom.data.models import Fleet
    from warroom.data.timeline import read_service_writes, started_by

    from warroom.demo import rollouts

    aws = Aws()
    create_services(aws, [ServiceSpec("prod", "api", 2, revisions=2)])
    uninstall = rollouts.install()  # UpdateService starts a deployment, as ECS does
    try:
        aws.client("ecs").update_service(cluster="prod", service="api", taskDefinition="api:1")
    finally:
        uninstall()
    [service] = await read_services(aws, Fleet(clusters=("prod",)))
    writes = await read_service_writes(aws, "api", *window())
    primary = next(d for d in service.deployments if d.status == "PRIMARY")
    assert primary.task_definition.endswith("api:1")
    joined = started_by(primary, writes)
    assert joined is not None and joined.what == "UpdateService taskDefinition=api:1" and joined.via == "warroom"


def test_the_command_prints_json_and_markdown_and_says_what_it_could_not_read(front, tmp_path, capsys,
                                                                                monkeypatch):
    from warroom.cli import main

    monkeypatch.setenv("HOME", str(tmp_path))
    aws = Aws()
    create_services(aws, [ServiceSpec("prod", "api", 2)])
    aws.client("ecs").update_service(cluster="prod", service="api", desiredCount=4)
    config = tmp_path / "config.toml"
    config.write_text('[env.prod]\nclusters = ["prod"]\n')
    assert main(["timeline", "--config", str(config), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["schema"] == "warroom.timeline/1" and document["missing"] == []
    assert any(c["what"] == "UpdateService desiredCount=4" for c in document["changes"])
    assert main(["timeline", "--config", str(config), "--markdown", "--since", "1h"]) == 0
    assert "| UpdateService desiredCount=4 |" in capsys.readouterr().out
    proxy = FaultProxy(front.endpoint)
    proxy.fault, proxy.only = "AccessDeniedException", {"LookupEvents"}
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.endpoint)
    try:
        assert main(["timeline", "--config", str(config)]) == 1
    finally:
        proxy.close()
    assert "not read: cloudtrail: AccessDenied" in capsys.readouterr().err
