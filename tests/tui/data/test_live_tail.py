"""StartLiveTail where the endpoint offers it, polling where not: each event returned once, whichever way."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from warroom.data.aws import Aws
from warroom.data.live_tail import FollowTail, LiveSession
from warroom.data.logs import LogTail
from warroom.data.models import LogTarget
from warroom.demo.world import put_logs

GROUP = "/ecs/live"


def now() -> datetime:
    return datetime.now(timezone.utc)


def seed(seeder) -> None:
    seeder.client("logs").create_log_group(logGroupName=GROUP)
    put_logs(seeder, GROUP, "app/app/1", ["one", "two"], now() - timedelta(seconds=20))


async def read_all(tail: FollowTail, times: int) -> list:
    batches = [await tail.read() for _ in range(times)]
    return batches


async def test_an_endpoint_without_live_tail_is_polled_and_says_so(aws, seeder):
    seed(seeder)
    tail = FollowTail(aws, LogTarget((GROUP,)), now() - timedelta(minutes=5))
    first = await tail.read()
    assert [e.message for e in first.events] == ["one", "two"] and first.mode == "poll"
    put_logs(seeder, GROUP, "app/app/1", ["three"], now())
    second = await tail.read()  # the live session is tried here: moto's StartLiveTail host does not exist
    assert [e.message for e in second.events] == ["three"]
    assert second.note.startswith("live tail unavailable (EndpointUnreachable)")
    assert (await tail.read()).events == ()
    tail.close()


async def test_a_session_that_ends_at_once_falls_back_without_repeats(moto_server, seeder):
    """moto's StartLiveTail answers one snapshot of every event and closes: that is not a live stream."""
    seed(seeder)
    aws = Aws(host_prefix=False)
    tail = FollowTail(aws, LogTarget((GROUP,)), now() - timedelta(minutes=5))
    shown = [e.message for batch in await read_all(tail, 2) for e in batch.events]
    put_logs(seeder, GROUP, "app/app/1", ["three"], now())
    batches = await read_all(tail, 3)
    shown += [e.message for batch in batches for e in batch.events]
    assert shown == ["one", "two", "three"]
    assert batches[-1].note == "live tail unavailable (the session ended at once); polling"
    aws.close()


class FakeStream:
    """An event stream as botocore yields it, held open until closed (moto cannot keep one open)."""

    def __init__(self, messages: list[dict]) -> None:
        self.messages = messages
        self.closed = threading.Event()

    def __iter__(self):
        yield from self.messages
        self.closed.wait(10)

    def close(self) -> None:
        self.closed.set()


async def test_live_events_are_parsed_and_deduplicated_against_polls(aws, seeder):
    seed(seeder)
    poll = LogTail(aws, LogTarget((GROUP,)), now() - timedelta(minutes=5))
    polled = (await poll.read()).events
    arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/live"
    stamp = lambda e: int(e.timestamp.timestamp() * 1000)  # noqa: E731
    stream = FakeStream([
        {"sessionStart": {"sessionId": "s"}},
        {"sessionUpdate": {"sessionResults": [
            {"logGroupIdentifier": arn, "logStreamName": "app/app/1", "message": "two", "timestamp": stamp(polled[1])},
            {"logGroupIdentifier": arn, "logStreamName": "app/app/1", "message": "live \x1b[2J",
             "timestamp": stamp(polled[1]) + 5, "ingestionTimestamp": stamp(polled[1]) + 9},
        ]}},
    ])
    session = LiveSession(stream, {arn: GROUP})
    for _ in range(100):
        if stream.messages and session._events:
            break
        threading.Event().wait(0.01)
    events = poll.live(session.drain())
    assert [(e.group, e.message) for e in events] == [(GROUP, "live \x1b[2J")]
    assert session.ended_at is None
    session.close()
    live_at = datetime.fromtimestamp((stamp(polled[1]) + 5) / 1000, timezone.utc)
    put_logs(seeder, GROUP, "app/app/1", ["live \x1b[2J"], live_at)  # FilterLogEvents has it too
    put_logs(seeder, GROUP, "app/app/1", ["after"], now())
    assert [e.message for e in (await poll.read()).events] == ["after"]  # the live one is not returned again
