"""Notifications from the screens: an alarm entering ALARM (not the first read's), once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from warroom import clock
from warroom.refresher import Refreshed
from tests.helpers import wait_for
from tests.snapshot_app import ALARMS, SnapshotApp


async def test_an_alarm_entering_alarm_is_notified_once():
    app = SnapshotApp()
    said: list[tuple[str, str]] = []
    app.alert = lambda title, body: said.append((title, body))  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: app.screen.pane("alarms").rows)
            assert said == []  # the first read is the starting point, not news
            flipped = tuple(replace(a, state="ALARM") if a.state == "OK" else a for a in ALARMS)
            screen = app.screen
            for _ in range(2):
                screen.pane("alarms").post_message(Refreshed(screen.pane("alarms").source, flipped, clock.now()))
                await pilot.pause(0.2)
            assert said == [("ALARM", "omnirapeutic-production-aurora-cpu")]
    finally:
        clock.freeze(None)


async def test_someone_elses_write_is_notified_once_and_ones_own_never():
    app = SnapshotApp()
    app.backend.env = replace(app.backend.env, notify="osc9")
    said: list[tuple[str, str]] = []
    app.alert = lambda title, body: said.append((title, body))  # type: ignore[method-assign]
    clock.freeze(datetime(2026, 11, 23, 3, 4, tzinfo=timezone.utc))  # a minute after the fixture's scale by CI
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: said)
            app.refresher.refresh_now([app.screen.writes_source])
            await pilot.pause(0.3)
            assert said == [("changed by github-actions", "UpdateService desiredCount=3 · "
                                                          "omnirapeutic-production, omnirapeutic-production-web")]
    finally:
        clock.freeze(None)
