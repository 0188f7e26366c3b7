"""Build a fleet on a moto server: through its API where moto serves it, through its backend objects where not.

moto never runs a service's tasks, never writes service events and never moves deployments, so running and
pending counts, events and deployments are set on `moto.ecs.models.ecs_backends` directly (the server runs in
this process). The demo, the tests and the benchmark all build their worlds with these functions.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from warroom.data.aws import Aws
from warroom.demo.server import ACCOUNT, REGION


@dataclass
class ServiceSpec:
    """One service to create: counts, rollout state, events (seconds ago, message), revisions of its family."""

    cluster: str
    name: str
    desired: int
    running: int | None = None
    pending: int = 0
    rollout: str = "COMPLETED"
    revisions: int = 3
    image: str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app"
    events: list[tuple[int, str]] = field(default_factory=list)
    previous_revision: int | None = None
    stopped: list[str] = field(default_factory=list)
    log_group: str = ""
    targets: tuple[str, ...] = ()  # load balancer targets to register: "healthy" or "stopped" (not serving)
    scaling: tuple[int, int] | None = None  # an Application Auto Scaling target (min, max) with a CPU policy

    @property
    def group(self) -> str:
        return self.log_group or f"/ecs/{self.name}"


def ecs_backend() -> Any:
    from moto.ecs.models import ecs_backends

    return ecs_backends[ACCOUNT][REGION]


def backend_service(cluster: str, name: str) -> Any:
    return ecs_backend().services[f"{cluster}:{name}"]


def register_family(aws: Aws, family: str, revisions: int, image: str, log_group: str) -> list[str]:
    ecs = aws.client("ecs")
    arns = []
    for revision in range(1, revisions + 1):
        response = ecs.register_task_definition(
            family=family,
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu="512",
            memory="1024",
            containerDefinitions=[{
                "name": "app",
                "image": f"{image}:v1.{revision}.0",
                "cpu": 256,
                "memory": 512,
                "essential": True,
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": log_group, "awslogs-region": REGION, "awslogs-stream-prefix": "app"}},
            }],
        )
        arns.append(response["taskDefinition"]["taskDefinitionArn"])
    return arns


def event(seconds_ago: int, message: str, now: datetime | None = None) -> dict[str, Any]:
    at = (now or datetime.now(timezone.utc)) - timedelta(seconds=seconds_ago)
    return {"id": str(uuid.uuid4()), "createdAt": at, "message": message}


def deployment(task_definition: str, status: str, rollout: str, desired: int, running: int, pending: int,
               created: datetime) -> dict[str, Any]:
    return {
        "id": f"ecs-svc/{uuid.uuid4().int % 10**19:019d}",
        "status": status,
        "taskDefinition": task_definition,
        "desiredCount": desired,
        "runningCount": running,
        "pendingCount": pending,
        "failedTasks": 2 if rollout == "FAILED" else 0,
        "rolloutState": rollout,
        "rolloutStateReason": {
            "COMPLETED": "ECS deployment completed.",
            "IN_PROGRESS": "ECS deployment in progress.",
            "FAILED": "ECS deployment circuit breaker: tasks failed to start.",
        }.get(rollout, ""),
        "createdAt": created,
        "updatedAt": created,
        "launchType": "FARGATE",
    }


def set_service_state(spec: ServiceSpec, arns: list[str], now: datetime | None = None) -> None:
    """Give a created service its counts, deployments and events on moto's backend."""
    now = now or datetime.now(timezone.utc)
    service = backend_service(spec.cluster, spec.name)
    running = spec.desired if spec.running is None else spec.running
    service.running_count = running
    service.pending_count = spec.pending
    current = arns[-1]
    started = now - timedelta(minutes=40 if spec.rollout != "COMPLETED" else 300)
    deployments = [deployment(current, "PRIMARY", spec.rollout, spec.desired, running, spec.pending, started)]
    if spec.previous_revision:
        previous = arns[spec.previous_revision - 1]
        deployments.append(deployment(previous, "ACTIVE", "COMPLETED", spec.desired, 0, 0,
                                      started - timedelta(days=2)))
    service.deployments = deployments
    service.events = [event(age, message, now) for age, message in spec.events]


