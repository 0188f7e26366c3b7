"""ECS reads against the moto server: batching by AWS's limits, parsing, the service detail."""

from __future__ import annotations

import pytest

from warroom.data.ecs import read_service_detail, read_services
from warroom.data.models import Fleet, family_revision
from warroom.demo.world import ServiceSpec, create_services


async def test_25_services_read_with_one_list_and_three_describes(aws, seeder, calls):
    create_services(seeder, [ServiceSpec("c1", f"svc-{i:02d}", 1) for i in range(25)], tasks=False)
    services = await read_services(aws, Fleet())
    assert sorted(s.name for s in services) == [f"svc-{i:02d}" for i in range(25)]
    assert calls.count("ListClusters") == 1
    assert calls.count("ListServices") == 1
    describes = calls.named("DescribeServices")
    assert len(describes) == 3
    assert all(len(params["services"]) <= 10 for params in describes)
    assert all(params.get("maxResults", 100) <= 100 for params in calls.named("ListServices"))


async def test_configured_clusters_and_names_skip_discovery(aws, seeder, calls):
    create_services(seeder, [ServiceSpec("a", "api", 2), ServiceSpec("a", "web", 1), ServiceSpec("b", "api-b", 1)],
                    tasks=False)
    services = await read_services(aws, Fleet(clusters=("a",), services=("web", "missing")))
    assert [(s.cluster, s.name) for s in services] == [("a", "web")]
    assert calls.count("ListClusters") == 0 and calls.count("ListServices") == 0
    assert calls.count("DescribeServices") == 1


async def test_clusters_are_read_concurrently_and_counts_parsed(aws, seeder):
    specs = [ServiceSpec(f"cluster-{c}", f"svc-{c}-{s}", 3, running=1, pending=2, rollout="IN_PROGRESS")
             for c in range(4) for s in range(3)]
    create_services(seeder, specs, tasks=False)
    services = await read_services(aws, Fleet())
    assert len(services) == 12
    one = next(s for s in services if s.name == "svc-2-1")
    assert (one.cluster, one.running, one.desired, one.pending, one.rollout_state) == ("cluster-2", 1, 3, 2,
                                                                                      "IN_PROGRESS")
    assert family_revision(one.task_definition) == "svc-2-1:3"


async def test_service_detail_has_deployments_events_tasks_and_revisions(aws, seeder):
    spec = ServiceSpec("prod", "api", 2, revisions=4, previous_revision=3,
                       events=[(10, "(service api) has reached a steady state."), (70, "older [bold]x[/]")],
                       stopped=["Essential container in task exited"])
    create_services(seeder, [spec, ServiceSpec("prod", "other", 1)])
    detail = await read_service_detail(aws, "prod", "api")
    assert [d.status for d in detail.service.deployments] == ["PRIMARY", "ACTIVE"]
    assert family_revision(detail.service.deployments[1].task_definition) == "api:3"
    assert [e.message for e in detail.service.events] == ["(service api) has reached a steady state.",
                                                          "older [bold]x[/]"]
    assert len(detail.running_tasks) == 2
    assert [t.stopped_reason for t in detail.stopped_tasks] == ["Essential container in task exited"]
    assert [r.revision for r in detail.revisions] == [4, 3, 2, 1]
    assert detail.revisions[0].containers[0].image.endswith(":v1.4.0")


def test_family_revision_accepts_arns_and_raw_strings():
    assert family_revision("arn:aws:ecs:us-east-1:1:task-definition/api:7") == "api:7"
    assert family_revision("api:7") == "api:7"


async def test_force_new_deployment_is_never_retried(aws, seeder, calls):
    """A 5xx on the first attempt is an error, not a second UpdateService (it could mean two deployments)."""
    from botocore.stub import Stubber

    from warroom.data.ecs_changes import force_new_deployment
    from warroom.data.errors import AwsError

    with Stubber(aws.client("ecs", once=True)) as stub:
        stub.add_client_error("update_service", "ServerException", "try again", http_status_code=500)
        with pytest.raises(AwsError) as failure:
            await force_new_deployment(aws, "prod", "api")
        stub.assert_no_pending_responses()
    assert failure.value.code == "ServerException"
    assert aws.client("ecs", once=True).meta.config.retries["total_max_attempts"] == 1
    assert aws.client("ecs").meta.config.retries["total_max_attempts"] == 3
