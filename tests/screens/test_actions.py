"""Actions through the one gate, driven by keys against the moto server: state changes, audit, refusals."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import pytest
from botocore.stub import Stubber

from warroom.screens.confirm import ConfirmScreen
from warroom.screens.follow import FollowScreen
from tests.helpers import confirm_again, confirming, loaded, make_app, screen_text, settled, wait_for
from warroom.actions import Action, Command, Progress
from warroom.audit import AuditLog
from warroom.demo.world import ServiceSpec, backend_service, create_services


@pytest.fixture
def audit(tmp_path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


def desired(seeder, name: str = "api") -> int:
    return seeder.client("ecs").describe_services(cluster="prod", services=[name])["services"][0]["desiredCount"]


def app_for(aws, audit, **env):
    app = make_app(aws, **env)
    app.runner.audit = audit
    return app


async def open_scale(app, pilot, count: str) -> None:
    await loaded(pilot, "services")
    await pilot.press("s")
    await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
    await pilot.press("backspace", *count, "enter")  # the current count is selected: typing replaces it
    await wait_for(pilot, lambda: confirming(app))


async def test_scale_by_keys_changes_the_service_and_is_audited(aws, seeder, audit, calls):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    app = app_for(aws, audit)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_scale(app, pilot, "5")
        text = screen_text(app)
        assert "desired 2 → desired 5" in text
        assert "aws ecs update-service --cluster prod --service api --desired-count 5" in text
        assert app.focused.id == "cancel"
        calls.clear()
        await pilot.press("Y", "Y")  # a second press while in flight does nothing
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
        await wait_for(pilot, lambda: app.screen.settled is not None)
        assert calls.count("UpdateService") == 1
    assert desired(seeder) == 5
    records = list(audit.records())
    assert [r["phase"] for r in records] == ["intent", "outcome"]
    assert records[1]["outcome"] == "ok" and records[1]["request_id"]
    assert records[0]["cli"].endswith("--desired-count 5") and records[0]["caller"].startswith("arn:aws:sts::")


async def test_enter_on_cancel_and_escape_do_nothing(aws, seeder, audit, calls):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    app = app_for(aws, audit)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_scale(app, pilot, "3")
        await pilot.press("enter")  # a stray Enter lands on Cancel
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
        await pilot.press("enter")
        await wait_for(pilot, lambda: confirming(app))
        await pilot.press("escape")
        await pilot.pause(0.2)
    assert calls.count("UpdateService") == 0 and desired(seeder) == 2
    assert list(audit.records()) == []


async def test_scale_to_zero_asks_twice_and_says_why(aws, seeder, audit):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    app = app_for(aws, audit)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_scale(app, pilot, "0")
        assert "0 stops every task of api" in screen_text(app)
        await pilot.press("Y")
        await wait_for(pilot, lambda: "Asking again" in screen_text(app))
        await confirm_again(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
    assert desired(seeder) == 0


async def test_production_needs_the_target_name_typed(aws, seeder, audit):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    app = app_for(aws, audit, production=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_scale(app, pilot, "3")
        assert app.focused.id == "confirm-name"
        await pilot.press("Y", "enter")  # "Y" is typed into the field; Enter with the wrong name does nothing
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConfirmScreen) and desired(seeder) == 2
        await pilot.press("backspace", *"api", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
    assert desired(seeder) == 3


async def test_production_takes_the_code_shown_and_not_an_old_one(aws, seeder, audit):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    app = app_for(aws, audit, production=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_scale(app, pilot, "3")
        code = app.screen.code
        assert f"type {code} or api" in screen_text(app)
        await pilot.press(*("zzzz" if code != "zzzz" else "aaaa"), "enter")  # not the code: nothing happens
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConfirmScreen) and desired(seeder) == 2
        await pilot.press(*["backspace"] * 4, *code, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
    assert desired(seeder) == 3


async def test_read_only_hides_the_keys_and_refuses(aws, seeder, audit, calls):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    app = app_for(aws, audit, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, "services")
        assert "Scale" not in screen_text(app)
        await pilot.press("s", "D")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, ConfirmScreen)
        service = app.screen.pane("services").selected
        from warroom.actions import scale

        assert await app.gate.run(scale(service, 9)) == "refused"
    assert calls.count("UpdateService") == 0 and desired(seeder) == 2 and list(audit.records()) == []


async def test_a_target_changed_while_confirming_is_said_and_asked_again(aws, seeder, audit):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    app = app_for(aws, audit)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_scale(app, pilot, "6")
        backend_service("prod", "api").desired_count = 4  # someone else scaled it meanwhile
        await pilot.press("Y")
        await wait_for(pilot, lambda: "changed while the screen was open: desired 2 is now desired 4"
                       in screen_text(app))
        assert "desired 4 → desired 6" in screen_text(app)
        await confirm_again(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
    assert desired(seeder) == 6
    assert json.loads(audit.path.read_text().splitlines()[0])["before"] == "desired 4"


async def test_a_change_made_meanwhile_ends_the_flow_with_the_reason(aws, seeder, audit, calls):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    app = app_for(aws, audit)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_scale(app, pilot, "6")
        backend_service("prod", "api").desired_count = 6  # someone else made the same change meanwhile
        calls.clear()
        await pilot.press("Y")
        await wait_for(pilot, lambda: any("nothing to do, prod/api is now desired 6" in n.message
                                          for n in app._notifications))
        assert not isinstance(app.screen, (ConfirmScreen, FollowScreen))
    assert calls.count("UpdateService") == 0 and list(audit.records()) == []


async def test_redeploy_forces_a_new_deployment(aws, seeder, audit, calls):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    app = app_for(aws, audit)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, "services")
        await pilot.press("D")
        await wait_for(pilot, lambda: confirming(app))
        assert "--force-new-deployment" in screen_text(app)
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
    assert calls.named("UpdateService")[0]["forceNewDeployment"] is True
    assert [r["action"] for r in audit.records()] == ["force-deployment", "force-deployment"]


async def test_an_aws_error_is_shown_literally_and_audited(aws, seeder, audit):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    app = app_for(aws, audit)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_scale(app, pilot, "3")
        with Stubber(aws.client("ecs")) as stub:
            stub.add_response("describe_services", {"services": [{
                "serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/prod/api", "serviceName": "api",
                "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/prod", "desiredCount": 2}]})
            stub.add_client_error("update_service", "AccessDeniedException", "not allowed [bold]here[/]")
            await pilot.press("Y")
            await wait_for(pilot, lambda: len(list(audit.records())) == 2)
    outcome = list(audit.records())[1]
    assert (outcome["outcome"], outcome["error_code"], outcome["error_message"]) == (
        "error", "AccessDeniedException", "not allowed [bold]here[/]")
    assert desired(seeder) == 2


async def test_the_intent_is_on_disk_before_the_call_returns(aws, seeder, audit):
    """If the app is killed right after confirming, the audit log already says what was about to happen."""
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    release = asyncio.Event()

    async def slow_run(_aws) -> str:
        await release.wait()
        return "req-1"

    async def same(_aws) -> str:
        return "desired 2"

    async def settled(_aws) -> Progress:
        return Progress("done", settled=True)

    action = Action("scale", "Scale api", "prod/api", "api", "desired 2", "desired 7", Command("aws ecs ..."),
                    current=same, run=slow_run, follow=settled)
    app = app_for(aws, audit)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, "services")
        app.run_worker(app.gate.run(action))
        await wait_for(pilot, lambda: confirming(app))
        await pilot.press("Y")
        await wait_for(pilot, lambda: audit.path.exists())
        assert [r["phase"] for r in audit.records()] == ["intent"]
        assert oct(audit.path.stat().st_mode & 0o777) == "0o600"
        assert await app.gate.run(replace(action, after="desired 8")) == "busy"
        release.set()
        await wait_for(pilot, lambda: len(list(audit.records())) == 2)


async def open_rollback(pilot) -> str:
    """`R` on the first service: the revision picker's screen text."""
    await loaded(pilot, "services")
    await pilot.press("R")
    await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "RollbackScreen")
    await pilot.pause(0.2)
    return screen_text(pilot.app)


