"""Rollback planning against the moto server: the revision that ran before, not blindly N-1."""

from __future__ import annotations

from warroom.data.ecs import read_service_detail
from warroom.data.models import family_revision
from warroom.demo.world import ServiceSpec, create_services
from warroom.rollback import differences, previous_revision


async def test_the_previous_deployment_wins(aws, seeder):
    create_services(seeder, [ServiceSpec("prod", "api", 1, revisions=5, previous_revision=3)], tasks=False)
    detail = await read_service_detail(aws, "prod", "api")
    assert previous_revision(detail).revision == 3


async def test_inactive_and_skipped_revisions_are_passed_over(aws, seeder):
    create_services(seeder, [ServiceSpec("prod", "api", 1, revisions=5)], tasks=False)
    seeder.client("ecs").deregister_task_definition(taskDefinition="api:4")
    detail = await read_service_detail(aws, "prod", "api")
    assert family_revision(detail.service.task_definition) == "api:5"
    assert previous_revision(detail).revision == 3


async def test_a_previous_deployment_whose_revision_is_inactive_is_not_offered(aws, seeder):
    create_services(seeder, [ServiceSpec("prod", "api", 1, revisions=5, previous_revision=4)], tasks=False)
    seeder.client("ecs").deregister_task_definition(taskDefinition="api:4")
    detail = await read_service_detail(aws, "prod", "api")
    assert previous_revision(detail).revision == 3


async def test_differences_name_images_and_env_keys_not_values(aws, seeder):
    create_services(seeder, [ServiceSpec("prod", "api", 1, revisions=2)], tasks=False)
    detail = await read_service_detail(aws, "prod", "api")
    current, target = detail.revisions[0], detail.revisions[1]
    lines = differences(current, target)
    assert lines == [f"app: image {current.containers[0].image} → {target.containers[0].image}"]
