"""The audit log file and `warroom audit`."""

from __future__ import annotations

from tui.audit import AuditLog
from tui.cli import main


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