async def test_rollback_by_keys_offers_the_previous_revision_and_applies_it(aws, seeder, audit):
    create_services(seeder, [ServiceSpec("prod", "api", 2, revisions=5, previous_revision=3)], tasks=False)
    seeder.client("ecs").deregister_task_definition(taskDefinition="api:4")
    app = app_for(aws, audit)
    async with app.run_test(size=(120, 40)) as pilot:
        text = await open_rollback(pilot)
        assert "api:3" in text and "← ran before" in text and "api:4" not in text
        assert "image 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1.5.0 →" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: confirming(app))
        assert "api:5 → api:3" in screen_text(app)
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
    task_definition = seeder.client("ecs").describe_services(cluster="prod", services=["api"])["services"][0][
        "taskDefinition"]
    assert task_definition.endswith("task-definition/api:3")
    assert [r["after"] for r in audit.records()] == ["api:3", "api:3"]


async def test_r_offers_a_newer_revision_as_a_deploy_and_applies_it(aws, seeder, audit):
    create_services(seeder, [ServiceSpec("prod", "api", 2, revisions=4)], tasks=False)
    seeder.client("ecs").update_service(cluster="prod", service="api", taskDefinition="api:2")  # rolled back
    app = app_for(aws, audit)
    async with app.run_test(size=(120, 40)) as pilot:
        text = await open_rollback(pilot)
        assert "Roll back or deploy api" in text and "now running api:2" in text
        assert "api:4" in text and "api:3" in text and "newer: a deploy" in text and "api:1" in text
        await pilot.press("home")  # the list is newest first: api:4
        await pilot.pause(0.1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: confirming(app))
        text = screen_text(app)
        assert "Deploy api:4 to api" in text and "api:2 → api:4" in text and "Deploy (Y)" in text
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
    task_definition = seeder.client("ecs").describe_services(cluster="prod", services=["api"])["services"][0][
        "taskDefinition"]
    assert task_definition.endswith("task-definition/api:4")
    assert [(r["action"], r["after"]) for r in audit.records()] == [("deploy", "api:4"), ("deploy", "api:4")]


