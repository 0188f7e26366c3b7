"""RDS reads against the moto server: instances, Aurora clusters and their members."""

from __future__ import annotations

from warroom.data.rds import read_databases
from warroom.demo.world import create_aurora, create_instance


async def test_instances_and_clusters(aws, seeder, calls):
    create_instance(seeder, "continuum-production-db", multi_az=True, storage=200)
    create_aurora(seeder, "omni", instances=2)
    databases = await read_databases(aws)
    by_id = {d.id: d for d in databases}
    assert by_id["omni"].kind == "cluster" and by_id["omni"].engine == "aurora-postgresql"
    assert by_id["omni"].storage_gb is None
    assert by_id["omni-instance-1"].cluster_id == "omni"
    db = by_id["continuum-production-db"]
    assert (db.kind, db.status, db.instance_class, db.multi_az, db.storage_gb) == (
        "instance", "available", "db.t3.medium", True, 200)
    assert calls.count("DescribeDBInstances") == 1 and calls.count("DescribeDBClusters") == 1
    assert all(p["MaxRecords"] <= 100 for p in calls.named("DescribeDBInstances"))


async def test_configured_ids_keep_those_and_their_members(aws, seeder):
    create_instance(seeder, "keep-db")
    create_instance(seeder, "other-db")
    create_aurora(seeder, "keep-cluster", instances=1)
    databases = await read_databases(aws, ("keep-db", "keep-cluster"))
    assert sorted(d.id for d in databases) == ["keep-cluster", "keep-cluster-instance-1", "keep-db"]
