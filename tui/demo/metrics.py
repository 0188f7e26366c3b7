"""The demo's CloudWatch metrics: a random walk per series for every service, database and load balancer, and for
the demo environment's custom metrics, an hour of history at start and a point a minute after, so the detail
screens' sparklines move; response times are several values a minute around the walk, so their p95 and p99 are not
the average. Every function's errors and throttles and every table's throttle events are 0 but for a rare minute."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from warroom.data.aws import Aws
from warroom.data.custom_metrics import CustomMetric
from warroom.data.metrics import arn_suffix
from warroom.data.rds import parse_cluster, parse_instance

BATCH = 500  # datapoints per PutMetricData call (AWS takes 1,000)
# (namespace, metric, unit, low, high) of each series kind
ECS = (("AWS/ECS", "CPUUtilization", "Percent", 5, 95), ("AWS/ECS", "MemoryUtilization", "Percent", 20, 90))
RDS = (("AWS/RDS", "CPUUtilization", "Percent", 3, 90), ("AWS/RDS", "DatabaseConnections", "Count", 5, 180),
       ("AWS/RDS", "FreeStorageSpace", "Bytes", 40e9, 60e9))
AURORA = RDS[:2] + (("AWS/RDS", "VolumeBytesUsed", "Bytes", 20e9, 40e9),)  # Aurora reports its volume's use
SERVERLESS = (("AWS/RDS", "ServerlessDatabaseCapacity", "None", 0.5, 16),  # ACUs, in halves: not a Count
              ("AWS/RDS", "ACUUtilization", "Percent", 3, 100))
READERS = (("AWS/RDS", "AuroraReplicaLagMaximum", "Milliseconds", 5, 250),)  # an Aurora cluster with readers
REPLICA = (("AWS/RDS", "ReplicaLag", "Seconds", 0, 30),)  # a read replica instance
ALB = (("AWS/ApplicationELB", "RequestCount", "Count", 600, 6000),
       ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Count", 0, 40),
       ("AWS/ApplicationELB", "TargetResponseTime", "Seconds", 0.05, 1.5))
SPREAD = {"TargetResponseTime": 6}  # values put a minute, each the walk's level times a long-tailed factor
LAMBDA = (("AWS/Lambda", "Errors", "Count", 1, 5), ("AWS/Lambda", "Throttles", "Count", 1, 20))
DYNAMODB = (("AWS/DynamoDB", "ReadThrottleEvents", "Count", 1, 30),
            ("AWS/DynamoDB", "WriteThrottleEvents", "Count", 1, 30))
# the chance a minute of these is not 0 (then a count in the kind's range)
RARE = {"Errors": 0.01, "Throttles": 0.001, "ReadThrottleEvents": 0.0005, "WriteThrottleEvents": 0.0005}

# The demo environment's custom metrics, as axon-orbit's runbook reads them (its own namespaces, no dimensions, the
# Sum), and the range each walks in: the errors stay under their threshold, the denials now and then go over theirs.
CUSTOM = ((CustomMetric("axon-orbit ErrorCount", "axon-orbit/Axon", "ErrorCount", threshold=10, unit="count"), 0, 6),
          (CustomMetric("axon-orbit DenialCount", "axon-orbit/Governance", "DenialCount", threshold=10,
                        unit="count"), 0, 12))
CUSTOM_METRICS = tuple(metric for metric, _, _ in CUSTOM)


# A database filling up: its free storage falls this much a minute from where it starts (the near-full database
# the out-of-disk runbook is for; its screen says when it is full).
FILLING = {"pardon-production-db": (5e9, 30e6)}


class Metrics:
    """Call `backfill()` once, then `tick(now)` every minute."""

    def __init__(self, aws: Aws, seed: int | None = None) -> None:
        self.aws = aws
        self.random = random.Random(seed)
        self._level: dict[tuple[Any, ...], float] = {}
        self._allocated: dict[tuple[tuple[str, str], ...], int] = {}  # each instance's GiB when last seen

    def _series(self) -> list[tuple[tuple[str, str, str, float, float], tuple[tuple[str, str], ...]]]:
        ecs, rds, elb = self.aws.client("ecs"), self.aws.client("rds"), self.aws.client("elbv2")
        found = []
        for cluster in ecs.list_clusters()["clusterArns"]:
            name = cluster.rsplit("/", 1)[-1]
            for service in ecs.list_services(cluster=cluster)["serviceArns"]:
                dims = (("ClusterName", name), ("ServiceName", service.rsplit("/", 1)[-1]))
                found += [(kind, dims) for kind in ECS]
        for db in rds.describe_db_instances()["DBInstances"]:
            if not db.get("DBClusterIdentifier"):
                dims = (("DBInstanceIdentifier", db["DBInstanceIdentifier"]),)
                found += [(kind, dims) for kind in RDS + (REPLICA if parse_instance(db).replica_of else ())]
                self._grown(dims, db.get("AllocatedStorage") or 0)
        for cluster in rds.describe_db_clusters()["DBClusters"]:
            database = parse_cluster(cluster)
            kinds = AURORA + (SERVERLESS if database.serverless else ()) + (READERS if database.readers else ())
            found += [(kind, (("DBClusterIdentifier", cluster["DBClusterIdentifier"]),)) for kind in kinds]
        for group in elb.describe_target_groups()["TargetGroups"]:
            for balancer in group.get("LoadBalancerArns") or []:
                dims = (("LoadBalancer", arn_suffix(balancer, "app/")),
                        ("TargetGroup", arn_suffix(group["TargetGroupArn"], "targetgroup/")))
                found += [(kind, dims) for kind in ALB]
        for function in self.aws.client("lambda").list_functions()["Functions"]:
            found += [(kind, (("FunctionName", function["FunctionName"]),)) for kind in LAMBDA]
        for table in self.aws.client("dynamodb").list_tables()["TableNames"]:
            found += [(kind, (("TableName", table),)) for kind in DYNAMODB]
        return found + [((m.namespace, m.name, "Count", low, high), m.dimensions) for m, low, high in CUSTOM]

    def _grown(self, dims: tuple[tuple[str, str], ...], allocated: int) -> None:
        """Storage grown (G in warroom): the free space rises by as much, as on RDS."""
        before = self._allocated.get(dims, allocated)
        self._allocated[dims] = allocated
        key = (("AWS/RDS", "FreeStorageSpace"), dims)
        if allocated > before and key in self._level:
            self._level[key] += (allocated - before) * (1 << 30)

    def _value(self, kind: tuple[str, str, str, float, float], dims: tuple[tuple[str, str], ...]) -> float:
        low, high = kind[3], kind[4]
        if kind[1] in RARE:
            return float(round(self.random.uniform(low, high))) if self.random.random() < RARE[kind[1]] else 0.0
        key = (kind[:2], dims)
        filling = FILLING.get(dims[0][1]) if kind[1] == "FreeStorageSpace" else None
        if filling is not None:
            level = max(0.0, self._level.get(key, filling[0]) - filling[1] * self.random.uniform(0.8, 1.2))
            self._level[key] = level
            return level
        level = self._level.get(key, self.random.uniform(low, (low + high) / 2))
        level = min(high, max(low, level + self.random.gauss(0, (high - low) / 20)))
        self._level[key] = level
        return float(round(level)) if kind[2] == "Count" else level

    def _put(self, points: list[tuple[str, dict[str, Any]]]) -> None:
        by_namespace: dict[str, list[dict[str, Any]]] = {}
        for namespace, datum in points:
            by_namespace.setdefault(namespace, []).append(datum)
        cloudwatch = self.aws.client("cloudwatch")
        for namespace, data in by_namespace.items():
            for start in range(0, len(data), BATCH):
                cloudwatch.put_metric_data(Namespace=namespace, MetricData=data[start:start + BATCH])

    def _points(self, at: datetime, series: list[Any]) -> list[tuple[str, dict[str, Any]]]:
        return [(kind[0], {"MetricName": kind[1], "Unit": kind[2], "Timestamp": at, **self._measure(kind, dims),
                           "Dimensions": [{"Name": k, "Value": v} for k, v in dims]})
                for kind, dims in series]

    def _measure(self, kind: tuple[str, str, str, float, float], dims: tuple[tuple[str, str], ...]) -> dict[str, Any]:
        """The minute's Value, or its Values when the metric is a spread of requests."""
        level = self._value(kind, dims)
        if kind[1] not in SPREAD:
            return {"Value": level}
        return {"Values": [level * self.random.lognormvariate(0, 0.6) for _ in range(SPREAD[kind[1]])]}

    def backfill(self, now: datetime, minutes: int = 60) -> None:
        series = self._series()
        self._put([point for minute in range(minutes, 0, -1)
                   for point in self._points(now - timedelta(minutes=minute), series)])

    def tick(self, now: datetime) -> None:
        self._put(self._points(now, self._series()))
