"""Target health against the moto server: one DescribeTargetHealth per target group, states counted."""

from __future__ import annotations

from warroom.data.ecs import read_services
from warroom.data.elb import read_target_health
from warroom.data.models import Fleet
from warroom.demo.world import ServiceSpec, create_services


async def test_states_are_counted_per_target_group_with_reasons(aws, seeder, calls):
    create_services(seeder, [ServiceSpec("prod", "api", 2, targets=("healthy", "healthy")),
                             ServiceSpec("prod", "web", 2, targets=("healthy", "stopped")),
                             ServiceSpec("prod", "worker", 1)], tasks=False)
    services = {s.name: s for s in await read_services(aws, Fleet())}
    assert services["worker"].target_groups == ()
    calls.clear()
    health = await read_target_health(aws, [arn for s in services.values() for arn in s.target_groups] * 2)
    assert calls.count("DescribeTargetHealth") == 2  # each group once, however often it is asked for
    api, web = health[services["api"].target_groups[0]], health[services["web"].target_groups[0]]
    assert (api.healthy, api.total, api.reasons) == (2, 2, ())
    assert (web.healthy, web.other, web.name) == (1, 1, "web-tg")
    assert "unused Target.InvalidState" in web.reasons[0]