def create_services(aws: Aws, specs: list[ServiceSpec], *, tasks: bool = True, now: datetime | None = None) -> None:
    """Clusters, log groups, task definition families, services with state, their running and stopped tasks."""
    ecs = aws.client("ecs")
    for cluster in dict.fromkeys(s.cluster for s in specs):
        ecs.create_cluster(clusterName=cluster)
    logs = aws.client("logs")
    for group in dict.fromkeys(s.group for s in specs):
        logs.create_log_group(logGroupName=group)
    families: dict[str, list[str]] = {}
    for spec in specs:
        if spec.name not in families:
            families[spec.name] = register_family(aws, spec.name, spec.revisions, spec.image, spec.group)
        arns = families[spec.name]
        balancers = [{"targetGroupArn": create_target_group(aws, f"{spec.name[:28]}-tg", spec.targets),
                      "containerName": "app", "containerPort": 8080}] if spec.targets else []
        ecs.create_service(cluster=spec.cluster, serviceName=spec.name, taskDefinition=arns[-1],
                           desiredCount=spec.desired, launchType="FARGATE", loadBalancers=balancers)
        set_service_state(spec, arns, now)
        if spec.scaling:
            autoscale(aws, spec.cluster, spec.name, *spec.scaling)
        if tasks:
            run_tasks(aws, spec, arns[-1])


