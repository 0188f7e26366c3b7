"""The audit log file and `warroom audit`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from warroom.actions import Action, Command
from warroom.audit import AuditLog
from warroom.cli import main
from warroom.config import Environment
from warroom.data.models import Identity
from tests.hostile import as_message, corpus
from warroom.pipes import CLOSED
from warroom.runner import ActionRunner, Sent, Where
from warroom.untrusted import clean

WRITER = """
import sys
from pathlib import Path
from warroom.audit import AuditLog
log = AuditLog(Path(sys.argv[1]))
for i in range(2000):
    log.write({"phase": "intent", "target": f"{sys.argv[2]}-{i}", "cli": "x" * 10_000})
"""


def test_records_append_fsync_and_torn_lines_are_skipped(tmp_path):
    log = AuditLog(tmp_path / "sub" / "audit.jsonl")
    log.write({"phase": "intent", "action": "scale", "target": "prod/api", "before": "desired 2",
               "after": "desired 5"})
    with log.path.open("a") as out:
        out.write('{"time": "2026-11-23T03:00:00+00:00", "phase": "outc')  # a crash mid-write
    log.write({"phase": "outcome", "action": "scale", "target": "prod/api", "outcome": "ok", "request_id": "r-1"})
    assert [r["phase"] for r in log.records()] == ["intent", "outcome"]  # the torn line alone is skipped
    assert oct(log.path.stat().st_mode & 0o777) == "0o600"
    assert oct(log.path.parent.stat().st_mode & 0o777) == "0o700"


@pytest.mark.parametrize("target_exists", [True, False])
def test_a_symlink_at_the_path_is_refused_and_its_target_untouched(tmp_path, target_exists):
    target = tmp_path / "elsewhere"
    if target_exists:
        target.write_text("precious\n")
    (tmp_path / "log").mkdir(mode=0o700)
    log = AuditLog(tmp_path / "log" / "audit.jsonl")
    log.path.symlink_to(target)
    with pytest.raises(OSError, match=r"audit.jsonl is a symbolic link$"):
        log.write({"phase": "intent", "action": "scale"})
    assert target.read_text() == "precious\n" if target_exists else not target.exists()


def test_a_readable_log_and_folder_are_tightened_and_said(tmp_path):
    folder = tmp_path / "log"
    folder.mkdir()
    folder.chmod(0o755)
    log = AuditLog(folder / "audit.jsonl")
    log.path.write_text('{"time": "2026-11-23T03:00:00+00:00", "phase": "intent"}\n')
    log.path.chmod(0o644)
    log.write({"phase": "outcome", "action": "scale"})
    assert (folder.stat().st_mode & 0o777, log.path.stat().st_mode & 0o777) == (0o700, 0o600)
    assert log.notices == [f"audit log: {folder} was mode 0755, now 0700",
                           f"audit log: {log.path} was mode 0644, now 0600"]
    log.write({"phase": "outcome", "action": "scale"})
    assert len(log.notices) == 2 and [r["phase"] for r in log.records()] == ["intent", "outcome", "outcome"]


def test_another_users_log_is_refused(tmp_path, monkeypatch):
    log = AuditLog(tmp_path / "audit.jsonl")
    log.write({"phase": "intent"})
    monkeypatch.setattr(os, "getuid", lambda: os.stat(tmp_path).st_uid + 1)
    with pytest.raises(OSError, match=r"is owned by uid \d+, not by you$"):
        log.write({"phase": "outcome"})
    assert len(log.path.read_text().splitlines()) == 1


def test_a_refused_log_means_nothing_is_sent(tmp_path):
    """The runner turns the refusal into one line and never runs the action."""
    async def current(_: object) -> str:
        return "desired 2"

    async def run(_: object) -> str:
        raise AssertionError("sent")

    log = AuditLog(tmp_path / "audit.jsonl")
    log.path.symlink_to(tmp_path / "elsewhere")
    action = Action(name="scale", title="Scale prod/api", target="prod/api", confirm_name="api",
                    before="desired 2", after="desired 5", cli=Command("aws ecs update-service"), current=current,
                    run=run, follow=run)
    where = Where("prod", Identity("123456789012", "arn:aws:sts::123456789012:user/x", "r"))
    backend = SimpleNamespace(env=Environment(name="prod"), identity=where.identity,  # where it was opened
                              credentials_expire=lambda: None)
    sent = asyncio.run(ActionRunner(backend, log, read_only=False).send(action, where))  # type: ignore[arg-type]
    assert sent == Sent(None, f"Scale prod/api not sent: the audit log cannot be written ({log.path} is a symbolic "
                              "link)")
    assert not (tmp_path / "elsewhere").exists()


def test_two_writers_at_once_leave_every_record_whole(tmp_path):
    path = tmp_path / "audit.jsonl"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name]) for name in ("a", "b")]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    data = path.read_bytes()
    lines = data.split(b"\n")
    assert data.endswith(b"\n") and lines.count(b"") == 1  # no blank line: only the end of the last one
    targets = [json.loads(line)["target"] for line in lines[:-1]]
    assert sorted(targets) == sorted(f"{name}-{i}" for name in "ab" for i in range(2000))


def test_a_record_without_a_zone_is_read_as_utc(tmp_path, capsys):
    path = tmp_path / "audit.jsonl"
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    path.write_text("".join(json.dumps({"time": (now - timedelta(minutes=minutes)).isoformat(), "phase": "intent",
                                        "target": f"{minutes}-minutes-ago"}) + "\n" for minutes in (90, 5)))
    assert main(["audit", "--file", str(path), "--since", "1h"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and "5-minutes-ago" in out[1]


def test_warroom_audit_prints_a_table(tmp_path, capsys):
    log = AuditLog(tmp_path / "audit.jsonl")
    log.write({"phase": "intent", "action": "scale", "target": "prod/api", "before": "desired 2",
               "after": "desired 5"})
    log.write({"phase": "outcome", "action": "scale", "target": "prod/api", "before": "desired 2",
               "after": "desired 5", "outcome": "error", "error_code": "AccessDenied", "error_message": "no"})
    assert main(["audit", "--file", str(log.path), "--since", "1h"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("TIME") and len(lines) == 3
    assert "desired 2 → desired 5" in lines[1] and lines[2].endswith("error AccessDenied: no")


@pytest.mark.parametrize("name,value", corpus(), ids=[name for name, _ in corpus()])
def test_hostile_targets_are_printed_literally_even_when_piped(tmp_path, capsys, name, value):
    log = AuditLog(tmp_path / "audit.jsonl")
    target = as_message(value)
    log.write({"phase": "intent", "action": "silence", "target": target, "before": target, "after": "off"})
    assert main(["audit", "--file", str(log.path)]) == 0
    out = capsys.readouterr().out
    assert clean(target)[:40] in out and not [c for c in out if c < " " and c != "\n" or "\x7f" <= c <= "\x9f"]


def test_an_intent_without_its_outcome_says_so(tmp_path, capsys):
    log = AuditLog(tmp_path / "audit.jsonl")
    for phase, id_ in (("intent", "a1"), ("outcome", "a1"), ("intent", "b2")):
        log.write({"id": id_, "phase": phase, "action": "scale", "target": "prod/api", "before": "desired 2",
                   "after": "desired 5", **({"outcome": "ok", "request_id": "r-1"} if phase == "outcome" else {})})
    assert main(["audit", "--file", str(log.path)]) == 0
    first, answered, unanswered = capsys.readouterr().out.splitlines()[1:]
    assert "no outcome" not in first and answered.endswith("ok r-1")
    assert unanswered.endswith("no outcome recorded (still running, or warroom ended before it could write one)")


def test_the_table_has_environment_and_account_columns(tmp_path, capsys):
    log = AuditLog(tmp_path / "audit.jsonl")
    log.write({"phase": "intent", "environment": "production", "account": "123456789012", "action": "scale",
               "target": "prod/api", "before": "desired 2", "after": "desired 5"})
    assert main(["audit", "--file", str(log.path)]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split()[:5] == ["TIME", "PHASE", "ENVIRONMENT", "ACCOUNT", "ACTION"]
    assert row.split()[2:6] == ["intent", "production", "123456789012", "scale"]


def test_the_demo_keeps_its_audit_log_and_saved_logs_apart(moto_server, monkeypatch, tmp_path, capsys):
    from warroom import cli
    from warroom.config import Environment

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(cli, "_start_demo", lambda: Environment(name="demo"))  # the fleet itself is not needed
    app = cli.prepare(["--demo"])
    demo = tmp_path / "state" / "warroom" / "demo"
    assert app.runner.audit.path == demo / "audit.jsonl" and app.runner.audit.saved_logs == demo / "logs"
    app.runner.audit.write({"phase": "intent", "environment": "demo", "account": app.backend.identity.account,
                          "action": "scale", "target": "demo/web", "before": "desired 2", "after": "desired 3"})
    assert main(["audit"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == []  # the real audit log holds nothing of the demo
    assert main(["audit", "--demo"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[3:5] == ["demo", "123456789012"]
    assert not (tmp_path / "state" / "warroom" / "log").exists()
    assert cli.prepare([]).runner.audit.path == tmp_path / "state" / "warroom" / "log" / "audit.jsonl"


def test_a_reader_that_closes_the_pipe_ends_it_quietly(tmp_path):
    """`warroom audit | head -1`, the installed command in a real pipe: no traceback, the SIGPIPE status."""
    state = tmp_path / "home" / ".local" / "state"
    path = state / "warroom" / "log" / "audit.jsonl"
    path.parent.mkdir(parents=True)
    record = {"time": "2026-11-23T03:00:00+00:00", "phase": "intent", "action": "scale"}
    path.write_text("".join(json.dumps({**record, "target": f"prod/api-{i}"}) + "\n" for i in range(20_000)))
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_STATE_HOME": str(state)}
    for _ in range(5):  # it failed in 12 of 15 runs: one success proves little
        writer = subprocess.Popen([str(Path(sys.executable).parent / "warroom"), "audit"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert writer.stdout.readline().startswith(b"TIME")
        writer.stdout.close()  # the reader goes away after one line, as `head -1` does (1.7 MB are still to come)
        err = writer.stderr.read().decode()
        assert (writer.wait(timeout=30), err) == (CLOSED, "")