async def test_stop_a_running_task_with_a_reason(aws, seeder, audit):
    create_services(seeder, [ServiceSpec("prod", "api", 2)])
    app = app_for(aws, audit)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "services")
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        task = app.screen.detail.running_tasks[0]
        await pilot.press("tab", "x")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
        await pilot.press("ctrl+a", "ctrl+k", *"bad deploy", "enter")
        await wait_for(pilot, lambda: confirming(app))
        assert "reason: bad deploy" in screen_text(app)
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
        await wait_for(pilot, lambda: app.screen.settled is not None)
    stopped = seeder.client("ecs").describe_tasks(cluster="prod", tasks=[task.arn])["tasks"][0]
    assert (stopped["lastStatus"], stopped["stoppedReason"]) == ("STOPPED", "bad deploy")


async def test_silence_and_unsilence_an_alarm(aws, seeder, audit):
    from warroom.demo.world import put_alarm

    put_alarm(seeder, "prod-cpu", "ALARM")
    app = app_for(aws, audit)

    def enabled() -> bool:
        return seeder.client("cloudwatch").describe_alarms(AlarmNames=["prod-cpu"])["MetricAlarms"][0][
            "ActionsEnabled"]

    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "alarms")
        await pilot.press("2", "m")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
        await pilot.press("ctrl+a", "ctrl+k", *"45m", "enter")
        await wait_for(pilot, lambda: confirming(app))
        await settled(pilot)
        text = screen_text(app)
        assert "aws cloudwatch disable-alarm-actions --alarm-names prod-cpu" in text
        assert "No alarm mute rules here" in text and "after 45 min they show OVERDUE" in text
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
        await wait_for(pilot, lambda: app.screen.settled is not None)
        assert not enabled()
        await pilot.press("escape")
        await wait_for(pilot, lambda: "[actions off]" in screen_text(app))
        await wait_for(pilot, lambda: "SILENCED 1: prod-cpu 0s" in screen_text(app))
        await pilot.press("u")
        await confirm_again(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
        await wait_for(pilot, lambda: app.screen.settled is not None)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "SILENCED" not in screen_text(app))
    assert enabled()
    records = list(audit.records())
    assert [r["action"] for r in records] == ["silence", "silence", "alarm-actions-on", "alarm-actions-on"]
    assert records[1]["targets"] == ["prod-cpu"] and records[1]["until"]


