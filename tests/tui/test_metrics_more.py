"""The runbooks' metrics over HTTP through the demo's responder: ALB requests, the 5xx rate (metric math),
response time p95 and p99 (percentiles moto does not compute), Aurora Serverless capacity and replica lag; all in
one GetMetricData call."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from warroom.data.aws import Aws
from warroom.data.ecs import read_services
from warroom.data.metrics import database_queries, load_balancers, read_metrics, service_queries
from warroom.data.models import Fleet, Service
from warroom.data.rds import read_databases
from warroom.demo.metrics import Metrics
from warroom.demo.world import ServiceSpec, create_aurora, create_services
from warroom.widgets.metrics_panel import reading

NOW = datetime.now(timezone.utc).replace(second=0, microsecond=0)
END = NOW + timedelta(minutes=1)  # the last hour's periods fall on whole minutes
BALANCER = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/50dc6c49"
GROUP = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0a1b2c3d"
ELB = [{"Name": "LoadBalancer", "Value": "app/web-alb/50dc6c49"},
       {"Name": "TargetGroup", "Value": "targetgroup/web-tg/0a1b2c3d"}]
WEB = Service("arn:service/web", "prod", "web", "ACTIVE", 2, 2, 0, "web:1", "FARGATE", target_groups=(GROUP,))


def minute(n: int) -> datetime:
    return NOW - timedelta(minutes=n)


def cloudwatch(endpoint: str | None = None):
    """A plain boto3 client (no retries: moto's 500 is an answer here), to the responder unless told."""
    return boto3.client("cloudwatch", endpoint_url=endpoint, config=Config(retries={"total_max_attempts": 1}))


def put(namespace: str, metric: str, dimensions: list[dict], at: datetime, **value) -> None:
    cloudwatch().put_metric_data(Namespace=namespace, MetricData=[
        {"MetricName": metric, "Dimensions": dimensions, "Timestamp": at, **value}])


def stat(id: str, metric: str, statistic: str, dimensions: list[dict] = ELB, **extra) -> dict:
    return {"Id": id, "MetricStat": {"Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": metric,
                                                "Dimensions": dimensions}, "Period": 60, "Stat": statistic}, **extra}


def results(client, queries: list[dict]) -> dict[str, list[tuple[datetime, float]]]:
    answer = client.get_metric_data(MetricDataQueries=queries, StartTime=END - timedelta(hours=1), EndTime=END,
                                    ScanBy="TimestampAscending")
    return {r["Id"]: [(t.astimezone(timezone.utc), v) for t, v in zip(r["Timestamps"], r["Values"])]
            for r in answer["MetricDataResults"]}


def by_id(series) -> dict[str, list[tuple[datetime, float]]]:
    return {s.query.id: list(zip(s.timestamps, s.values)) for s in series}


