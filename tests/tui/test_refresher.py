"""The refresher: one read in flight per pane, results as messages, capped backoff after failures, and the panes
failing on one service taking turns then recovering together."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
from itertools import count
from typing import Any, Callable

from textual.app import App

from warroom import refresher as refresher_module
from warroom.data.errors import AwsError
from warroom.refresher import BACKOFF_CAP, THROTTLED_CAP, RefreshFailed, Refreshed, Refresher, Source, backoff

OUTAGE = AwsError("ServiceUnavailable", "Service Unavailable", "DescribeServices")  # a 503: not throttling


def test_backoff_doubles_then_caps_at_30_s():
    assert [backoff(10, n) for n in range(1, 6)] == [20, BACKOFF_CAP, BACKOFF_CAP, BACKOFF_CAP, BACKOFF_CAP]
    assert max(backoff(interval, n) for interval in (1, 5, 10, 20) for n in range(1, 40)) == BACKOFF_CAP == 30
    assert backoff(300, 3) == 300  # an interval longer than the cap is never shortened


def test_throttling_backs_off_further_with_jitter():
    for n, base in ((1, 20), (2, 40), (3, 80), (4, THROTTLED_CAP), (9, THROTTLED_CAP)):
        delays = {backoff(10, n, throttled=True) for _ in range(50)}
        assert all(base <= d <= base * 1.25 for d in delays) and len(delays) > 1  # jittered: panes spread out
    assert max(backoff(10, 9, throttled=True) for _ in range(50)) > BACKOFF_CAP


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[object] = []

    def on_refreshed(self, message: Refreshed[Any]) -> None:
        self.messages.append(message)

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        self.messages.append(message)


async def test_one_read_in_flight_however_often_refresh_is_asked():
    app = Host()
    started = 0
    release = asyncio.Event()

    async def slow_read() -> int:
        nonlocal started
        started += 1
        await release.wait()
        return started

    async with app.run_test() as pilot:
        refresher = Refresher(app, interval=60)
        refresher.add(Source("p"), slow_read, app)
        await pilot.pause()
        for _ in range(5):
            refresher.refresh_now()
        await pilot.pause()
        assert started == 1 and app.messages == []
        release.set()
        await pilot.pause(0.1)
        assert [type(m) for m in app.messages] == [Refreshed]
        refresher.refresh_now()  # the read has ended: the next one starts
        await pilot.pause(0.1)
        assert started == 2 and [type(m) for m in app.messages] == [Refreshed, Refreshed]


async def test_failure_posts_the_error_and_the_backoff():
    app = Host()

    async def failing() -> None:
        raise AwsError("ThrottlingException", "Rate exceeded", "DescribeServices")

    async with app.run_test() as pilot:
        refresher = Refresher(app, interval=10)
        refresher.add(source := Source("p"), failing, app)
        await pilot.pause(0.1)
        failed = [m for m in app.messages if isinstance(m, RefreshFailed)]
        assert len(failed) == 1
        assert failed[0].error.throttled and 20 <= failed[0].retry_in <= 25
        refresher.remove(source)


async def test_a_service_back_retries_its_failing_panes_at_once_not_other_services():
    app = Host()
    up = {"ecs": False, "rds": False}
    tries = {"services": 0, "detail": 0, "databases": 0, "tasks": 0}

    def read(name: str, service: str) -> Callable[[], Any]:
        async def go() -> str:
            tries[name] += 1
            if not up[service]:
                raise OUTAGE
            return name
        return go

    async def tasks() -> str:  # reads ECS fine all along: its errors were its own
        tries["tasks"] += 1
        return "tasks"

    sources = {name: Source(name, service) for name, service in
               (("services", "ecs"), ("detail", "ecs"), ("databases", "rds"), ("tasks", "ecs"))}
    async with app.run_test() as pilot:
        refresher = Refresher(app, interval=10)
        for name in ("services", "detail", "databases"):
            refresher.add(sources[name], read(name, sources[name].service), app)
        await pilot.pause(0.1)
        assert tries == {"services": 1, "detail": 1, "databases": 1, "tasks": 0}  # next tries 20 s away or more
        refresher.add(sources["tasks"], tasks, app)  # an ECS pane that never failed wakes no one
        await pilot.pause(0.1)
        assert tries == {"services": 1, "detail": 1, "databases": 1, "tasks": 1}
        up["ecs"] = up["rds"] = True
        refresher.refresh_now([sources["services"]])  # one read against ECS succeeds again...
        await pilot.pause(0.1)
        assert tries == {"services": 2, "detail": 2, "databases": 1, "tasks": 1}  # ...the other ECS pane at once
        assert {m.source.name for m in app.messages if isinstance(m, Refreshed)} == {"tasks", "services", "detail"}
        for source in sources.values():
            refresher.remove(source)


# A simulated clock: the refresher's real scheduling against outages of every length ----------------------------
class SimTimer:
    def __init__(self, callback: Callable[[], Any]) -> None:
        self.callback = callback
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class SimApp:
    """Stands in for the app: timers on a simulated clock; a read runs to its end the moment it starts."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[tuple[float, int, SimTimer]] = []
        self._order = count()
        self.failed: list[tuple[float, RefreshFailed]] = []

    def set_timer(self, delay: float, callback: Callable[[], Any]) -> SimTimer:
        timer = SimTimer(callback)
        heapq.heappush(self._timers, (self.now + delay, next(self._order), timer))
        return timer

    def run_worker(self, work: Any, **_: Any) -> None:
        with contextlib.suppress(StopIteration):
            work.send(None)

    def post_message(self, message: object) -> None:
        if isinstance(message, RefreshFailed):
            self.failed.append((self.now, message))

    def run_until(self, end: float) -> None:
        while self._timers and self._timers[0][0] <= end:
            self.now, _, timer = heapq.heappop(self._timers)
            if not timer.stopped:
                timer.callback()
        self.now = end


