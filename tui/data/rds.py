"""RDS reads: DB instances and Aurora/Multi-AZ clusters, paginated."""

from __future__ import annotations

import asyncio
from typing import Any, Sequence

from warroom.data.aws import Aws
from warroom.data.parse import optional_int, text, when
from warroom.data.errors import AwsError
from warroom.data.models import Database, RestoreSource, Snapshot

PAGE = 100


def parse_instance(raw: dict[str, Any]) -> Database:
    storage = optional_int(raw.get("AllocatedStorage"))
    endpoint = raw.get("Endpoint") or {}
    return Database(
        id=text(raw.get("DBInstanceIdentifier")),
        kind="instance",
        engine=text(raw.get("Engine")),
        engine_version=text(raw.get("EngineVersion")),
        status=text(raw.get("DBInstanceStatus")),
        instance_class=text(raw.get("DBInstanceClass")),
        multi_az=bool(raw.get("MultiAZ")),
        storage_gb=None if raw.get("DBClusterIdentifier") else storage,
        endpoint=text(endpoint.get("Address")),
        cluster_id=text(raw.get("DBClusterIdentifier")),
        port=optional_int(endpoint.get("Port")),
        max_storage_gb=optional_int(raw.get("MaxAllocatedStorage")),
        serverless=raw.get("DBInstanceClass") == "db.serverless",
        replica_of=text(raw.get("ReadReplicaSourceDBInstanceIdentifier")),
    )


def parse_cluster(raw: dict[str, Any]) -> Database:
    storage = optional_int(raw.get("AllocatedStorage"))
    engine = text(raw.get("Engine"))
    serverless = raw.get("ServerlessV2ScalingConfiguration") or {}
    klass = text(raw.get("DBClusterInstanceClass")) or (
        f"serverless v2 {serverless.get('MinCapacity', '?')}-{serverless.get('MaxCapacity', '?')} ACU"
        if serverless else "")
    return Database(
        id=text(raw.get("DBClusterIdentifier")),
        kind="cluster",
        engine=engine,
        engine_version=text(raw.get("EngineVersion")),
        status=text(raw.get("Status")),
        instance_class=klass,
        multi_az=bool(raw.get("MultiAZ")),
        storage_gb=None if engine.startswith("aurora") else storage,
        endpoint=text(raw.get("Endpoint")),
        port=optional_int(raw.get("Port")),
        serverless=bool(serverless) or raw.get("EngineMode") == "serverless",
        readers=sum(1 for member in raw.get("DBClusterMembers") or () if not member.get("IsClusterWriter")),
    )


async def _all(aws: Aws, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    async for page in aws.pages("rds", operation, PaginationConfig={"PageSize": PAGE}, **params):
        items.extend(page.get(key) or ())
    return items


async def read_databases(aws: Aws, ids: Sequence[str] = ()) -> tuple[Database, ...]:
    """Clusters first then instances (both read concurrently); with `ids`, only those and their members."""
    clusters, instances = await asyncio.gather(
        _all(aws, "describe_db_clusters", "DBClusters"), _all(aws, "describe_db_instances", "DBInstances"))
    databases = [parse_cluster(c) for c in clusters] + [parse_instance(i) for i in instances]
    if ids:
        wanted = set(ids)
        databases = [d for d in databases if d.id in wanted or d.cluster_id in wanted]
    return tuple(databases)


def parse_snapshot(raw: dict[str, Any], kind: str) -> Snapshot:
    prefix = "DBClusterSnapshot" if kind == "cluster" else "DBSnapshot"
    return Snapshot(
        id=text(raw.get(f"{prefix}Identifier")),
        database=text(raw.get("DBClusterIdentifier" if kind == "cluster" else "DBInstanceIdentifier")),
        kind=kind,
        status=text(raw.get("Status")),
        progress=optional_int(raw.get("PercentProgress")),
        created_at=when(raw.get("SnapshotCreateTime")),
        type=text(raw.get("SnapshotType")),
    )


async def read_snapshots(aws: Aws, database: Database) -> tuple[Snapshot, ...]:
    """The database's snapshots, newest first (a cluster's are cluster snapshots)."""
    if database.kind == "cluster":
        raws = await _all(aws, "describe_db_cluster_snapshots", "DBClusterSnapshots",
                          DBClusterIdentifier=database.id)
    else:
        raws = await _all(aws, "describe_db_snapshots", "DBSnapshots", DBInstanceIdentifier=database.id)
    snapshots = [parse_snapshot(raw, database.kind) for raw in raws]
    return tuple(sorted(snapshots, key=lambda s: s.created_at.timestamp() if s.created_at else 0.0, reverse=True))


async def _describe(aws: Aws, kind: str, identifier: str) -> dict[str, Any] | None:
    """The raw description of one instance or cluster; None when there is none by that id."""
    operation, key, param = ("describe_db_clusters", "DBClusters", "DBClusterIdentifier") if kind == "cluster" \
        else ("describe_db_instances", "DBInstances", "DBInstanceIdentifier")
    try:
        found = (await aws.call("rds", operation, **{param: identifier})).get(key) or []
    except AwsError as exc:
        if exc.code in ("DBInstanceNotFound", "DBInstanceNotFoundFault", "DBClusterNotFoundFault",
                        "DBClusterNotFound"):
            return None
        raise
    return found[0] if found else None


async def read_database(aws: Aws, kind: str, identifier: str) -> Database | None:
    """One instance or cluster as it is now; None when it does not exist (yet)."""
    raw = await _describe(aws, kind, identifier)
    return None if raw is None else (parse_cluster(raw) if kind == "cluster" else parse_instance(raw))


async def read_restore_source(aws: Aws, database: Database) -> RestoreSource:
    """The source's subnet group, VPC security groups and class: what a restore offers as defaults."""
    raw = await _describe(aws, database.kind, database.id)
    if raw is None:
        raise AwsError("DBNotFound", f"{database.id} no longer exists", "DescribeDBInstances")
    subnet = raw.get("DBSubnetGroup")
    return RestoreSource(
        subnet_group=text(subnet.get("DBSubnetGroupName") if isinstance(subnet, dict) else subnet),
        security_groups=tuple(text(g.get("VpcSecurityGroupId")) for g in raw.get("VpcSecurityGroups") or ()
                              if g.get("VpcSecurityGroupId")),
        instance_class="" if database.kind == "cluster" else text(raw.get("DBInstanceClass")),
        engine=text(raw.get("Engine")),
    )
