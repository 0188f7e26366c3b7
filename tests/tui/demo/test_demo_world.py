"""The demo world: the runbook-shaped fleet and the simulator that moves it, read back over HTTP."""

from __future__ import annotations

from warroom.data.cloudwatch import read_alarms
from warroom.data.ecs import read_services
from warroom.data.models import Fleet
from warroom.data.rds import read_databases
from warroom.demo import fleet
from warroom.demo.simulator import Simulator


async def test_seeded_fleet_is_runbook_shaped(aws, seeder):
    fleet.seed(seeder)
    services = await read_services(aws, Fleet())
    names = {s.name for s in services}
    assert {"continuum-production-service", "omnirapeutic-production-api", "omnirapeutic-production-web",
            "omnirapeutic-production-worker", "pardon-production-service"} <= names
    assert any(s.running < s.desired for s in services)
    alarms = await read_alarms(aws)
    assert sum(a.state == "ALARM" for a in alarms) >= 3
    databases = await read_databases(aws)
    assert {"omnirapeutic-production", "continuum-production-db"} <= {d.id for d in databases}


async def test_simulator_converges_running_toward_desired_with_events(aws, seeder):
    fleet.seed(seeder)
    simulator = Simulator(seeder, seed=7)
    for _ in range(12):
        simulator.tick()
    simulator.stop()
    services = {s.name: s for s in await read_services(aws, Fleet())}
    web = services["omnirapeutic-production-web"]
    assert (web.running, web.desired, web.rollout_state) == (2, 2, "COMPLETED")
    assert web.events[0].message == "(service omnirapeutic-production-web) has reached a steady state."
    assert services["pardon-production-service"].rollout_state == "FAILED"
    logs = seeder.client("logs").filter_log_events(logGroupName="/ecs/pardon-production")
    assert logs["events"]


async def test_a_rollback_rolls_out_and_a_bad_revision_fails(aws, seeder):
    """UpdateService with an earlier revision starts a new deployment that replaces the tasks and completes; a
    forced deployment of the revision that failed at start fails again."""
    fleet.seed(seeder)
    simulator = Simulator(seeder, seed=3)
    try:
        ecs = seeder.client("ecs")
        before = {s.name: s for s in await read_services(aws, Fleet())}["pardon-production-service"]
        ecs.update_service(cluster="pardon-production-cluster", service="pardon-production-service",
                           taskDefinition="pardon-production-service:8")
        started = {s.name: s for s in await read_services(aws, Fleet())}["pardon-production-service"]
        new = started.primary
        assert new.id not in {d.id for d in before.deployments}
        assert (new.rollout_state, new.running, len(started.deployments)) == ("IN_PROGRESS", 0, 3)
        for _ in range(20):
            simulator.tick()
        done = {s.name: s for s in await read_services(aws, Fleet())}["pardon-production-service"]
        assert (done.primary.id, done.primary.rollout_state, done.running, len(done.deployments)) == (
            new.id, "COMPLETED", 2, 1)
        assert done.task_definition.endswith("pardon-production-service:8")
        ecs.update_service(cluster="omnirapeutic-production", service="omnirapeutic-production-api",
                           forceNewDeployment=True)
        ecs.update_service(cluster="pardon-production-cluster", service="pardon-production-service",
                           taskDefinition=before.task_definition)
        for _ in range(20):
            simulator.tick()
        services = {s.name: s for s in await read_services(aws, Fleet())}
        assert services["pardon-production-service"].primary.rollout_state == "FAILED"
        assert services["omnirapeutic-production-api"].rollout_state == "COMPLETED"
        assert len(services["omnirapeutic-production-api"].deployments) == 1
    finally:
        simulator.stop()
