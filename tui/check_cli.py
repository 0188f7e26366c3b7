"""`warroom check [--env NAME] [--profile P] [--region R] [--json] [--since 1h] [--max-errors N]`: the morning
health check once, without the TUI. Exit 0 when everything is as expected, 1 when something is not, 2 when it
could not check (credentials, endpoint, config)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from warroom import inputs
from warroom.pipes import quiet_when_closed
from warroom.start import read_once
from warroom.untrusted import clean

COLUMNS = ("CHECK", "RESOURCE", "STATUS", "DETAIL")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="warroom check", description="Run the morning health check once.")
    p.add_argument("--env", metavar="NAME", help="environment from the config file")
    p.add_argument("--config", metavar="FILE", type=Path, help="config file")
    p.add_argument("--profile", help="AWS profile (overrides the environment's)")
    p.add_argument("--region", help="AWS region (overrides the environment's)")
    p.add_argument("--json", action="store_true", help="print the report as JSON (schema warroom.check/1)")
    p.add_argument("--since", type=inputs.since, default="1h",
                   help="window for counting ERROR lines: 30m, 1h, 6h, or an ISO time")
    p.add_argument("--max-errors", type=inputs.max_errors, default=10, metavar="N",
                   help="ERROR lines per log group in the window that still count as healthy, 0 to "
                        f"{inputs.MAX_ERRORS:,} (default 10)")
    p.add_argument("--all", action="store_true", help="list what is as expected too, not only the problems")
    return p


def table(rows: list[tuple[str, ...]], colour: bool) -> str:
    """Aligned columns; the status column red/green only when asked (a terminal without NO_COLOR)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths)] + [row[-1]]
        if colour and row is not rows[0]:
            cells[2] = f"\x1b[{'31;1' if row[2].strip() == 'PROBLEM' else '32'}m{cells[2]}\x1b[0m"
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


@quiet_when_closed
def run(argv: Sequence[str]) -> int:
    from warroom.check import run_check

    args = parser().parse_args(argv)
    now = datetime.now(timezone.utc)
    done = read_once(args, "check", lambda aws, env, identity: run_check(aws, env, identity, args.since, now,
                                                                          args.max_errors))
    if done is None:
        return 2
    report = done[0]
    if args.json:
        print(json.dumps(report.as_json(), indent=2))  # ASCII: a C1 control from AWS arrives as \u009b
        return 0 if report.ok else 1
    shown = [f for f in report.findings if args.all or f.status != "ok"]
    rows = [COLUMNS] + [(f.check, clean(f.resource, limit=120), "PROBLEM" if f.status != "ok" else "ok",
                         clean(f.detail, limit=200)) for f in shown]
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    summary = " · ".join(f"{kind} {c['checked']} ({c['problems']} not as expected)" if c["problems"] else
                         f"{kind} {c['checked']} ok" for kind, c in report.summary().items())
    print(f"warroom check · {clean(report.environment)} · {report.account} · {report.region} · "
          f"{report.checked_at:%Y-%m-%d %H:%M:%S} UTC")
    if len(rows) > 1:
        print(table(rows, colour))
    print(("all as expected: " if report.ok else "NOT as expected: ") + (summary or "nothing in scope"))
    return 0 if report.ok else 1
