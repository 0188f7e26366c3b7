"""`warroom logs GROUP [GROUP...] [--since 1h] [--filter PATTERN] [--follow]`: the tail as plain text on stdout.

The same reads as the log screen (FilterLogEvents, deduplicated, interleaved), repeated until every event since
`--since` is out (one read takes at most 10,000 events per group); messages are made safe when stdout is a
terminal and written as received when it is a pipe or a file.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Sequence

from warroom import inputs
from warroom.logtext import plain_line
from warroom.pipes import quiet_when_closed
from warroom.untrusted import clean

FOLLOW_SECONDS = 2.0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="warroom logs", description="Print CloudWatch Logs events as plain text.")
    p.add_argument("groups", nargs="+", metavar="GROUP", help="log group names")
    p.add_argument("--since", type=inputs.since, default="10m",
                   help="5m, 30m, 1h, 6h, or an ISO time (default 10m)")
    p.add_argument("--filter", default="", metavar="PATTERN", help="CloudWatch filter pattern")
    p.add_argument("--follow", action="store_true", help="keep printing new events until interrupted")
    p.add_argument("--profile", help="AWS profile")
    p.add_argument("--region", help="AWS region")
    return p


@quiet_when_closed
def run(argv: Sequence[str]) -> int:
    from warroom.data.aws import Aws
    from warroom.data.errors import AwsError
    from warroom.data.live_tail import FollowTail
    from warroom.data.models import LogTarget

    args = parser().parse_args(argv)
    terminal = sys.stdout.isatty()
    try:
        aws = Aws(args.profile, args.region)
        tail = FollowTail(aws, LogTarget(tuple(args.groups)), args.since, args.filter, live=args.follow)
        try:
            while True:
                batch = asyncio.run(tail.read())
                for event in batch.events:
                    sys.stdout.write(plain_line(event, terminal=terminal) + "\n")
                sys.stdout.flush()
                if not args.follow and tail.poll.caught_up:
                    return 0
                if tail.poll.caught_up:  # else the next read goes on where the last one stopped, at once
                    time.sleep(FOLLOW_SECONDS)
        finally:
            tail.close()
    except AwsError as exc:
        print(f"warroom: {clean(exc.one_line())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
