"""The log view on its own: bounded lines, the line-to-event map, errors only."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.app import App, ComposeResult

from warroom.data.models import LogEvent
from warroom.widgets.log_view import LogView

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


async def test_a_rebuild_keeps_the_place_and_following():
    app = Host()
    async with app.run_test(size=(80, 12)) as pilot:
        view = app.query_one(LogView)
        view.add(events(60, every_third_error=True))
        await pilot.pause()
        view.rebuild()  # following: stays at the bottom
        assert view.following and view.lines[view.cursor].endswith("event 59")
        rows = view.scrollable_content_region.height
        view.scroll_to(y=20, animate=False, immediate=True)  # the bottom line on screen is the current one
        bottom = str(20 + rows - 1)
        assert not view.following and view.current_event().id == bottom
        view.wrap = True
        view.rebuild()
        assert view.current_event().id == bottom and view.cursor - view.scroll_offset.y == rows - 1
        assert not view.following
        view.errors_only = True  # an INFO line: the next error takes its place
        view.rebuild()
        assert view.current_event().id == str(int(bottom) + (-int(bottom)) % 3) and not view.following
        view.scroll_end(animate=False, immediate=True)
        view.errors_only = False
        view.rebuild()
        assert view.following and view.current_event().id == "59"


async def test_search_counts_matches_and_says_when_it_wraps():
    app = Host()
    async with app.run_test(size=(80, 12)) as pilot:
        view = app.query_one(LogView)
        view.add(events(30, every_third_error=True))
        await pilot.pause()
        view.set_search("error")
        assert view.find(forward=False, here=True) == (10, 10, False)  # the newest match at or above the bottom
        assert view.lines[view.current].endswith("event 27")
        assert view.find() == (1, 10, True) and view.lines[view.current].endswith("event 0")
        assert view.find(forward=False) == (10, 10, True)
        assert view.find(forward=False) == (9, 10, False) and view.current_event().id == "24"


async def test_the_current_line_is_highlighted():
    app = Host()
    async with app.run_test(size=(80, 12)) as pilot:
        view = app.query_one(LogView)
        view.add(events(30))
        await pilot.pause()
        current = view.get_component_rich_style("log--current", partial=True).bgcolor

        def highlighted() -> list[int]:
            return [y for y in range(view.size.height) if list(view.render_line(y))[0].style.bgcolor == current]

        assert highlighted() == [view.scrollable_content_region.height - 1]  # following: the newest line
        view.set_search("event 20")
        view.find(forward=False, here=True)
        await pilot.pause()
        assert [view.scroll_offset.y + y for y in highlighted()] == [20] and view.current_event().id == "20"
