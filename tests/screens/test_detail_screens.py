"""The detail screens against the moto server: actions on their resource, tasks that can be stopped, cut tables
that say so and show a row whole, the alarm history said plainly."""

from __future__ import annotations

from warroom.screens.alarm_detail import history_note
from warroom.screens.follow import FollowScreen
from warroom.screens.row_view import RowScreen
from tests.helpers import confirm_again, confirming, loaded, make_app, screen_text, settled, wait_for
from warroom.demo.world import ServiceSpec, create_services, ecs_backend, put_alarm

LONG_REASON = ("Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:"
               "targetgroup/api-tg/0123456789abcdef) after 3 consecutive failures: the end is here")


async def open_detail(app, pilot, *keys: str) -> str:
    await loaded(pilot)
    await pilot.press(*keys)
    await wait_for(pilot, lambda: app.screen.fresh.last_ok is not None)
    await settled(pilot)
    return screen_text(app)


async def test_running_tasks_lists_only_tasks_that_can_be_stopped(aws, seeder):
    create_services(seeder, [ServiceSpec("prod", "api", 3, stopped=(LONG_REASON,))])
    leaving = next(t for t in ecs_backend().tasks["prod"].values() if t.last_status == "RUNNING")
    leaving.last_status = "DEACTIVATING"
    app = make_app(aws)
    async with app.run_test(size=(80, 80)) as pilot:
        text = await open_detail(app, pilot, "enter")
        running = text.split("Running tasks")[1].split("Stopped tasks")[0]
        assert running.count("RUNNING") == 2 and "DEACTIVATING" not in running and "STOPPED" not in running
        stopped = text.split("Stopped tasks")[1].split("ACTIVE revisions")[0]
        assert leaving.id in stopped and "DEACTIVATING" in stopped
        assert "STOPPED" in stopped and "the end is here" in stopped  # the whole reason, wrapped
        shown = app.screen.running[0]
        await pilot.press("x")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
        prompt = screen_text(app)
        assert "Reason for stopping task" in prompt and shown.short_id[-12:] in prompt


async def test_the_service_screen_scales_redeploys_and_rolls_back(aws, seeder, calls):
    create_services(seeder, [ServiceSpec("prod", "api", 2, previous_revision=2)], tasks=False)
    app = make_app(aws)
    async with app.run_test(size=(120, 40)) as pilot:
        text = await open_detail(app, pilot, "enter")
        footer = text.splitlines()[-1]
        assert all(key in footer for key in ("s Scale", "D Redeploy", "R Roll back", "x Stop task", "esc Back"))
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
        await pilot.press("backspace", "4", "enter")
        await wait_for(pilot, lambda: confirming(app))
        assert "desired 2 → desired 4" in screen_text(app)
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ServiceDetailScreen")
        await pilot.press("D")
        await wait_for(pilot, lambda: confirming(app))
        assert "--force-new-deployment" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ServiceDetailScreen")
        await pilot.press("R")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "RollbackScreen")
        await settled(pilot)
        assert "api:2" in screen_text(app) and "← ran before" in screen_text(app)
    assert seeder.client("ecs").describe_services(cluster="prod", services=["api"])["services"][0][
        "desiredCount"] == 4
    assert calls.count("UpdateService") == 1


async def test_the_alarm_screen_silences_and_re_enables(aws, seeder):
    put_alarm(seeder, "prod-cpu", "ALARM")
    app = make_app(aws)

    def enabled() -> bool:
        return seeder.client("cloudwatch").describe_alarms(AlarmNames=["prod-cpu"])["MetricAlarms"][0][
            "ActionsEnabled"]

    async with app.run_test(size=(120, 40)) as pilot:
        text = await open_detail(app, pilot, "2", "enter")
        assert "m Silence" in text.splitlines()[-1] and "u Unsilence" in text.splitlines()[-1]
        await pilot.press("m")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
        await pilot.press("enter")
        await wait_for(pilot, lambda: confirming(app))
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen) and app.screen.settled is not None)
        assert not enabled()
        await pilot.press("escape")
        await wait_for(pilot, lambda: "DISABLED" in screen_text(app))
        await pilot.press("u")
        await confirm_again(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen) and app.screen.settled is not None)
    assert enabled()


async def test_read_only_detail_keys_say_read_only(aws, seeder, calls):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    app = make_app(aws, read_only=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        text = await open_detail(app, pilot, "enter")
        assert "s Scale" not in text.splitlines()[-1] and "x Stop task" not in text.splitlines()[-1]
        await pilot.press("x")
        await wait_for(pilot, lambda: "read-only: Stop task refused" in screen_text(app))
        await pilot.press("D")
        await wait_for(pilot, lambda: "read-only: Redeploy refused" in screen_text(app))
        assert app.screen.__class__.__name__ == "ServiceDetailScreen"
    assert calls.count("UpdateService") == 0 and calls.count("StopTask") == 0


async def test_a_cut_table_says_so_and_enter_shows_the_row_whole(aws, seeder):
    create_services(seeder, [ServiceSpec("prod", "a-service-with-a-rather-long-name-indeed", 2)], tasks=False)
    app = make_app(aws)
    async with app.run_test(size=(80, 60)) as pilot:
        text = await open_detail(app, pilot, "enter")
        await wait_for(pilot, lambda: "Deployments · cut at this width: ⏎ shows a row whole" in screen_text(app))
        text = screen_text(app)
        deployments = next(line for line in text.splitlines() if "PRIMARY" in line)
        created = app.screen.detail.service.deployments[0].created_at.strftime("%Y-%m-%d %H:%M:%S")
        assert created not in deployments
        app.screen.query_one("#deployments").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RowScreen))
        await settled(pilot)
        whole = screen_text(app)
        assert "Created" in whole and created in whole and "a-service-with-a-rather-long-name-indeed:" in whole
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ServiceDetailScreen")
        await pilot.resize_terminal(200, 60)
        await settled(pilot)
        await pilot.pause(0.3)
        assert "Deployments · cut" not in screen_text(app) and "Deployments" in screen_text(app)


def test_the_history_note_says_plainly_when_the_endpoint_has_no_history():
    moto = "history unavailable: HTTP 500 (DescribeAlarmHistory): the endpoint answered with an error page (it ...)"
    assert history_note(moto) == "alarm history: not offered by this endpoint"
    assert history_note("history unavailable: NotOffered (DescribeAlarmHistory): the endpoint does not offer "
                        "DescribeAlarmHistory") == "alarm history: not offered by this endpoint"
    denied = "history unavailable: AccessDeniedException (DescribeAlarmHistory): not authorized"
    assert history_note(denied) == denied