async def test_percentiles_and_the_5xx_rate_per_minute_in_one_call(front, calls):
    """Minute 3: 11 response times 0.1..1.1 s, 200 requests, 4 + 6 errors (5 %). Minute 2: 90 at 0.2 s and 10 at
    1.0 s put as Values with Counts, 400 requests, no error datapoint (0 %). Minute 1: errors but no requests (no
    rate)."""
    put("AWS/ApplicationELB", "TargetResponseTime", ELB, minute(3), Values=[i / 10 for i in range(1, 12)])
    put("AWS/ApplicationELB", "TargetResponseTime", ELB, minute(2), Values=[0.2, 1.0], Counts=[90, 10])
    for at, requests in ((minute(3), 200), (minute(2), 400)):
        put("AWS/ApplicationELB", "RequestCount", ELB, at, Value=requests)
    for at, errors in ((minute(3), 4), (minute(3), 6), (minute(1), 3)):
        put("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ELB, at, Value=errors)
    aws = Aws(hooks=(calls,))
    before = front.requests["GetMetricData"]
    found = by_id(await read_metrics(aws, service_queries(WEB, {GROUP: BALANCER}), END))
    assert calls.count("GetMetricData") == 1 and front.requests["GetMetricData"] - before == 1
    assert found["requests0"] == [(minute(3), 200.0), (minute(2), 400.0)]
    assert found["http5xx0"] == [(minute(3), 10.0), (minute(1), 3.0)]
    assert found["rate5xx0"] == [(minute(3), 5.0), (minute(2), 0.0)]
    assert found["latency0"] == [(minute(3), pytest.approx(0.6)), (minute(2), pytest.approx(0.28))]
    assert found["latency0_p95"] == [(minute(3), pytest.approx(1.05)), (minute(2), 1.0)]
    assert found["latency0_p99"] == [(minute(3), pytest.approx(1.09)), (minute(2), 1.0)]
    sent = calls.named("GetMetricData")[0]["MetricDataQueries"]
    assert next(q for q in sent if q["Id"] == "rate5xx0") == {
        "Id": "rate5xx0", "ReturnData": True, "Expression": "100*FILL(http5xx0,0)/requests0", "Period": 60}
    aws.close()


def test_moto_alone_fails_a_percentile(front, moto_server):
    put("AWS/ApplicationELB", "TargetResponseTime", ELB, minute(2), Value=0.3)
    with pytest.raises(ClientError):
        results(cloudwatch(moto_server.endpoint), [stat("p", "TargetResponseTime", "p99")])
    assert results(cloudwatch(), [stat("p", "TargetResponseTime", "p99")]) == {"p": [(minute(2), 0.3)]}


def test_a_read_without_percentiles_or_math_is_forwarded_as_moto_answers_it(front, moto_server):
    for n, value in enumerate((0.2, 0.4, 0.9)):
        put("AWS/ApplicationELB", "TargetResponseTime", ELB, minute(n + 1), Value=value)
    queries = [stat("avg", "TargetResponseTime", "Average"), stat("top", "TargetResponseTime", "Maximum"),
               stat("none", "RequestCount", "Sum")]
    direct = results(cloudwatch(moto_server.endpoint), queries)
    assert results(cloudwatch(), queries) == direct and direct["avg"][0] == (minute(3), 0.9)


def test_metric_math_hides_its_inputs_drops_a_division_by_zero_and_refuses_what_it_cannot_compute(front):
    for at, requests, errors in ((minute(3), 50, 5), (minute(2), 0, 1), (minute(1), 20, None)):
        put("AWS/ApplicationELB", "RequestCount", ELB, at, Value=requests)
        if errors is not None:
            put("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ELB, at, Value=errors)
    inputs = [stat("r", "RequestCount", "Sum", ReturnData=False),
              stat("e", "HTTPCode_Target_5XX_Count", "Sum", ReturnData=False)]
    found = results(cloudwatch(), inputs + [{"Id": "plain", "Expression": "100*e/r"},
                                            {"Id": "filled", "Expression": "100 * FILL(e, 0) / r"},
                                            {"Id": "of_other", "Expression": "filled - 1"}])
    assert found == {"plain": [(minute(3), 10.0)], "filled": [(minute(3), 10.0), (minute(1), 0.0)],
                     "of_other": [(minute(3), 9.0), (minute(1), -1.0)]}
    for expression in ("e/nope", "SQRT(e)", "e/", "a1 - a1", "e ** 2"):
        with pytest.raises(ClientError) as refused:
            results(cloudwatch(), inputs + [{"Id": "a1", "Expression": expression}])
        assert refused.value.response["Error"]["Code"] == "ValidationError"


async def test_serverless_replicas_and_readers_get_their_queries(front, calls):
    """Moto creates each kind: a serverless v2 cluster with a writer and a reader, a v1 serverless cluster, a
    provisioned Aurora cluster alone, an instance and its read replica."""
    aws = Aws(hooks=(calls,))
    rds = aws.client("rds")
    create_aurora(aws, "orders")
    rds.create_db_cluster(DBClusterIdentifier="legacy", Engine="aurora-mysql", EngineMode="serverless",
                          MasterUsername="app", MasterUserPassword="password-1")
    rds.create_db_cluster(DBClusterIdentifier="ledger", Engine="aurora-postgresql", MasterUsername="app",
                          MasterUserPassword="password-1")
    rds.create_db_instance(DBInstanceIdentifier="billing", Engine="postgres", DBInstanceClass="db.t3.medium",
                           AllocatedStorage=100, MasterUsername="app", MasterUserPassword="password-1")
    rds.create_db_instance_read_replica(DBInstanceIdentifier="billing-read", SourceDBInstanceIdentifier="billing")
    databases = {d.id: d for d in await read_databases(aws)}
    assert [(d.serverless, d.readers, d.replica_of) for d in (
        databases["orders"], databases["legacy"], databases["ledger"], databases["billing"],
        databases["billing-read"], databases["orders-instance-2"])] == [
        (True, 1, ""), (True, 0, ""), (False, 0, ""), (False, 0, ""), (False, 0, "billing"), (True, 0, "")]

    def extra(database_id: str) -> list[tuple]:
        return [(q.id, q.label, q.metric, q.stat, q.unit, q.dimensions)
                for q in database_queries(databases[database_id])[4:]]

    cluster = (("DBClusterIdentifier", "orders"),)
    assert extra("orders") == [
        ("capacity", "Capacity", "ServerlessDatabaseCapacity", "Average", "ACU", cluster),
        ("acu", "ACU used", "ACUUtilization", "Average", "%", cluster),
        ("replica_lag", "Replica lag", "AuroraReplicaLagMaximum", "Maximum", "ms", cluster)]
    assert [q[0] for q in extra("legacy")] == ["capacity", "acu"] and extra("ledger") == extra("billing") == []
    assert extra("billing-read") == [("replica_lag", "Replica lag", "ReplicaLag", "Maximum", "s",
                                      (("DBInstanceIdentifier", "billing-read"),))]
    for at, capacity, lag in ((minute(2), 2.5, 40.0), (minute(1), 4.0, 120.0)):
        put("AWS/RDS", "ServerlessDatabaseCapacity", [{"Name": "DBClusterIdentifier", "Value": "orders"}], at,
            Value=capacity)
        put("AWS/RDS", "AuroraReplicaLagMaximum", [{"Name": "DBClusterIdentifier", "Value": "orders"}], at,
            Value=lag)
    found = by_id(await read_metrics(aws, database_queries(databases["orders"]), END))
    assert calls.count("GetMetricData") == 1
    assert found["capacity"] == [(minute(2), 2.5), (minute(1), 4.0)]
    assert found["replica_lag"] == [(minute(2), 40.0), (minute(1), 120.0)]
    aws.close()


async def test_the_demo_puts_response_times_whose_percentiles_are_not_the_average_and_aurora_capacity(front, calls):
    aws = Aws(hooks=(calls,))
    create_services(aws, [ServiceSpec("prod", "web", 1, targets=("healthy",))])
    create_aurora(aws, "orders")
    Metrics(aws, seed=5).backfill(NOW, minutes=10)
    orders = next(d for d in await read_databases(aws) if d.id == "orders")
    found = {s.query.id: s.values for s in await read_metrics(aws, database_queries(orders), END)}
    assert all(len(found[id]) == 10 for id in ("capacity", "acu", "replica_lag"))
    calls.clear()
    service = (await read_services(aws, Fleet()))[0]
    series = await read_metrics(aws, service_queries(service, await load_balancers(aws, service.target_groups)), END)
    found = {s.query.id: s.values for s in series}
    assert calls.count("GetMetricData") == 1
    assert all(len(found[id]) == 10 for id in ("requests0", "http5xx0", "rate5xx0", "latency0_p95", "latency0_p99"))
    assert all(average < p95 < p99 for average, p95, p99 in zip(found["latency0"], found["latency0_p95"],
                                                                  found["latency0_p99"]))
    aws.close()


def test_capacity_and_milliseconds_read_as_people_say_them():
    assert (reading(2.5, "ACU"), reading(250.0, "ms"), reading(1500.0, "ms")) == ("2.5 ACU", "250 ms", "1.50 s")
