"""`warroom timeline [--env NAME] [--since 2h] [--until TIME] [--markdown | --json]`: what changed in the
environment, when, and who did it, on one clock. Exit 0 when every source was read, 1 when one could not be
(it is named, the others are shown), 2 when nothing could be read (credentials, endpoint, config)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from warroom import inputs
from warroom.pipes import quiet_when_closed
from warroom.start import read_once
from warroom.untrusted import clean


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="warroom timeline",
                                description="What changed, when, and who did it: CloudTrail writes, alarm state "
                                            "changes, ECS deployments and events, RDS events, warroom's actions.")
    p.add_argument("--env", metavar="NAME", help="environment from the config file")
    p.add_argument("--config", metavar="FILE", type=Path, help="config file")
    p.add_argument("--profile", help="AWS profile (overrides the environment's)")
    p.add_argument("--region", help="AWS region (overrides the environment's)")
    p.add_argument("--since", type=inputs.since, default="2h", help="30m, 2h, 1d, or an ISO time (default 2h)")
    p.add_argument("--until", type=inputs.since, default=None, help="an ISO time or an age like --since (default now)")
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--markdown", action="store_true", help="a table for the post-mortem, oldest first")
    shape.add_argument("--json", action="store_true", help="JSON, oldest first (schema warroom.timeline/1)")
    return p


@quiet_when_closed
def run(argv: Sequence[str]) -> int:
    from warroom.audit import AuditLog
    from warroom.timeline import as_json, markdown, read_timeline

    args = parser().parse_args(argv)
    until = args.until or datetime.now(timezone.utc)
    done = read_once(args, "read", lambda aws, env, identity: read_timeline(aws, env, identity, AuditLog(),
                                                                             args.since, until))
    if done is None:
        return 2
    timeline, env, identity = done
    status = 1 if timeline.missing else 0
    if args.json:
        print(json.dumps(as_json(timeline, env.name, identity), indent=2))  # ASCII: controls arrive escaped
    elif args.markdown:
        print(markdown(timeline, f"warroom timeline · {env.name} · {identity.account} · {identity.region}"), end="")
    else:
        for change in timeline.changes:
            who = " · ".join(part for part in (change.actor, change.via) if part)
            print(f"{change.at:%Y-%m-%d %H:%M:%S}  {change.source:<10}  {clean(change.resource, limit=80)}  "
                  f"{clean(change.what, limit=300)}" + (f"  ({clean(who, limit=200)})" if who else ""))
        for source, why in timeline.missing:
            print(f"not read: {source}: {clean(why)}", file=sys.stderr)
    return status
