"""`warroom audit [--since 1h] [--file PATH | --demo]`: the audit log as a table, oldest first."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Sequence

from warroom import inputs
from warroom.audit import AuditLog, default_path, demo_dir
from warroom.pipes import quiet_when_closed
from warroom.untrusted import clean

COLUMNS = (("time", 19), ("phase", 7), ("environment", 12), ("account", 12), ("action", 16), ("target", 40),
           ("change", 30), ("result", 0))
AS_RECORDED = ("phase", "environment", "account", "action", "target")  # the columns copied from the record


NO_OUTCOME = "no outcome recorded (still running, or warroom ended before it could write one)"


def _cells(record: dict[str, Any], answered: set[str]) -> list[str]:
    result = record.get("outcome", "")
    if record.get("phase") == "intent" and record.get("id") and record["id"] not in answered:
        result = NO_OUTCOME
    if result == "ok" and record.get("request_id"):
        result = f"ok {record['request_id']}"
    elif result == "error":
        result = f"error {record.get('error_code', '')}: {record.get('error_message', '')}"
    return [str(record.get("time", ""))[:19].replace("T", " "), *(str(record.get(key, "")) for key in AS_RECORDED),
            f"{record.get('before', '')} → {record.get('after', '')}", result]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="warroom audit", description="Print warroom's audit log.")
    p.add_argument("--since", type=inputs.since, help="only records newer than this (1h, 2d, or an ISO time)")
    p.add_argument("--file", type=Path, default=None, help=f"audit log (default {default_path()})")
    p.add_argument("--demo", action="store_true", help=f"the demo's audit log, in {demo_dir()}")
    return p


@quiet_when_closed
def run(argv: Sequence[str]) -> int:
    args = parser().parse_args(argv)
    header = "  ".join(f"{name:<{width}}" if width else name for name, width in COLUMNS)
    print(header.upper())
    log = AuditLog.demo() if args.demo and not args.file else AuditLog(args.file)
    answered = {str(r["id"]) for r in log.records(args.since) if r.get("phase") == "outcome" and r.get("id")}
    for record in log.records(args.since):
        cells = [clean(c, limit=400) for c in _cells(record, answered)]  # a table to read, piped or not: never escapes
        print("  ".join(f"{c:<{width}}" if width else c for c, (_, width) in zip(cells, COLUMNS)))
    return 0
