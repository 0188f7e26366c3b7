"""CloudWatch metrics for the sparklines: GetMetricData, up to 500 queries a call, the fewest calls possible,
and the queries the runbooks' incident steps read for a service, its load balancer and a database; an environment's
custom metrics, judged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Sequence

from warroom.data.aws import Aws
from warroom.data.custom_metrics import CustomMetric, MetricReading
from warroom.data.models import Database, MetricQuery, MetricSeries, Service
from warroom.data.parse import when

QUERIES_PER_CALL = 500
PERIOD = 60  # seconds per datapoint: one an hour of sparkline is 60 points
WINDOW = timedelta(hours=1)
ALB = "AWS/ApplicationELB"


@dataclass(frozen=True)
class MetricMath(MetricQuery):
    """A metric math expression over other queries of the same GetMetricData call, named by their ids; its
    namespace, metric and dimensions say what it is about."""

    expression: str = ""


def arn_suffix(arn: str, marker: str) -> str:
    """`targetgroup/name/id` or `app/name/id`: the dimension value CloudWatch uses for an ELB resource."""
    index = arn.find(marker)
    return arn[index:] if index >= 0 else arn


def service_queries(service: Service, balancers: dict[str, str]) -> list[MetricQuery]:
    """ECS CPU (average and maximum) and memory of a service, and its load balancer's metrics for each of its target
    groups (`balancers` maps a target group ARN to its load balancer's ARN)."""
    dims = (("ClusterName", service.cluster), ("ServiceName", service.name))
    queries = [*_cpu("AWS/ECS", dims), MetricQuery("memory", "Memory", "AWS/ECS", "MemoryUtilization", dims, unit="%")]
    for index, group in enumerate(service.target_groups):
        if group in balancers:
            queries += _target_group(index, (("LoadBalancer", arn_suffix(balancers[group], "app/")),
                                             ("TargetGroup", arn_suffix(group, "targetgroup/"))))
    return queries


def _target_group(index: int, elb: tuple[tuple[str, str], ...]) -> list[MetricQuery]:
    """Requests, target 5xx (a count, and a rate in % of the requests: no 5xx datapoint in a minute is 0 %), and
    response time: average, p95 and p99 (a slow few hide in the average)."""
    requests, errors, latency = f"requests{index}", f"http5xx{index}", f"latency{index}"
    return [MetricQuery(requests, "Requests", ALB, "RequestCount", elb, stat="Sum", unit="count"),
            MetricQuery(errors, "Target 5xx", ALB, "HTTPCode_Target_5XX_Count", elb, stat="Sum", unit="count"),
            MetricMath(f"rate5xx{index}", "5xx %", ALB, "HTTPCode_Target_5XX_Count", elb, unit="%",
                       expression=f"100*FILL({errors},0)/{requests}"),
            MetricQuery(latency, "Response time", ALB, "TargetResponseTime", elb, unit="s"),
            *(MetricQuery(f"{latency}_{stat}", f"Response {stat}", ALB, "TargetResponseTime", elb, stat=stat,
                          unit="s") for stat in ("p95", "p99"))]


def database_queries(database: Database) -> list[MetricQuery]:
    """RDS CPU (average and maximum), connections and storage: an instance's free storage; an Aurora cluster's
    volume used (Aurora reports VolumeBytesUsed, not FreeStorageSpace: its volume grows by itself). Then, when they
    apply, Aurora Serverless capacity and replica lag: a read replica's, or an Aurora cluster's slowest reader's."""
    aurora = database.kind == "cluster" and database.engine.startswith("aurora")
    key = "DBClusterIdentifier" if database.kind == "cluster" else "DBInstanceIdentifier"
    dims = ((key, database.id),)
    storage = MetricQuery("volume", "Volume used", "AWS/RDS", "VolumeBytesUsed", dims, stat="Maximum",
                          unit="bytes") if aurora else \
        MetricQuery("storage", "Free storage", "AWS/RDS", "FreeStorageSpace", dims, stat="Minimum", unit="bytes")
    queries = [*_cpu("AWS/RDS", dims),
               MetricQuery("connections", "Connections", "AWS/RDS", "DatabaseConnections", dims, unit="count"), storage]
    if database.serverless:
        queries += [MetricQuery("capacity", "Capacity", "AWS/RDS", "ServerlessDatabaseCapacity", dims, unit="ACU"),
                    MetricQuery("acu", "ACU used", "AWS/RDS", "ACUUtilization", dims, unit="%")]
    if database.replica_of:
        queries.append(MetricQuery("replica_lag", "Replica lag", "AWS/RDS", "ReplicaLag", dims, stat="Maximum",
                                   unit="s"))
    elif aurora and database.readers:
        queries.append(MetricQuery("replica_lag", "Replica lag", "AWS/RDS", "AuroraReplicaLagMaximum", dims,
                                   stat="Maximum", unit="ms"))
    return queries


def _cpu(namespace: str, dims: tuple[tuple[str, str], ...]) -> list[MetricQuery]:
    """CPUUtilization's average and, beside it, its maximum: one busy task or a spike hides in the average."""
    return [MetricQuery("cpu", "CPU", namespace, "CPUUtilization", dims, unit="%"),
            MetricQuery("cpu_max", "CPU max", namespace, "CPUUtilization", dims, stat="Maximum", unit="%")]


async def load_balancers(aws: Aws, target_groups: Sequence[str]) -> dict[str, str]:
    """Target group ARN → its (first) load balancer's ARN, in one DescribeTargetGroups call (20 at most)."""
    if not target_groups:
        return {}
    response = await aws.call("elbv2", "describe_target_groups", TargetGroupArns=list(target_groups)[:20])
    return {str(g.get("TargetGroupArn")): str((g.get("LoadBalancerArns") or [""])[0])
            for g in response.get("TargetGroups") or () if g.get("LoadBalancerArns")}


def _query(q: MetricQuery) -> dict[str, Any]:
    if isinstance(q, MetricMath):
        return {"Id": q.id, "ReturnData": True, "Expression": q.expression, "Period": PERIOD}
    return {"Id": q.id, "ReturnData": True, "MetricStat": {
        "Metric": {"Namespace": q.namespace, "MetricName": q.metric,
                   "Dimensions": [{"Name": k, "Value": v} for k, v in q.dimensions]},
        "Period": PERIOD, "Stat": q.stat}}


async def read_metrics(aws: Aws, queries: Sequence[MetricQuery], end: datetime) -> tuple[MetricSeries, ...]:
    """The last hour of each query up to the last whole minute before `end` (the minute still running would read as
    a drop in traffic, or a value under its threshold), oldest datapoint first, in ceil(len/500) GetMetricData calls
    (plus pages); an expression's inputs must be in its 500 (a screen's queries are far fewer)."""
    end = end.replace(second=0, microsecond=0)
    found: dict[str, list[tuple[datetime, float]]] = {q.id: [] for q in queries}
    for start in range(0, len(queries), QUERIES_PER_CALL):
        chunk = queries[start:start + QUERIES_PER_CALL]
        async for page in aws.pages("cloudwatch", "get_metric_data", MetricDataQueries=[_query(q) for q in chunk],
                                    StartTime=end - WINDOW, EndTime=end, ScanBy="TimestampAscending"):
            for result in page.get("MetricDataResults") or ():
                points = found.get(str(result.get("Id")))
                if points is not None:
                    points += [(t, float(v)) for t, v in zip(result.get("Timestamps") or (),
                                                             result.get("Values") or ()) if when(t)]
    series = []
    for q in queries:
        points = sorted(found[q.id])
        series.append(MetricSeries(q, tuple(v for _, v in points), tuple(t for t, _ in points)))
    return tuple(series)


async def read_custom(aws: Aws, metrics: Sequence[CustomMetric], now: datetime) -> tuple[MetricReading, ...]:
    """An environment's custom metrics over the last hour up to `now`, each judged, in one GetMetricData call (the
    config takes 500 at most; none, no call)."""
    series = await read_metrics(aws, [metric.query(index) for index, metric in enumerate(metrics)], now)
    return tuple(MetricReading(metric, found, now) for metric, found in zip(metrics, series))
