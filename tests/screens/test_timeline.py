"""The timeline screen on the fixed fleet: every source on one clock, a service's own, the source filter, search,
the markdown saved for the post-mortem."""

from __future__ import annotations

from warroom import clock
from warroom.screens.timeline import TimelineScreen
from tests.helpers import screen_text, wait_for
from tests.snapshot_app import CHANGES, SnapshotApp


async def open_timeline(pilot, *keys: str) -> TimelineScreen:
    app = pilot.app
    await wait_for(pilot, lambda: app.screen.pane("services").rows)
    await pilot.press(*keys, "t")
    await wait_for(pilot, lambda: isinstance(app.screen, TimelineScreen) and app.screen.timeline is not None)
    return app.screen


async def test_the_environments_timeline_names_what_it_could_not_read_and_filters_by_source():
    app = SnapshotApp()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_timeline(pilot, "2")
            assert len(screen._rows) == len(CHANGES)
            text = screen_text(app)
            assert "not read: rds: AccessDenied" in text and "9 [bold" in text and "\x1b" not in text
            await pilot.press("f")  # cloudtrail only
            assert {c.source for c in screen._rows} == {"cloudtrail"} and len(screen._rows) == 3
            await pilot.press("f", "f", "f", "f", "f")  # all again
            await pilot.press("slash", *"alice", "enter")
            assert [c.source for c in screen._rows] == ["warroom"]
            await pilot.press("escape")
            assert len(screen._rows) == len(CHANGES) and isinstance(app.screen, TimelineScreen)
            await pilot.press("escape")
            assert not isinstance(app.screen, TimelineScreen)
    finally:
        clock.freeze(None)


async def test_t_on_a_service_shows_its_timeline_only():
    app = SnapshotApp()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_timeline(pilot, "1")  # the Services pane: omnirapeutic-production-web first
            assert screen.resource == "omnirapeutic-production-web"
            assert [c.what for c in screen._rows] == ["UpdateService desiredCount=3",
                                                      "UpdateService taskDefinition=omnirapeutic-production-web:3"]
    finally:
        clock.freeze(None)


async def test_ctrl_s_saves_the_markdown_table_and_says_where(tmp_path):
    app = SnapshotApp()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            app.runner.audit.saved_logs = tmp_path / "logs"
            screen = await open_timeline(pilot, "2")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: screen.saved)
            [saved] = (tmp_path / "timelines").glob("timeline-production-*.md")
            text = saved.read_text()
            assert "saved to " in screen_text(app)
            lines = [line for line in text.splitlines() if line.startswith("| 2026")]
            assert len(lines) == len(CHANGES) and lines[0].startswith("| 2026-11-23 02:32:00 | cloudtrail")
            assert "\x1b" not in text and "[bold red]x[/]" in text
    finally:
        clock.freeze(None)

