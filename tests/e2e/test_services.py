"""The ECS runbook tasks in a real terminal: scale and verify, force a new deployment, roll back a FAILED rollout,
stop a running task. Each asserts what the person reads and the server's state afterwards."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import confirm, main_screen, only, prompt, scale, settled

MODES = [pytest.param(False, id="plain"), pytest.param(True, id="production")]


def service(seeder, cluster: str, name: str) -> dict:
    return seeder.client("ecs").describe_services(cluster=cluster, services=[name])["services"][0]


@pytest.mark.parametrize("production", MODES)
def test_scale_and_verify(world, start, keys, seeder, production):
    app = start("scale and verify", production=production)
    main_screen(app)
    only(app, "contin")
    scale(app, 2, 5)
    line, log = settled(app)
    keys(app)
    assert "settled after" in line and "running 5/5, pending 0" in line, line
    now = service(seeder, "continuum-production-cluster", "continuum-production-service")
    assert (now["desiredCount"], now["runningCount"]) == (5, 5)
    assert [r["phase"] for r in app.audit()] == ["intent", "outcome"] and app.audit()[1]["outcome"] == "ok"


@pytest.mark.parametrize("production", MODES)
def test_force_a_new_deployment_and_see_it_finish(world, start, keys, seeder, production):
    before = service(seeder, "omnirapeutic-production", "omnirapeutic-production-api")["deployments"]
    app = start("force a new deployment, see it finish", production=production)
    main_screen(app)
    only(app, "-api")
    app.terminal.press("D")
    confirm(app)
    line, log = settled(app)
    keys(app)
    assert "settled after" in line and "new deployment omnirapeutic-production-api:5: COMPLETED, running 3/3" in line
    assert "omnirapeutic-production-api:5: IN_PROGRESS" in log  # the new deployment, replacing every task
    now = service(seeder, "omnirapeutic-production", "omnirapeutic-production-api")["deployments"]
    assert len(now) == 1 and now[0]["rolloutState"] == "COMPLETED" and now[0]["id"] not in {d["id"] for d in before}


@pytest.mark.parametrize("production,size", [(False, "80x24"), (True, "80x24"), (False, "200x50")])
def test_roll_back_a_failed_rollout_to_completed(world, start, keys, seeder, production, size):
    app = start("roll back a FAILED rollout", production=production, size=size)
    main_screen(app)
    only(app, "pardon")
    app.terminal.press("R")
    app.terminal.wait("ran before")
    app.terminal.press("Enter")
    app.terminal.wait("pardon-production-service:9 →")
    confirm(app)
    line, log = settled(app)
    keys(app)
    assert "settled after" in line and "new deployment pardon-production-service:8: COMPLETED, running 2/2" in line
    assert "pardon-production-service:8: IN_PROGRESS" in log
    now = service(seeder, "pardon-production-cluster", "pardon-production-service")
    assert now["taskDefinition"].endswith("pardon-production-service:8")
    assert [d["rolloutState"] for d in now["deployments"]] == ["COMPLETED"] and now["runningCount"] == 2
    app.terminal.press("Escape")
    app.terminal.wait(lambda s: "pardon-production-service" in s and "COMPLETED" in s and "2/2/0" in s)


@pytest.mark.parametrize("production", MODES)
def test_stop_a_running_task(world, start, keys, seeder, production):
    app = start("stop a running task", production=production, size="200x50")  # the task list in sight
    main_screen(app)
    only(app, "-api")
    app.terminal.press("Enter")
    app.terminal.wait(lambda s: "Running tasks (x stops" in s and "  RUNNING  " in s)
    app.terminal.press("x")
    prompt(app, "Reason for stopping task")
    app.terminal.press("Enter")
    confirm(app)
    line, log = settled(app)
    keys(app)
    assert "settled after" in line and "STOPPED: stopped from warroom by" in line, line
    tasks = seeder.client("ecs").list_tasks(cluster="omnirapeutic-production", desiredStatus="STOPPED")["taskArns"]
    stopped = seeder.client("ecs").describe_tasks(cluster="omnirapeutic-production", tasks=tasks)["tasks"]
    assert [t["stoppedReason"] for t in stopped if t["stoppedReason"].startswith("stopped from warroom")]


@pytest.mark.parametrize("production,ticked", [(False, False), (False, True), (True, True)])
def test_scale_past_the_autoscalers_max(world, start, seeder, production, ticked):
    """The confirm screen warns, read whole at 80 columns; left alone, the demo's autoscaler moves the count back;
    with the box ticked, max moves too and the count stays."""
    app = start("", production=production)
    main_screen(app)
    only(app, "-api")
    app.terminal.wait("3/3/0 max")
    app.terminal.press("s")
    prompt(app, "autoscaling min 2 max 3")
    app.terminal.type("5")
    app.terminal.press("Enter")
    screen = prompt(app, "desired 3 → desired 5")  # and a moment for the focus to land (see `prompt`)
    rows = screen.splitlines()
    first = next(i for i, row in enumerate(rows) if "⚠" in row)
    last = next(i for i, row in enumerate(rows) if "set the bound too" in row)
    warning = " ".join(row.split("█")[1].strip() for row in rows[first:last + 1])  # inside the confirm's borders
    assert "5 is above its max 3: the autoscaler will move the desired count back within minutes" in warning
    scaling = seeder.client("application-autoscaling")
    if ticked:
        app.terminal.press("BTab")
        app.terminal.press("Space")
        app.terminal.wait("autoscaling min 2 max 5")  # the change line, for the variant (wrapped at 80 columns)
        assert "desired 3 · autoscaling min 2 max 3 → desired 5 ·" in app.terminal.screen()
        confirm(app)
    else:
        confirm(app)
        app.terminal.wait("Asking again")
        confirm(app)
    line, _ = settled(app)
    assert "settled after" in line and "running 5/5" in line, line
    app.terminal.press("Escape")
    target = scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    api = next(t for t in target if t["ResourceId"].endswith("/omnirapeutic-production-api"))
    if ticked:
        assert (api["MinCapacity"], api["MaxCapacity"]) == (2, 5)
        app.terminal.wait("5/5/0 max")
        assert service(seeder, "omnirapeutic-production", "omnirapeutic-production-api")["desiredCount"] == 5
    else:
        assert (api["MinCapacity"], api["MaxCapacity"]) == (2, 3)
        app.terminal.wait("5/5/0 max")
        app.terminal.wait("3/3/0 max", 60)  # the demo's autoscaler moved it back, as AWS's would
        assert service(seeder, "omnirapeutic-production", "omnirapeutic-production-api")["desiredCount"] == 3


def test_editing_keys_typed_in_one_burst_act_in_order(world, start, seeder):
    """Backspace and Enter typed with the digits around them in one write: the count is what was typed. Through
    Textual's bindings they ran after the characters typed behind them, and the prompt never asked for 14."""
    app = start("")
    main_screen(app)
    only(app, "contin")
    app.terminal.press("s")
    prompt(app, "desired count")
    app.terminal.burst("9", "BSpace", "BSpace", "1", "2", "BSpace", "4", "Enter")
    app.terminal.wait("desired 2 → desired 14")
    app.terminal.press("Escape")
    app.terminal.wait(lambda s: "Back (Esc)" not in s)
    assert service(seeder, "continuum-production-cluster", "continuum-production-service")["desiredCount"] == 2
