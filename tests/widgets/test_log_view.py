"""The log view on its own: bounded lines, the line-to-event map, errors only."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.app import App, ComposeResult

from tui.data.models import LogEvent
from widgets.log_view import LogView

START = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)


def events(count: int, every_third_error: bool = False) -> list[LogEvent]:
    return [LogEvent(str(i), START + timedelta(milliseconds=i), "/g", "s",
                     ("ERROR " if every_third_error and i % 3 == 0 else "INFO ") + f"event {i}")
            for i in range(count)]


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield LogView(max_lines=100)


async def test_at_most_max_lines_oldest_dropped():
    app = Host()
    async with app.run_test() as pilot:
        view = app.query_one(LogView)
        for start in range(0, 250, 50):
            view.add(events(250)[start:start + 50])
        await pilot.pause()
        assert len(view.lines) == 100 and len(view.events) == 100
        assert view.lines[0].endswith("event 150") and view.lines[-1].endswith("event 249")
        assert view.event_at(0).id == "150" and view.event_at(99).id == "249"


async def test_errors_only_rebuilds_from_kept_events():
    app = Host()
    async with app.run_test() as pilot:
        view = app.query_one(LogView)
        view.add(events(30, every_third_error=True))
        view.errors_only = True
        view.rebuild()
        await pilot.pause()
        assert len(view.lines) == 10 and all("ERROR" in line for line in view.lines)
        assert view.event_at(1).id == "3"