def autoscale(aws: Aws, cluster: str, name: str, low: int, high: int) -> None:
    """A scalable target for the service and a step scaling policy (one more task per alarm; a target tracking
    policy would add two CloudWatch alarms of its own to the world)."""
    scaling, ident = aws.client("application-autoscaling"), f"service/{cluster}/{name}"
    scaling.register_scalable_target(ServiceNamespace="ecs", ResourceId=ident,
                                     ScalableDimension="ecs:service:DesiredCount", MinCapacity=low, MaxCapacity=high)
    scaling.put_scaling_policy(
        PolicyName=f"{name}-cpu-step"[:256], ServiceNamespace="ecs", ResourceId=ident,
        ScalableDimension="ecs:service:DesiredCount", PolicyType="StepScaling",
        StepScalingPolicyConfiguration={"AdjustmentType": "ChangeInCapacity", "Cooldown": 60,
                                        "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}]})


def create_target_group(aws: Aws, name: str, states: tuple[str, ...]) -> str:
    """A target group behind an application load balancer in a fresh VPC, with one target per state: an IP
    target for "healthy", a stopped EC2 instance for "stopped" (reported `unused`, Target.InvalidState)."""
    ec2, elb = aws.client("ec2"), aws.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    arn = elb.create_target_group(Name=name, Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip")[
        "TargetGroups"][0]["TargetGroupArn"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{zone}")[
        "Subnet"]["SubnetId"] for i, zone in ((1, "a"), (2, "b"))]
    balancer = elb.create_load_balancer(Name=name.replace("-tg", "-alb")[:32], Subnets=subnets)[
        "LoadBalancers"][0]["LoadBalancerArn"]
    elb.create_listener(LoadBalancerArn=balancer, Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": arn}])
    healthy = [{"Id": f"10.0.1.{10 + i}", "Port": 8080} for i, state in enumerate(states) if state == "healthy"]
    if healthy:
        elb.register_targets(TargetGroupArn=arn, Targets=healthy)
    stopped = sum(1 for state in states if state == "stopped")
    if stopped:
        instances = ec2.run_instances(ImageId="ami-12c6146b", MinCount=stopped, MaxCount=stopped)["Instances"]
        ids = [i["InstanceId"] for i in instances]
        elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": i} for i in ids])
        ec2.stop_instances(InstanceIds=ids)
    return arn


def set_task_address(cluster: str, service: str, address: str) -> str:
    """Give one of moto's running tasks of `service` the private IP `address` (so that a PostgreSQL session from
    that address, the loopback one here, is named by it); its task id."""
    task = next(t for t in ecs_backend().tasks[cluster].values()
                if t.group == f"service:{service}" and t.last_status == "RUNNING")
    for attachment in task.attachments:
        for detail in attachment["details"]:
            if detail["name"] == "privateIPv4Address":
                detail["value"] = address
    return str(task.task_arn.rsplit("/", 1)[-1])


def keep_tasks_running() -> None:
    """moto moves a task one lifecycle step per DescribeTasks (RUNNING, DEACTIVATING, ... STOPPED) unless told
    otherwise: a service's tasks run until stopped, as on AWS."""
    from moto.moto_api import state_manager

    state_manager.set_transition("ecs::task", {"progression": "manual", "times": 10 ** 9})


def run_tasks(aws: Aws, spec: ServiceSpec, task_definition: str) -> None:
    keep_tasks_running()
    ecs = aws.client("ecs")
    ec2 = aws.client("ec2")
    network = {"awsvpcConfiguration": {
        "subnets": [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"][:1]],
        "securityGroups": [g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"][:1]],
    }}
    count = (spec.desired if spec.running is None else spec.running) + len(spec.stopped)
    if not count:
        return
    response = ecs.run_task(cluster=spec.cluster, taskDefinition=task_definition, count=count,
                            launchType="FARGATE", group=f"service:{spec.name}", startedBy="ecs-svc/demo",
                            networkConfiguration=network)
    for task, reason in zip(response["tasks"], spec.stopped):
        ecs.stop_task(cluster=spec.cluster, task=task["taskArn"], reason=reason)
        found = (t for tasks in ecs_backend().tasks.values() for t in tasks.values() if t.task_arn == task["taskArn"])
        next(found).stopped_at = datetime.now(timezone.utc)  # AWS says when a task stopped; moto does not


def put_alarm(aws: Aws, name: str, state: str = "OK", reason: str = "", *, metric: str = "CPUUtilization",
              namespace: str = "AWS/ECS", dimensions: dict[str, str] | None = None, threshold: float = 80.0,
              actions_enabled: bool = True) -> None:
    cloudwatch = aws.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName=name, Namespace=namespace, MetricName=metric, Statistic="Average", Period=300,
        EvaluationPeriods=2, Threshold=threshold, ComparisonOperator="GreaterThanThreshold",
        Dimensions=[{"Name": k, "Value": v} for k, v in (dimensions or {}).items()],
        ActionsEnabled=actions_enabled, AlarmActions=[f"arn:aws:sns:{REGION}:{ACCOUNT}:oncall"],
        AlarmDescription=f"{metric} above {threshold:g}",
    )
    if state != "OK" or reason:
        cloudwatch.set_alarm_state(AlarmName=name, StateValue=state,
                                   StateReason=reason or f"Threshold Crossed: {metric} above {threshold:g}")


def create_instance(aws: Aws, identifier: str, *, engine: str = "postgres", klass: str = "db.t3.medium",
                    multi_az: bool = False, storage: int = 100, cluster: str | None = None,
                    port: int | None = None) -> None:
    """An RDS instance on its own or a member of `cluster`, its endpoint on `port` (default the engine's)."""
    params: dict[str, Any] = {"DBInstanceIdentifier": identifier, "Engine": engine, "DBInstanceClass": klass}
    if cluster:
        params["DBClusterIdentifier"] = cluster
    else:
        params.update(AllocatedStorage=storage, MultiAZ=multi_az, MasterUsername="app",
                      MasterUserPassword="demo-password-1")
    if port:
        params["Port"] = port  # for a member, the cluster's (as on AWS; moto would not copy it)
    aws.client("rds").create_db_instance(**params)


def create_aurora(aws: Aws, identifier: str, instances: int = 2, port: int | None = None) -> None:
    """An Aurora PostgreSQL cluster and its instances, listening on `port` (default the engine's)."""
    aws.client("rds").create_db_cluster(
        DBClusterIdentifier=identifier, Engine="aurora-postgresql", EngineVersion="15.4",
        MasterUsername="app", MasterUserPassword="demo-password-1",
        ServerlessV2ScalingConfiguration={"MinCapacity": 0.5, "MaxCapacity": 16}, **({"Port": port} if port else {}),
    )
    for index in range(1, instances + 1):
        create_instance(aws, f"{identifier}-instance-{index}", engine="aurora-postgresql",
                        klass="db.serverless", cluster=identifier, port=port)


def put_logs(aws: Aws, group: str, stream: str, messages: list[str], at: datetime | None = None) -> None:
    """Write messages (one event each, a millisecond apart) to a stream, creating the stream if needed."""
    logs = aws.client("logs")
    try:
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    start = int((at or datetime.now(timezone.utc)).timestamp() * 1000)
    logs.put_log_events(logGroupName=group, logStreamName=stream,
                        logEvents=[{"timestamp": start + i, "message": m} for i, m in enumerate(messages)])


def create_cache(aws: Aws, identifier: str, description: str = "", replicas: int = 1) -> None:
    """An ElastiCache Redis replication group: a primary and `replicas` replicas, with automatic failover when it
    has any (moto 5.2.5 ignores NumCacheClusters: the members come from ReplicasPerNodeGroup)."""
    aws.client("elasticache").create_replication_group(
        ReplicationGroupId=identifier, ReplicationGroupDescription=description or identifier, Engine="redis",
        CacheNodeType="cache.t4g.small", ReplicasPerNodeGroup=replicas, AutomaticFailoverEnabled=replicas > 0,
        MultiAZEnabled=replicas > 0)


def create_function(aws: Aws, name: str, description: str = "") -> None:
    """A Python Lambda function and its execution role (moto checks the role exists); its code a stub that moto
    stores and nothing invokes (moto runs a function only in Docker)."""
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                      "Principal": {"Service": "lambda.amazonaws.com"}}]}
    role = aws.client("iam").create_role(RoleName=f"{name[:59]}-role", AssumeRolePolicyDocument=json.dumps(trust))
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return {}\n")
    aws.client("lambda").create_function(
        FunctionName=name, Runtime="python3.12", Role=role["Role"]["Arn"], Handler="handler.handler",
        Code={"ZipFile": code.getvalue()}, Description=description)


def create_table(aws: Aws, name: str) -> None:
    """An on-demand DynamoDB table keyed by `id`."""
    aws.client("dynamodb").create_table(
        TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
