"""`warroom check [--env NAME]... [--all-envs] [--profile P] [--region R] [--json] [--since 1h] [--max-errors N]`:
the morning health check once, without the TUI, in one environment or several at once. Exit 0 when everything is
as expected, 1 when something is not, 2 when it could not check (credentials, endpoint, config): with several, the
worst of them."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Awaitable, Sequence

from warroom import inputs
from warroom.config import ConfigError, Environment, load_all
from warroom.pipes import quiet_when_closed
from warroom.start import read_each, read_once
from warroom.untrusted import clean

if TYPE_CHECKING:
    from warroom.check import Report
    from warroom.data.aws import Aws
    from warroom.data.models import Identity

COLUMNS = ("CHECK", "RESOURCE", "STATUS", "DETAIL")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="warroom check", description="Run the morning health check once.")
    p.add_argument("--env", metavar="NAME", action="append",
                   help="environment from the config file; more than once: each of them, at once")
    p.add_argument("--all-envs", action="store_true", help="every environment of the config file, at once")
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
    from warroom.check import run_check, several_as_json

    args = parser().parse_args(argv)
    names = _names(args)
    if isinstance(names, str):
        print(f"warroom: {clean(names)}", file=sys.stderr)
        return 2
    now = datetime.now(timezone.utc)

    def check(aws: Aws, env: Environment, identity: Identity) -> Awaitable[Report]:
        return run_check(aws, env, identity, args.since, now, args.max_errors)

    if not names:  # the one environment the options choose
        done = read_once(args, "check", check)
        if done is None:
            return 2
        if args.json:
            print(json.dumps(done[0].as_json(), indent=2))  # ASCII: a C1 control from AWS arrives as \u009b
        else:
            _print(done[0], args.all)
        return 0 if done[0].ok else 1
    results = read_each(args, names, "check", check)
    outcomes = {name: done if isinstance(done, str) else done[0] for name, done in zip(names, results)}
    if args.json:
        print(json.dumps(several_as_json(outcomes, now, args.since), indent=2))
    for name, outcome in outcomes.items():
        if isinstance(outcome, str):
            print(f"warroom check · {clean(name)} · could not check: {outcome}",
                  file=sys.stderr if args.json else sys.stdout)
        elif not args.json:
            _print(outcome, args.all)
            print()
    return max(2 if isinstance(o, str) else 0 if o.ok else 1 for o in outcomes.values())


def _names(args: argparse.Namespace) -> list[str] | str:
    """The environments to check when there are several (--all-envs, or --env more than once); [] for one; a
    reason when the options cannot be used."""
    chosen = args.env or []
    if not args.all_envs and len(chosen) < 2:
        args.env = chosen[0] if chosen else None
        return []
    if args.profile or args.region:
        return "--profile and --region choose one environment: leave them out with --all-envs or several --env"
    try:
        envs, _ = load_all(args.config)
    except ConfigError as exc:
        return f"bad config: {exc}"
    missing = [name for name in chosen if name not in envs]
    if missing:
        return f"no environment {missing[0]!r} in the config file (have: {', '.join(envs) or 'none'})"
    return list(envs) if args.all_envs else list(dict.fromkeys(chosen))


def _print(report: Report, everything: bool) -> None:
    shown = [f for f in report.findings if everything or f.status != "ok"]
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
