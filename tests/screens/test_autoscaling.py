"""Autoscaled services against moto's Application Auto Scaling: the Services pane's marks, a scale outside
[min, max] (warned, or with the bound moved in the same confirm), the service screen's target, policies and
activities (from the demo's responder), and `check`'s `scaling` kind."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from warroom.check import run_check
from warroom.config import Environment
from warroom.data.autoscaling import with_scaling
from warroom.data.aws import Aws
from warroom.data.ecs import read_services
from warroom.data.identity import whoami
from warroom.data.models import Fleet
from warroom.demo.world import ServiceSpec, autoscale, create_services
from warroom.screens.follow import FollowScreen
from warroom.screens.service_detail import ServiceDetailScreen
from tests.helpers import confirm_again, confirming, loaded, make_app, screen_text, wait_for
from tests.hostile import as_message, corpus

API = "service/prod/api"


def bounds(seeder: Aws) -> tuple[int, int]:
    target = seeder.client("application-autoscaling").describe_scalable_targets(
        ServiceNamespace="ecs", ResourceIds=[API])["ScalableTargets"][0]
    return target["MinCapacity"], target["MaxCapacity"]


def desired(seeder: Aws) -> int:
    return seeder.client("ecs").describe_services(cluster="prod", services=["api"])["services"][0]["desiredCount"]


@pytest.fixture
def fleet(seeder):
    """api autoscaled 2-3 and pinned at 3; web autoscaled 1-10 at 2; worker not autoscaled."""
    create_services(seeder, [ServiceSpec("prod", "api", 3), ServiceSpec("prod", "web", 2),
                             ServiceSpec("prod", "worker", 1)], tasks=False)
    autoscale(seeder, "prod", "api", 2, 3)
    autoscale(seeder, "prod", "web", 1, 10)


async def api_selected(app, pilot) -> None:
    await loaded(pilot, "services")
    await wait_for(pilot, lambda: app.screen.pane("services").selected.name == "api")


async def scale_to(app, pilot, count: str) -> None:
    await api_selected(app, pilot)
    await pilot.press("s")
    await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
    await pilot.press("backspace", *count, "enter")
    await wait_for(pilot, lambda: confirming(app))


async def test_the_services_pane_marks_autoscaled_services_and_those_at_their_max(aws, fleet):
    app = make_app(aws)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot, "services")
        text = screen_text(app)
    assert "3/3/0 max" in text and "2/2/0 auto" in text
    assert "1/1/0 " in text and "1/1/0 auto" not in text and "1/1/0 max" not in text


async def test_scale_above_max_with_the_box_ticked_moves_max_and_desired(aws, seeder, fleet, calls):
    app = make_app(aws)
    async with app.run_test(size=(100, 40)) as pilot:
        await scale_to(app, pilot, "5")
        text = screen_text(app)
        assert "5 is above its max 3: the autoscaler will move the desired count" in text
        await pilot.press("shift+tab")
        assert app.focused.id == "confirm-variant"
        await pilot.press("space")
        await wait_for(pilot, lambda: "autoscaling min 2 max 5" in screen_text(app))
        text = screen_text(app)
        assert "desired 3 · autoscaling min 2 max 3 → desired 3 · autoscaling min 2 max 5" not in text  # count too
        assert "desired 3 · autoscaling min 2 max 3 → desired 5 · autoscaling min 2 max 5" in text
        assert "register-scalable-target" in text and "--max-capacity 5" in text
        calls.clear()
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
    assert bounds(seeder) == (2, 5) and desired(seeder) == 5
    assert calls.count("RegisterScalableTarget") == 1 and calls.count("UpdateService") == 1
    intent, outcome = list(app.runner.audit.records())
    assert intent["cli"].startswith("aws application-autoscaling register-scalable-target --service-namespace ecs")
    assert intent["cli"].endswith("&& aws ecs update-service --cluster prod --service api --desired-count 5")
    assert intent["after"] == "desired 5 · autoscaling min 2 max 5" and outcome["outcome"] == "ok"


async def test_scale_below_min_without_the_box_asks_twice_and_leaves_the_bounds(aws, seeder, fleet, calls):
    app = make_app(aws)
    async with app.run_test(size=(100, 40)) as pilot:
        await scale_to(app, pilot, "1")
        assert "1 is below its min 2" in screen_text(app)
        await pilot.press("Y")
        await confirm_again(pilot)  # the warning asks again
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
    assert desired(seeder) == 1 and bounds(seeder) == (2, 3)
    assert calls.count("RegisterScalableTarget") == 0


async def test_scale_within_the_bounds_offers_no_box(aws, fleet):
    app = make_app(aws)
    async with app.run_test(size=(100, 40)) as pilot:
        await scale_to(app, pilot, "2")
        assert not app.screen.query("#confirm-variant") and "autoscaler" not in screen_text(app)


async def test_the_service_screen_shows_target_policies_and_activities_literally(front, fleet):
    now = datetime.now(timezone.utc)
    hostile = [as_message(value) for _, value in corpus()]
    for minutes, value in enumerate(hostile):
        front.add_scaling_activity(API, value, value, start=now - timedelta(minutes=minutes + 5))
    front.add_scaling_activity(API, "Setting desired count to 3.", "alarm High triggered policy", start=now)
    aws = Aws()  # through the responder, which serves DescribeScalingActivities (moto does not)
    text = await detail_text(make_app(aws))
    aws.close()
    assert "min 2 max 3 · desired 3 · at its max: more load gets no more tasks" in text
    assert "policy api-cpu-step · StepScaling · ChangeInCapacity +1" in text
    assert "Successful · Setting desired count to 3. · alarm High triggered policy" in text
    assert "[link=http://x]y[/link] · [link=http://x]y[/link]" in text  # markup shown as written
    assert not any(c in text for c in "\x1b\x07\x9b\x9d\x08\r")


async def detail_text(app) -> str:
    """The api service's screen, as shown once read."""
    async with app.run_test(size=(160, 60)) as pilot:
        await api_selected(app, pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ServiceDetailScreen) and app.screen.detail is not None)
        await pilot.pause(0.3)
        return screen_text(app)


async def test_activities_that_cannot_be_read_are_said_so(aws, fleet):
    text = await detail_text(make_app(aws))
    assert "min 2 max 3" in text and "scaling activities not read: " in text


async def test_targets_are_read_fifty_services_a_call(aws, seeder, calls):
    create_services(seeder, [ServiceSpec("big", f"svc-{i:02d}", 1) for i in range(60)], tasks=False)
    for i in (0, 30, 59):
        autoscale(seeder, "big", f"svc-{i:02d}", 1, 4)
    calls.clear()
    services = await read_services(aws, Fleet())
    assert calls.count("DescribeScalableTargets") == 2
    assert [s.name for s in services if s.scaling] == ["svc-00", "svc-30", "svc-59"]
    assert all(s.scaling.low == 1 and s.scaling.high == 4 for s in services if s.scaling)
    assert await with_scaling(aws, []) == ()


async def test_check_reports_a_service_pinned_at_its_max(aws, fleet):
    now = datetime.now(timezone.utc)
    report = await run_check(aws, Environment(name="test"), whoami(aws), now - timedelta(hours=1), now, 10)
    scaling = {f.resource: f for f in report.findings if f.check == "scaling"}
    assert scaling["prod/api"].status == "problem" and scaling["prod/api"].detail == "pinned at its autoscaling max 3"
    assert scaling["prod/web"].status == "ok" and scaling["prod/web"].detail == "desired 2, min 1 max 10"
    assert "prod/worker" not in scaling
    assert report.summary()["scaling"] == {"checked": 2, "problems": 1}