async def test_silence_by_prefix_lists_the_alarms_and_re_enable_all(aws, seeder, audit):
    from warroom.demo.world import put_alarm

    for name in ("maint-db-cpu", "maint-db-connections", "maint-api-5xx", "other-cpu"):
        put_alarm(seeder, name, "OK")
    app = app_for(aws, audit)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "alarms")
        await pilot.press("2", "M")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
        await pilot.press("ctrl+a", "ctrl+k", *"maint-", "enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt" and
                       "how long" in screen_text(app))
        await pilot.press("ctrl+a", "ctrl+k", *"2h", "enter")
        await wait_for(pilot, lambda: confirming(app))
        await settled(pilot)
        text = screen_text(app)
        assert "3 of 3 alarm(s) with actions on → actions disabled until re-enabled" in text
        assert all(name in text for name in ("maint-db-cpu", "maint-db-connections", "maint-api-5xx"))
        assert "other-cpu" not in app.screen.action.targets and "other-cpu" not in " ".join(app.screen.action.details)
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen) and app.screen.settled is not None)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "SILENCED 3" in screen_text(app))
        line = next(line for line in screen_text(app).splitlines() if "SILENCED 3" in line)
        assert sum(name in line for name in ("maint-db-cpu", "maint-db-connections", "maint-api-5xx")) >= 2
        await pilot.press("U")
        await wait_for(pilot, lambda: confirming(app))
        await settled(pilot)
        assert "0 of 3 alarm(s) with actions on → 3 of 3" in screen_text(app)
        await confirm_again(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen) and app.screen.settled is not None)
    alarms = seeder.client("cloudwatch").describe_alarms()["MetricAlarms"]
    assert all(a["ActionsEnabled"] for a in alarms)


async def test_mute_rules_where_offered_end_by_themselves(seeder):
    """moto has no alarm mute rules: the PutAlarmMuteRule path is checked against the service model."""
    from datetime import datetime, timedelta, timezone

    from warroom import clock
    from warroom.alarm_actions import silence
    from warroom.data.aws import Aws
    from warroom.data.cloudwatch_changes import mute_rules_unavailable
    from warroom.data.models import Alarm

    asked = datetime(2026, 11, 23, 3, 0, 20, tzinfo=timezone.utc)
    alarms = [Alarm(f"arn:{i}", f"prod-{i}", "OK", "", None) for i in range(150)]
    aws = Aws(region="us-east-1")
    try:
        with Stubber(aws.client("cloudwatch")) as stub:
            stub.add_response("list_alarm_mute_rules", {"AlarmMuteRuleSummaries": []}, {"MaxRecords": 1})
            assert await mute_rules_unavailable(aws) == ""
            action = silence(alarms, 90, label="prod-*", start=asked, unavailable="")
            assert action.name == "mute" and action.after == "muted from 03:01 until about 04:31 UTC"
            assert "put-alarm-mute-rule" in action.cli.text and "Duration=PT90M" in action.cli.text
            confirmed = asked + timedelta(minutes=2)  # the window opens the minute after the confirm
            clock.freeze(confirmed)
            start = datetime(2026, 11, 23, 3, 3, tzinfo=timezone.utc)
            for index, chunk in enumerate((alarms[:100], alarms[100:])):
                stub.add_response("put_alarm_mute_rule", {"ResponseMetadata": {"RequestId": f"r{index}"}}, {
                    "Name": "warroom-prod-20261123-0300" + ("-2" if index else ""),
                    "MuteTargets": {"AlarmNames": [a.name for a in chunk]},
                    "Description": f"warroom: {len(chunk)} alarm(s) muted for 90 min",
                    "Rule": {"Schedule": {"Expression": "at(2026-11-23T03:03)", "Duration": "PT90M",
                                          "Timezone": "UTC"}},
                    "StartDate": start, "ExpireDate": start + timedelta(minutes=90)})
            assert await action.run(aws) == "r0 r1"
            for status in ("ACTIVE", "SCHEDULED"):
                stub.add_response("get_alarm_mute_rule", {"Status": status}, None)
            progress = await action.follow(aws)
            assert not progress.settled and "ACTIVE, SCHEDULED" in progress.line
            for status in ("EXPIRED", "EXPIRED"):
                stub.add_response("get_alarm_mute_rule", {"Status": status}, None)
            progress = await action.follow(aws)
            assert progress.settled and progress.failed  # a window that never opened is no silence
            stub.assert_no_pending_responses()
    finally:
        clock.freeze(None)
        aws.close()