INTERVAL, PHASES = 10.0, (0.0, 2.5, 5.0, 7.5)  # four panes, reads spread over the interval


def simulate(monkeypatch: Any, services: tuple[str, ...], start: float, end: float) -> tuple[int, float]:
    """Four panes through an outage from `start` to `end`: (reads during it, latest first good read after it).
    Each failed read's "retry in" is never later than the next read."""
    app = SimApp()
    monkeypatch.setattr(refresher_module, "monotonic", lambda: app.now)
    refresher = Refresher(app, INTERVAL)  # type: ignore[arg-type]
    reads: list[tuple[float, str]] = []
    fresh: dict[str, float] = {}

    def read(name: str) -> Callable[[], Any]:
        async def go() -> None:
            reads.append((app.now, name))
            if start <= app.now < end:
                raise OUTAGE
            if app.now >= end:
                fresh.setdefault(name, app.now)
        return go

    for index, (phase, service) in enumerate(zip(PHASES, services)):
        app.run_until(phase)
        refresher.add(Source(f"pane{index}", service), read(f"pane{index}"), app)  # type: ignore[arg-type]
    app.run_until(end + 130)
    assert len(fresh) == len(PHASES)
    for at, failed in app.failed:
        assert min(t for t, name in reads if name == failed.source.name and t > at) <= at + failed.retry_in + 1e-9
    return sum(start <= t < end for t, _ in reads), max(fresh.values()) - end


def today(start: float, end: float) -> tuple[int, float]:
    """The same four panes with the backoff before: per pane, doubling from the interval up to 120 s."""
    reads, late = 0, 0.0
    for phase in PHASES:
        at, failures = phase, 0
        while at < end:
            reads += at >= start
            failures = failures + 1 if at >= start else 0
            at += min(INTERVAL * 2 ** failures, 120) if failures else INTERVAL
        late = max(late, at - end)
    return reads, late


OUTAGES = [(start, start + length) for start in (100.0, 101.3, 104.9, 107.6) for length in range(1, 301, 3)]


def test_after_any_outage_up_to_5_minutes_every_pane_is_fresh_within_30_s(monkeypatch):
    for services in (("ecs",) * 4, ("ecs", "cloudwatch", "rds", "postgres")):
        for start, end in OUTAGES:
            assert simulate(monkeypatch, services, start, end)[1] <= 30, (services, end - start)
    assert max(today(start, end)[1] for start, end in OUTAGES) > 90  # before: stale for up to 2 minutes


def test_panes_failing_on_one_service_make_no_more_reads_during_an_outage_than_before(monkeypatch):
    for start, end in OUTAGES:
        assert simulate(monkeypatch, ("ecs",) * 4, start, end)[0] <= today(start, end)[0], end - start
    assert simulate(monkeypatch, ("ecs",) * 4, 100, 400)[0] < today(100, 400)[0] == 20
