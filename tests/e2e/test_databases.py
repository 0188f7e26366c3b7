"""Snapshot a database and see it available; restore a snapshot and see the new instance available; grow a
database's storage and see it available with the new size."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import confirm, focus, main_screen, only, prompt, settled

DB = "continuum-production-db"


def open_database(app) -> None:
    main_screen(app)
    focus(app, "3", "Sessions")
    only(app, "contin")
    app.terminal.press("Enter")
    app.terminal.wait("Snapshots")


@pytest.mark.parametrize("production", [False, True], ids=["plain", "production"])
def test_snapshot_a_database_and_see_it_available(world, start, keys, seeder, production):
    app = start("snapshot a database, see it available", production=production)
    open_database(app)
    app.terminal.press("S")
    prompt(app, "Snapshot id for")
    app.terminal.press("Enter")
    confirm(app)
    line, _ = settled(app)
    keys(app)
    snapshots = seeder.client("rds").describe_db_snapshots(DBInstanceIdentifier=DB, SnapshotType="manual")[
        "DBSnapshots"]
    assert len(snapshots) == 1 and snapshots[0]["DBSnapshotIdentifier"].startswith(f"{DB}-manual-")
    assert "settled after" in line and f"snapshot {snapshots[0]['DBSnapshotIdentifier']}: available" in line, line


@pytest.mark.parametrize("production", [False, True], ids=["plain", "production"])
def test_restore_a_snapshot_and_see_the_new_instance_available(world, start, keys, seeder, production):
    seeder.client("rds").create_db_snapshot(DBInstanceIdentifier=DB, DBSnapshotIdentifier=f"{DB}-manual-e2e")
    app = start("restore it, see it available", production=production)
    open_database(app)
    app.terminal.wait(f"{DB}-manual-e2e")
    app.terminal.press("T")
    prompt(app, "Enter continues to the confirm screen")
    app.terminal.press("Enter")
    confirm(app)
    line, _ = settled(app)
    keys(app)
    restored = [d for d in seeder.client("rds").describe_db_instances()["DBInstances"]
                if d["DBInstanceIdentifier"] not in {DB, "enterprise-prod-db", "pardon-production-db"}
                and not d.get("DBClusterIdentifier")]
    assert len(restored) == 1 and restored[0]["DBInstanceStatus"] == "available"
    assert "settled after" in line and f"instance {restored[0]['DBInstanceIdentifier']}: available" in line, line


def test_grow_a_database_s_storage_and_see_it_available(world, start, keys, seeder):
    app = start("grow a database's storage (out of disk)")
    open_database(app)
    app.terminal.press("G")
    prompt(app, "220 to 65,536")  # now 200 GiB: 10 % more at least
    app.terminal.press("Enter")  # the default: 10 % more, RDS's least step
    confirm(app)
    line, _ = settled(app)
    keys(app)
    described = seeder.client("rds").describe_db_instances(DBInstanceIdentifier=DB)["DBInstances"][0]
    assert described["AllocatedStorage"] == 220
    assert "settled after" in line and f"{DB}: available, 220 GiB" in line, line