async def test_g_grows_a_database_s_storage_at_least_10_percent_and_follows_it(aws, seeder, audit):
    from warroom.demo.world import create_aurora, create_instance

    create_instance(seeder, "prod-db", storage=100)
    create_aurora(seeder, "prod-aurora", instances=1)
    app = app_for(aws, audit)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "databases")
        app.screen.pane("databases").table.focus()
        await pilot.pause(0.1)
        rows = [d.id for d in app.screen.pane("databases").visible()]
        await pilot.press(*["j"] * rows.index("prod-db"), "enter")
        await wait_for(pilot, lambda: getattr(app.screen, "fresh", None) is not None and app.screen.fresh.last_ok)
        await pilot.press("G")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
        assert app.screen.query_one("#prompt-input").value == "110"
        assert "now 100 GiB; 110 to 65,536" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k", *"105", "enter")  # under 10 % more: refused, nothing asked
        await wait_for(pilot, lambda: app._notifications)
        assert "'105' is not a whole number of GiB from 110 to 65,536" in list(app._notifications)[-1].message
        await pilot.press("G")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
        await pilot.press("ctrl+a", "ctrl+k", *"150", "enter")
        await wait_for(pilot, lambda: confirming(app))
        text = screen_text(app)  # the command wraps inside the box
        assert "100 GiB → 150 GiB" in text and "Grow (Y)" in text
        assert "--db-instance-identifier prod-db --allocated-storage 150" in text and "--apply-immediately" in text
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
        await wait_for(pilot, lambda: app.screen.settled is not None)
        assert "prod-db: available, 150 GiB" in screen_text(app)
    described = seeder.client("rds").describe_db_instances(DBInstanceIdentifier="prod-db")["DBInstances"][0]
    assert described["AllocatedStorage"] == 150
    assert [(r["action"], r["after"]) for r in audit.records()] == [("grow-storage", "150 GiB")] * 2


def test_storage_range_is_10_percent_more_up_to_the_ceiling_and_never_aurora():
    from warroom.data.models import Database
    from warroom.screens.database_flows import storage_range

    def db(storage: int | None, ceiling: int | None = None, kind: str = "instance") -> Database:
        return Database("db", kind, "postgres", "15", "available", "db.t3.medium", False, storage,
                        max_storage_gb=ceiling)

    assert storage_range(db(100)) == (110, 65_536)
    assert storage_range(db(21, 500)) == (24, 500)
    assert storage_range(db(500, 500)) == "db: 500 GiB is already at its ceiling of 500 GiB"
    assert "Aurora storage grows by itself" in str(storage_range(db(None, kind="cluster")))


