"""The demo world: the runbook-shaped fleet and the simulator that moves it, read back over HTTP."""

from __future__ import annotations

from tui.data.cloudwatch import read_alarms
from tui.data.ecs import read_services
from tui.data.models import Fleet
from tui.data.rds import read_databases
from tui.demo import fleet
from tui.demo.simulator import Simulator


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
    services = {s.name: s for s in await read_services(aws, Fleet())}
    web = services["omnirapeutic-production-web"]
    assert (web.running, web.desired, web.rollout_state) == (2, 2, "COMPLETED")
    assert web.events[0].message == "(service omnirapeutic-production-web) has reached a steady state."
    assert services["pardon-production-service"].rollout_state == "FAILED"
    logs = seeder.client("logs").filter_log_events(logGroupName="/ecs/pardon-production")
    assert logs["events"]
