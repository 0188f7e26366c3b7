"""RDS mutations: the call behind the snapshot action. Returns the AWS request id."""

from __future__ import annotations

from tui.data.aws import Aws
from tui.data.ecs_changes import request_id
from tui.data.models import Database


async def create_snapshot(aws: Aws, database: Database, snapshot_id: str) -> str:
    """CreateDBSnapshot, or CreateDBClusterSnapshot for an Aurora cluster; the id is fixed before the call, so
    a retried call cannot make a second snapshot (AWS refuses an id that exists)."""
    if database.kind == "cluster":
        response = await aws.call("rds", "create_db_cluster_snapshot", DBClusterIdentifier=database.id,
                                  DBClusterSnapshotIdentifier=snapshot_id)
    else:
        response = await aws.call("rds", "create_db_snapshot", DBInstanceIdentifier=database.id,
                                  DBSnapshotIdentifier=snapshot_id)
    return request_id(response)
