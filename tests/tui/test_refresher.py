"""The refresher: one read in flight per pane, results as messages, capped backoff after failures."""

from __future__ import annotations

import asyncio

from textual.app import App

from tui.data.errors import AwsError
from tui.refresher import BACKOFF_CAP, PaneFailed, PaneUpdated, Refresher, backoff


def test_backoff_doubles_then_caps():
    assert [backoff(10, n) for n in range(1, 6)] == [20, 40, 80, BACKOFF_CAP, BACKOFF_CAP]
    assert backoff(300, 3) == 300  # an interval longer than the cap is never shortened


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[object] = []

    def on_pane_updated(self, message: PaneUpdated) -> None:
        self.messages.append(message)

    def on_pane_failed(self, message: PaneFailed) -> None:
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
        refresher.add("p", slow_read, app)
        await pilot.pause()
        for _ in range(5):
            refresher.refresh_now()
        assert started == 1 and refresher.in_flight("p")
        release.set()
        await pilot.pause(0.1)
        assert [type(m) for m in app.messages] == [PaneUpdated]
        assert not refresher.in_flight("p")


async def test_failure_posts_the_error_and_the_backoff():
    app = Host()

    async def failing() -> None:
        raise AwsError("ThrottlingException", "Rate exceeded", "DescribeServices")

    async with app.run_test() as pilot:
        refresher = Refresher(app, interval=10)
        refresher.add("p", failing, app)
        await pilot.pause(0.1)
        failed = [m for m in app.messages if isinstance(m, PaneFailed)]
        assert len(failed) == 1
        assert failed[0].error.throttled and failed[0].retry_in == 20
        refresher.remove("p")
