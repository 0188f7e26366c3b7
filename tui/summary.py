"""One environment at a glance, for the overview: what needs a look, counted, with the fewest calls (the services
as the Services pane reads them, only the alarms in ALARM, the databases)."""

from __future__ import annotations

import asyncio

from warroom.data.aws import Aws
from warroom.data.cloudwatch import read_alarms
from warroom.data.ecs import read_services
from warroom.data.models import Fleet, Summary
from warroom.data.rds import read_databases
from warroom.health import database_ok


async def read_summary(aws: Aws, fleet: Fleet) -> Summary:
    services, firing, databases = await asyncio.gather(
        read_services(aws, fleet), read_alarms(aws, fleet.alarm_prefix, "ALARM"), read_databases(aws, fleet.databases))
    return Summary(
        services=len(services),
        below_desired=sum(1 for s in services if s.running < s.desired),
        rollouts_failed=sum(1 for s in services if s.rollout_state == "FAILED"),
        alarms_firing=len(firing),
        databases=len(databases),
        databases_down=sum(1 for d in databases if not database_ok(d)),
    )