async def test_snapshot_a_database_from_its_screen(aws, seeder, audit):
    from warroom.demo.world import create_instance

    create_instance(seeder, "prod-db")
    app = app_for(aws, audit)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "databases")
        await pilot.press("3", "enter")
        await wait_for(pilot, lambda: app.screen.fresh.last_ok is not None)
        await pilot.press("S")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
        assert app.screen.query_one("#prompt-input").value.startswith("prod-db-manual-")
        await pilot.press("ctrl+a", "ctrl+k", *"prod-db-before-fix", "enter")
        await wait_for(pilot, lambda: confirming(app))
        text = screen_text(app)  # the command wraps inside the box
        assert "aws rds create-db-snapshot --db-instance-identifier prod-db" in text
        assert "--db-snapshot-identifier" in text and "prod-db-before-fix" in text
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
        await wait_for(pilot, lambda: app.screen.settled is not None)
        assert "snapshot prod-db-before-fix: available" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "prod-db-before-fix" in screen_text(app))
    ids = [s["DBSnapshotIdentifier"] for s in seeder.client("rds").describe_db_snapshots(
        DBInstanceIdentifier="prod-db")["DBSnapshots"]]
    assert "prod-db-before-fix" in ids


async def test_restore_a_snapshot_to_a_new_instance_with_the_source_placement(aws, seeder, audit):
    ec2, rds = seeder.client("ec2"), seeder.client("rds")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"][
        "SubnetId"] for i, z in ((1, "a"), (2, "b"))]
    group = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc)["GroupId"]
    rds.create_db_subnet_group(DBSubnetGroupName="prod-db-subnets", DBSubnetGroupDescription="db",
                               SubnetIds=subnets)
    rds.create_db_instance(DBInstanceIdentifier="prod-db", Engine="postgres", DBInstanceClass="db.r6g.large",
                           AllocatedStorage=100, MasterUsername="app", MasterUserPassword="demo-password-1",
                           DBSubnetGroupName="prod-db-subnets", VpcSecurityGroupIds=[group])
    rds.create_db_snapshot(DBInstanceIdentifier="prod-db", DBSnapshotIdentifier="prod-db-nightly")
    rds.create_db_instance(DBInstanceIdentifier="prod-db-taken", Engine="postgres", DBInstanceClass="db.t3.micro",
                           AllocatedStorage=20, MasterUsername="app", MasterUserPassword="demo-password-1")
    app = app_for(aws, audit)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "databases")
        await pilot.press("3")
        assert app.screen.pane("databases").selected.id == "prod-db"
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(app.screen, "snapshots", ()) != ())
        await pilot.press("tab", "T")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "RestoreForm")
        assert app.screen.query_one("#restore-class").value == "db.r6g.large"
        assert app.screen.query_one("#restore-subnet").value == "prod-db-subnets"
        assert app.screen.query_one("#restore-groups").value == group
        await pilot.press("ctrl+a", "ctrl+k", *"prod-db-taken", "enter")  # an id that exists is refused
        await wait_for(pilot, lambda: any("prod-db-taken already exists" in n.message
                                          for n in app._notifications))
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "RestoreForm")
        await pilot.press("ctrl+a", "ctrl+k", *"prod-db-restored", "enter")
        await wait_for(pilot, lambda: confirming(app))
        text = screen_text(app)
        assert "instance prod-db-restored" in text and "does not exist → restored from prod-db-nightly" in text
        assert "restore-db-instance-from-db-snapshot --db-instance-identifier prod-db-restored" in text
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen) and app.screen.settled is not None)
        assert "instance prod-db-restored: available" in screen_text(app)
    restored = rds.describe_db_instances(DBInstanceIdentifier="prod-db-restored")["DBInstances"][0]
    assert restored["DBInstanceClass"] == "db.r6g.large"
    assert restored["DBSubnetGroup"]["DBSubnetGroupName"] == "prod-db-subnets"
    assert [g["VpcSecurityGroupId"] for g in restored["VpcSecurityGroups"]] == [group]
    assert [(r["phase"], r["action"], r["target"]) for r in audit.records()] == [
        ("intent", "restore", "instance prod-db-restored"), ("outcome", "restore", "instance prod-db-restored")]
