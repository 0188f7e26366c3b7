"""RDS mutations: the calls behind the snapshot and restore actions. Each returns the AWS request id."""

from __future__ import annotations

from warroom.data.aws import Aws
from warroom.data.ecs_changes import request_id
from warroom.data.models import Database, RestoreSource, Snapshot


async def create_snapshot(aws: Aws, database: Database, snapshot_id: str) -> str:
    """CreateDBSnapshot, or CreateDBClusterSnapshot for an Aurora cluster; the id is fixed before the call, and
    the call is sent once (a retry after a timeout would only meet AlreadyExists and hide that it worked)."""
    if database.kind == "cluster":
        response = await aws.call_once("rds", "create_db_cluster_snapshot", DBClusterIdentifier=database.id,
                                  DBClusterSnapshotIdentifier=snapshot_id)
    else:
        response = await aws.call_once("rds", "create_db_snapshot", DBInstanceIdentifier=database.id,
                                  DBSnapshotIdentifier=snapshot_id)
    return request_id(response)


async def restore_snapshot(aws: Aws, snapshot: Snapshot, new_id: str, source: RestoreSource) -> str:
    """RestoreDBInstanceFromDBSnapshot, or RestoreDBClusterFromSnapshot for an Aurora cluster snapshot, into
    `new_id`, fixed before the call, sent once (as for snapshots: the follow screen shows what happened)."""
    placement: dict[str, object] = {}
    if source.subnet_group:
        placement["DBSubnetGroupName"] = source.subnet_group
    if source.security_groups:
        placement["VpcSecurityGroupIds"] = list(source.security_groups)
    if snapshot.kind == "cluster":
        response = await aws.call_once("rds", "restore_db_cluster_from_snapshot", DBClusterIdentifier=new_id,
                                  SnapshotIdentifier=snapshot.id, Engine=source.engine, **placement)
    else:
        if source.instance_class:
            placement["DBInstanceClass"] = source.instance_class
        response = await aws.call_once("rds", "restore_db_instance_from_db_snapshot", DBInstanceIdentifier=new_id,
                                  DBSnapshotIdentifier=snapshot.id, **placement)
    return request_id(response)


async def set_storage(aws: Aws, database: Database, gigabytes: int) -> str:
    """ModifyDBInstance --allocated-storage, applied now (not at the next maintenance window)."""
    return request_id(await aws.call_once("rds", "modify_db_instance", DBInstanceIdentifier=database.id,
                                          AllocatedStorage=gigabytes, ApplyImmediately=True))
