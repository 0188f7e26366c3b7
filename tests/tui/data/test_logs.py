"""Log reads against the moto server: the tail (once, in order, filter, since, several groups), targets, groups."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from warroom.data.errors import AwsError
from warroom.data.logs import LogTail, list_log_groups, read_log_target
from warroom.data.models import LogTarget
from warroom.demo.world import ServiceSpec, create_services, put_logs
from warroom.data.ecs import read_services
from warroom.data.models import Fleet


def now() -> datetime:
    return datetime.now(timezone.utc)


def make_group(seeder, name: str) -> None:
    seeder.client("logs").create_log_group(logGroupName=name)


async def test_events_put_while_tailing_appear_once_and_in_order(aws, seeder):
    make_group(seeder, "/ecs/api")
    put_logs(seeder, "/ecs/api", "app/app/t1", ["first", "second"], now() - timedelta(seconds=5))
    tail = LogTail(aws, LogTarget(("/ecs/api",)), now() - timedelta(minutes=5))
    assert [e.message for e in (await tail.read()).events] == ["first", "second"]
    put_logs(seeder, "/ecs/api", "app/app/t1", ["third", "fourth"], now())
    assert [e.message for e in (await tail.read()).events] == ["third", "fourth"]
    assert (await tail.read()).events == ()  # the overlap window re-reads them; none is shown twice


async def test_a_late_event_inside_the_overlap_is_not_lost(aws, seeder):
    make_group(seeder, "/ecs/api")
    put_logs(seeder, "/ecs/api", "s", ["newest"], now())
    tail = LogTail(aws, LogTarget(("/ecs/api",)), now() - timedelta(minutes=1))
    await tail.read()
    put_logs(seeder, "/ecs/api", "s2", ["ingested late"], now() - timedelta(seconds=4))
    assert [e.message for e in (await tail.read()).events] == ["ingested late"]


async def test_filter_pattern_is_sent_to_the_api(aws, seeder, calls):
    make_group(seeder, "/ecs/api")
    put_logs(seeder, "/ecs/api", "s", ["INFO ok", "ERROR boom", "INFO fine", "ERROR again"], now())
    tail = LogTail(aws, LogTarget(("/ecs/api",)), now() - timedelta(minutes=1), pattern="ERROR")
    assert [e.message for e in (await tail.read()).events] == ["ERROR boom", "ERROR again"]
    assert calls.named("FilterLogEvents")[0]["filterPattern"] == "ERROR"


async def test_since_leaves_out_older_events(aws, seeder):
    make_group(seeder, "/ecs/api")
    put_logs(seeder, "/ecs/api", "s", ["two hours ago"], now() - timedelta(hours=2))
    put_logs(seeder, "/ecs/api", "s", ["ten minutes ago"], now() - timedelta(minutes=10))
    tail = LogTail(aws, LogTarget(("/ecs/api",)), now() - timedelta(minutes=30))
    assert [e.message for e in (await tail.read()).events] == ["ten minutes ago"]


async def test_several_groups_interleave_by_timestamp(aws, seeder):
    for group in ("/ecs/api", "/ecs/web"):
        make_group(seeder, group)
    base = now() - timedelta(seconds=30)
    put_logs(seeder, "/ecs/api", "s", ["api 1"], base)
    put_logs(seeder, "/ecs/web", "s", ["web 2"], base + timedelta(seconds=1))
    put_logs(seeder, "/ecs/api", "s", ["api 3"], base + timedelta(seconds=2))
    tail = LogTail(aws, LogTarget(("/ecs/api", "/ecs/web")), base - timedelta(seconds=1))
    events = (await tail.read()).events
    assert [(e.group, e.message) for e in events] == [("/ecs/api", "api 1"), ("/ecs/web", "web 2"),
                                                       ("/ecs/api", "api 3")]


async def test_stream_prefix_keeps_the_service_streams(aws, seeder):
    make_group(seeder, "/ecs/shared")
    put_logs(seeder, "/ecs/shared", "api/app/1", ["mine"], now())
    put_logs(seeder, "/ecs/shared", "worker/app/1", ["not mine"], now())
    tail = LogTail(aws, LogTarget(("/ecs/shared",), "api/app/"), now() - timedelta(minutes=1))
    assert [e.message for e in (await tail.read()).events] == ["mine"]


async def test_log_target_from_the_task_definition(aws, seeder):
    create_services(seeder, [ServiceSpec("prod", "api", 1, log_group="/ecs/prod/api")], tasks=False)
    service = (await read_services(aws, Fleet()))[0]
    target = await read_log_target(aws, service)
    assert target == LogTarget(("/ecs/prod/api",), "app/app/", "api")


async def test_log_groups_by_prefix(aws, seeder):
    for group in ("/ecs/a", "/ecs/b", "/aws/lambda/x"):
        make_group(seeder, group)
    assert await list_log_groups(aws, "/ecs/") == ("/ecs/a", "/ecs/b")


async def test_missing_group_is_an_aws_error(aws):
    tail = LogTail(aws, LogTarget(("/nope",)), now() - timedelta(minutes=1))
    with pytest.raises(AwsError) as caught:
        await tail.read()
    assert caught.value.code == "ResourceNotFoundException"


async def test_a_burst_over_the_cap_is_read_to_its_end_over_the_next_polls(aws, seeder, monkeypatch):
    """More events in the overlap window than one poll may read: each poll goes on from where the cap stopped it
    (going back the overlap re-read the same capped page forever at 1,000 lines/s)."""
    monkeypatch.setattr("warroom.data.logs.PAGE_LIMIT", 5)
    monkeypatch.setattr("warroom.data.logs.MAX_PAGES", 2)  # at most 10 events a poll
    make_group(seeder, "/ecs/burst")
    start = now() - timedelta(seconds=30)
    put_logs(seeder, "/ecs/burst", "app/app/1", [f"line {i}" for i in range(35)], at=start)  # 35 ms: one burst
    tail = LogTail(aws, LogTarget(("/ecs/burst",)), start - timedelta(seconds=1))
    read: list[str] = []
    for _ in range(6):
        read += [e.message for e in (await tail.read()).events]
    assert read == [f"line {i}" for i in range(35)] and tail.caught_up
