"""The demo's runbook-shaped fleet: the clusters, services, alarms and databases of ../shared/runbooks/, and the
api's dependencies: a cache, a function and a table."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from warroom.data.aws import Aws
from warroom.demo.responder import Responder
from warroom.demo.world import (
    ServiceSpec, create_aurora, create_cache, create_function, create_instance, create_services, create_table,
    put_alarm, set_task_address,
)

STEADY = "(service {name}) has reached a steady state."


def _steady(name: str, *ages: int) -> list[tuple[int, str]]:
    return [(age, STEADY.format(name=name)) for age in ages]


SERVICES = [
    ServiceSpec("continuum-production-cluster", "continuum-production-service", 2,
                events=_steady("continuum-production-service", 420, 22000), previous_revision=3, revisions=4,
                log_group="/aws/ecs/continuum-production/app", targets=("healthy", "healthy")),
    ServiceSpec("omnirapeutic-production", "omnirapeutic-production-api", 3, previous_revision=4, revisions=5,
                events=_steady("omnirapeutic-production-api", 60, 21660),
                log_group="/ecs/omnirapeutic-production/api", targets=("healthy",) * 3, scaling=(2, 3)),
    ServiceSpec("omnirapeutic-production", "omnirapeutic-production-web", 2, running=1, pending=1,
                rollout="IN_PROGRESS", previous_revision=2, revisions=3, log_group="/ecs/omnirapeutic-production/web",
                targets=("healthy", "stopped"),
                events=[(30, "(service omnirapeutic-production-web) has started 1 tasks: (task 9f3c2a)."),
                        (2400, "(service omnirapeutic-production-web) registered 1 targets in "
                               "(target-group omnirapeutic-production-web-tg)")]),
    ServiceSpec("omnirapeutic-production", "omnirapeutic-production-worker", 2, running=1,
                log_group="/ecs/omnirapeutic-production/worker",
                stopped=["Essential container in task exited"],
                events=[(90, "(service omnirapeutic-production-worker) has started 1 tasks: (task 4b1e77)."),
                        (95, "(service omnirapeutic-production-worker) task 4b1e70 stopped: "
                             "Essential container in task exited (OutOfMemoryError: Container killed due to "
                             "memory usage)")]),
    ServiceSpec("enterprise-prod-cluster", "app-service", 4, previous_revision=6, revisions=7,
                events=_steady("app-service", 1800), log_group="/aws/application/enterprise-prod"),
    ServiceSpec("enterprise-prod-cluster", "maintenance-page", 0, revisions=1),
    ServiceSpec("pardon-production-cluster", "pardon-production-service", 2, running=0, pending=2,
                rollout="FAILED", previous_revision=8, revisions=9, log_group="/ecs/pardon-production",
                stopped=["Task failed ELB health checks in (target-group pardon-production-tg)",
                         "Essential container in task exited"],
                events=[(120, "(service pardon-production-service) deployment ecs-svc/0912 deployment failed: "
                              "tasks failed to start."),
                        (300, "(service pardon-production-service) (task 77ac01) failed container health "
                              "checks.")]),
    ServiceSpec("axon-orbit-cluster", "axon-orbit-axon", 2, events=_steady("axon-orbit-axon", 3600),
                log_group="/ecs/axon-orbit-axon"),
    ServiceSpec("axon-orbit-cluster", "axon-orbit-orbit", 1, events=_steady("axon-orbit-orbit", 7200)),
]

ALARMS = [
    ("omnirapeutic-production-ecs-cpu", "ALARM", "CPUUtilization", "AWS/ECS",
     {"ClusterName": "omnirapeutic-production", "ServiceName": "omnirapeutic-production-api"}),
    ("omnirapeutic-production-api-5xx", "ALARM", "HTTPCode_Target_5XX_Count", "AWS/ApplicationELB",
     {"LoadBalancer": "app/omnirapeutic-production-alb/50dc6c495c0c9188"}),
    ("omnirapeutic-production-aurora-cpu", "OK", "CPUUtilization", "AWS/RDS",
     {"DBClusterIdentifier": "omnirapeutic-production"}),
    ("omnirapeutic-production-cost-threshold", "OK", "EstimatedCharges", "AWS/Billing", {"Currency": "USD"}),
    ("continuum-production-db-connections", "ALARM", "DatabaseConnections", "AWS/RDS",
     {"DBInstanceIdentifier": "continuum-production-db"}),
    ("continuum-production-service-memory", "OK", "MemoryUtilization", "AWS/ECS",
     {"ClusterName": "continuum-production-cluster"}),
    ("pardon-production-cpu", "INSUFFICIENT_DATA", "CPUUtilization", "AWS/ECS",
     {"ClusterName": "pardon-production-cluster"}),
    ("enterprise-prod-alb-target-response", "OK", "TargetResponseTime", "AWS/ApplicationELB",
     {"LoadBalancer": "app/enterprise-prod-alb/1f2e3d4c"}),
    ("enterprise-prod-db-free-storage", "OK", "FreeStorageSpace", "AWS/RDS",
     {"DBInstanceIdentifier": "enterprise-prod-db"}),
]


def seed(aws: Aws, db_port: int | None = None, responder: Responder | None = None) -> None:
    """Create the whole demo fleet on the moto server `aws` points at; its databases' endpoints on `db_port`
    (the demo PostgreSQL's) when given; the autoscaler's past activities in `responder` when given."""
    create_services(aws, SERVICES)
    set_task_address("omnirapeutic-production", "omnirapeutic-production-api", "127.0.0.1")  # the demo's sessions
    if responder is not None:
        api = "service/omnirapeutic-production/omnirapeutic-production-api"
        now = datetime.now(timezone.utc)
        responder.add_scaling_activity(
            api, "Setting desired count to 3.", "monitor alarm omnirapeutic-production-ecs-cpu in state ALARM "
            "triggered policy omnirapeutic-production-api-cpu-step", start=now - timedelta(minutes=41))
    for name, state, metric, namespace, dimensions in ALARMS:
        put_alarm(aws, name, state, metric=metric, namespace=namespace, dimensions=dimensions)
    create_instance(aws, "continuum-production-db", multi_az=True, storage=200, port=db_port)
    create_instance(aws, "enterprise-prod-db", klass="db.r6g.large", multi_az=True, storage=500, port=db_port)
    create_instance(aws, "pardon-production-db", klass="db.t3.small", storage=50, port=db_port)
    create_aurora(aws, "omnirapeutic-production", port=db_port)
    create_cache(aws, "omnirapeutic-production-redis", "Sessions and rate limits of omnirapeutic-production-api")
    create_function(aws, "omnirapeutic-production-report-worker", "Builds the nightly clinical reports")
    create_table(aws, "omnirapeutic-production-sessions")
