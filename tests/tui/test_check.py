"""`warroom check` against the moto server: exit codes, the table, the JSON schema, ERROR lines counted."""

from __future__ import annotations

import json

import pytest

from warroom.cli import main
from warroom.demo.world import ServiceSpec, create_instance, create_services, put_alarm, put_logs


@pytest.fixture
def config(tmp_path):
    def write(**extra: str) -> str:
        lines = ['[env.prod]', 'log_groups = ["/ecs/api"]'] + [f"{k} = {v}" for k, v in extra.items()]
        path = tmp_path / "config.toml"
        path.write_text("\n".join(lines) + "\n")
        return str(path)
    return write


def healthy(seeder) -> None:
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=True)
    put_alarm(seeder, "prod-cpu", "OK")
    create_instance(seeder, "prod-db")
    put_logs(seeder, "/ecs/api", "app/app/1", ["INFO ok", "ERROR one bad request"])


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_healthy_fleet_exits_0(moto_server, seeder, config, capsys):
    healthy(seeder)
    code, out, _ = run(capsys, "--config", config())
    assert code == 0
    assert "all as expected: service 1 ok · alarm 1 ok · database 1 ok · storage 1 ok · log_errors 1 ok" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_a_service_below_desired_and_an_alarm_in_alarm_exit_1(moto_server, seeder, config, capsys):
    healthy(seeder)
    create_services(seeder, [ServiceSpec("prod", "web", 3, running=1)], tasks=True)
    put_alarm(seeder, "prod-5xx", "ALARM", reason="Threshold Crossed: [bold]5xx[/] \x1b[2J")
    code, out, _ = run(capsys, "--config", config())
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith("service") and "prod/web" in line and "PROBLEM" in line and "2 below desired" in line
               for line in lines)
    assert any("prod-5xx" in line and "in ALARM: Threshold Crossed: [bold]5xx[/] ␛[2J" in line for line in lines)
    assert "prod/api" not in out  # only the problems unless --all
    assert "NOT as expected: service 2 (1 not as expected) · alarm 2 (1 not as expected)" in out


def test_an_unavailable_database_and_many_errors(moto_server, seeder, config, capsys):
    healthy(seeder)
    seeder.client("rds").stop_db_instance(DBInstanceIdentifier="prod-db")
    put_logs(seeder, "/ecs/api", "app/app/2", [f"ERROR boom {i}" for i in range(12)])
    code, out, _ = run(capsys, "--config", config(), "--json")
    assert code == 1
    report = json.loads(out)
    assert report["schema"] == "warroom.check/1" and report["ok"] is False
    assert set(report) == {"schema", "ok", "environment", "account", "region", "checked_at", "since", "summary",
                           "findings"}
    problems = {(f["check"], f["resource"]): f["detail"] for f in report["findings"] if f["status"] == "problem"}
    assert problems == {("database", "prod-db"): "status stopped",
                        ("log_errors", "/ecs/api"): "13 ERROR lines (more than 10)"}
    assert report["summary"]["service"] == {"checked": 1, "problems": 0}
    assert all(set(f) == {"check", "resource", "status", "detail"} for f in report["findings"])


def test_an_unreachable_endpoint_exits_2(moto_server, config, capsys, monkeypatch):
    from warroom.demo.postgres import free_port

    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    code, out, err = run(capsys, "--config", config())
    assert code == 2 and out == ""
    assert err.startswith("warroom: ") and "Traceback" not in err and len(err.splitlines()) == 1


def test_unhealthy_load_balancer_targets_are_a_problem(moto_server, seeder, config, capsys):
    healthy(seeder)
    create_services(seeder, [ServiceSpec("prod", "web", 2, targets=("healthy", "stopped"))], tasks=True)
    code, out, _ = run(capsys, "--config", config(), "--json")
    report = json.loads(out)
    assert code == 1 and report["summary"]["targets"] == {"checked": 1, "problems": 1}
    finding = next(f for f in report["findings"] if f["check"] == "targets")
    assert finding["resource"] == "prod/web" and finding["detail"].startswith("1 of 2 targets not healthy: i-")


def test_an_instance_under_10_percent_free_storage_is_a_problem(moto_server, seeder, config, capsys):
    from datetime import datetime, timedelta, timezone

    healthy(seeder)
    create_instance(seeder, "full-db", storage=200)
    seeder.client("cloudwatch").put_metric_data(Namespace="AWS/RDS", MetricData=[
        {"MetricName": "FreeStorageSpace", "Unit": "Bytes", "Value": value * (1 << 30),
         "Timestamp": datetime.now(timezone.utc) - timedelta(minutes=2),
         "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": name}]}
        for name, value in (("full-db", 12.5), ("prod-db", 40.0))])
    code, out, _ = run(capsys, "--config", config(), "--json")
    report = json.loads(out)
    assert code == 1 and report["summary"]["storage"] == {"checked": 2, "problems": 1}
    found = {f["resource"]: (f["status"], f["detail"]) for f in report["findings"] if f["check"] == "storage"}
    assert found == {"full-db": ("problem", "12.5 GiB free of 200 GiB (6%): under 10%"),
                     "prod-db": ("ok", "40.0 GiB free of 100 GiB (40%)")}
