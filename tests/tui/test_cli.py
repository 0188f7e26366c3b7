"""The command line: one clear line on stderr, never a traceback, for every reason it cannot start."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from warroom.cli import main, prepare

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    err = capsys.readouterr().err
    return code, err


def test_bad_config_is_one_line(tmp_path, capsys):
    path = tmp_path / "c.toml"
    path.write_text("[env.x]\nregion = 3\n")
    code, err = run(capsys, "--config", str(path))
    assert code == 2
    assert err == f"warroom: bad config: {path}:2: env.x.region must be a string\n"


def test_unknown_profile(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    code, err = run(capsys, "--config", str(tmp_path / "absent.toml"))
    assert code == 2 and "no such config file" in err
    monkeypatch.setattr("warroom.config.default_path", lambda: tmp_path / "absent.toml")
    code, err = run(capsys, "--profile", "ghost")
    assert code == 2
    assert err.startswith("warroom: ") and "ghost" in err and err.count("\n") == 1


def test_no_credentials(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("warroom.config.default_path", lambda: tmp_path / "absent.toml")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    code, err = run(capsys)
    assert code == 2
    assert err.startswith("warroom: no AWS credentials found") and err.count("\n") == 1


def test_unreachable_endpoint(capsys, monkeypatch, tmp_path, moto_server):
    monkeypatch.setattr("warroom.config.default_path", lambda: tmp_path / "absent.toml")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    code, err = run(capsys)
    assert code == 2
    assert err.startswith("warroom: EndpointUnreachable (GetCallerIdentity): cannot reach the endpoint")
    assert err.count("\n") == 1


def test_version(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("warroom ")


def test_prepare_reads_identity_and_environment(moto_server, monkeypatch, tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[env.prod]\nclusters = ["a"]\nread_only = true\n')
    app = prepare(["--config", str(path), "--refresh", "3"])
    assert app.backend.identity.account == "123456789012"
    assert app.read_only and app.backend.fleet.clusters == ("a",) and app.refresher.interval == 3


def test_logs_subcommand_prints_plain_lines(capsys, moto_server, seeder):
    from datetime import datetime, timedelta, timezone

    from warroom.demo.world import put_logs

    seeder.client("logs").create_log_group(logGroupName="/ecs/cli")
    put_logs(seeder, "/ecs/cli", "app/app/1", ["hello", "ERROR \x1b[2J boom"],
             datetime.now(timezone.utc) - timedelta(minutes=2))
    assert main(["logs", "/ecs/cli", "--since", "1h"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(" ", 2)[2] for line in out] == ["hello", "ERROR \x1b[2J boom"]  # a pipe gets it as received
    assert main(["logs", "/ecs/cli", "--since", "1h", "--filter", "ERROR"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_logs_subcommand_prints_every_event_past_one_reads_cap(capsys, moto_server, seeder, monkeypatch):
    """A read stops at MAX_PAGES pages per group; `warroom logs` reads on until it has every event since --since."""
    from datetime import datetime, timedelta, timezone

    from warroom.data import logs
    from warroom.demo.world import put_logs

    monkeypatch.setattr(logs, "MAX_PAGES", 1)  # 1,000 events a read
    seeder.client("logs").create_log_group(logGroupName="/ecs/long")
    put_logs(seeder, "/ecs/long", "app/app/1", [f"line {i}" for i in range(2500)],
             datetime.now(timezone.utc) - timedelta(minutes=20))
    assert main(["logs", "/ecs/long", "--since", "1h"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(" ", 2)[2] for line in out] == [f"line {i}" for i in range(2500)]


def test_logs_subcommand_errors_are_one_line(capsys, moto_server):
    assert main(["logs", "/ecs/none", "--since", "1h"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("warroom: ResourceNotFoundException (FilterLogEvents)") and err.count("\n") == 1


@pytest.mark.parametrize("command, argv, reason", [
    ("", ["--refresh", "nan"], "argument --refresh: 'nan' is not a number of seconds from 1 to 3600"),
    ("", ["--refresh", "inf"], "argument --refresh: 'inf' is not a number of seconds from 1 to 3600"),
    ("", ["--refresh", "0"], "argument --refresh: '0' is not a number of seconds from 1 to 3600"),
    ("logs", ["/ecs/api", "--since", "999999999d"], "argument --since: since '999999999d': at most 366d back"),
    ("logs", ["/ecs/api", "--since", "soon"], "argument --since: since 'soon': use 5m, 30m, 1h, 6h, 2d or an ISO"),
    ("check", ["--since", "999999999d"], "argument --since: since '999999999d': at most 366d back"),
    ("check", ["--since", "2099-01-01"], "argument --since: since '2099-01-01': a time between 1970 and now"),
    ("check", ["--max-errors", "-1"], "argument --max-errors: '-1' is not a whole number from 0 to 10000"),
    ("audit", ["--since", "999999999d"], "argument --since: since '999999999d': at most 366d back"),
])
def test_values_out_of_range_are_usage_errors(capsys, command, argv, reason):
    """Refused while the options are read, before anything else: usage and the reason, exit status 2."""
    from warroom import audit_cli, check_cli, cli, logs_cli

    parser = {"": cli, "logs": logs_cli, "check": check_cli, "audit": audit_cli}[command].parser()
    with pytest.raises(SystemExit) as caught:
        parser.parse_args(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2 and err.startswith(f"usage: warroom {command}".rstrip())
    assert reason in err.splitlines()[-1]


@pytest.mark.parametrize("command", [["logs", "/ecs/api"], ["check"], ["audit"]])
def test_an_overflowing_since_is_no_traceback(capsys, command):
    with pytest.raises(SystemExit) as caught:
        main([*command, "--since", "999999999d"])
    assert caught.value.code == 2 and "Traceback" not in capsys.readouterr().err


def test_logs_subcommand_ends_quietly_when_its_reader_closes_the_pipe(moto_server, seeder):
    """`warroom logs GROUP | head -1` with the installed command: no traceback, the SIGPIPE status."""
    import subprocess
    import sys
    from datetime import datetime, timedelta, timezone
    from pathlib import Path

    from warroom.demo.world import put_logs
    from warroom.pipes import CLOSED

    seeder.client("logs").create_log_group(logGroupName="/ecs/many")
    put_logs(seeder, "/ecs/many", "app/app/1", [f"line {i} " + "x" * 500 for i in range(2000)],
             datetime.now(timezone.utc) - timedelta(minutes=2))  # 1 MB: far over a pipe's buffer
    writer = subprocess.Popen([str(Path(sys.executable).parent / "warroom"), "logs", "/ecs/many", "--since", "1h"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # the moto endpoint is in os.environ
    assert b"line 0 " in writer.stdout.readline()
    writer.stdout.close()
    err = writer.stderr.read().decode()
    assert (writer.wait(timeout=60), err) == (CLOSED, "")


def test_an_unhandled_crash_exits_non_zero(tmp_path):
    script = """
import warroom.cli as cli
from textual.app import App

class Crash(App):
    def on_mount(self):
        raise RuntimeError("boom")

    def run(self, **options):
        return super().run(headless=True)

cli.prepare = lambda argv=None: Crash()
cli.main([])
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "boom" in done.stdout + done.stderr
