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
