"""A quiet screen: a pane repaints only what changed (bench/idle.py measures the bytes on a real terminal).

Textual writes every cell of a region it repaints. A pane's age label is set only when its text changes (in steps
of 10 s under a minute) and then repaints only its part of the border row; a refresh repaints only the cells whose
text changed; Textual's partial updates are cropped at the start of the dirty span. Some of this relies on
Textual 8.2's internals: the last test pins them, so an upgrade asks for them to be checked again.
"""

from __future__ import annotations

import inspect
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from importlib.metadata import version

from rich.console import Console
from rich.segment import Segment
from textual import _compositor
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable

from warroom import clock
from warroom.data.models import Alarm
from warroom.themes import CSS_PATH
from warroom.text import live_age
from warroom.widgets.pane import crop_partial_updates
from warroom.widgets.panes import AlarmsPane

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
ALARMS = tuple(Alarm(f"arn:{i}", f"alarm-{i}", "ALARM" if i < 2 else "OK", "Threshold Crossed: CPU above 80",
                     NOW - timedelta(hours=2)) for i in range(4))


class PaneApp(App[None]):
    CSS_PATH = CSS_PATH

    def compose(self) -> ComposeResult:
        yield AlarmsPane(interval=10.0, id="alarms")


def record(widget: Widget, monkeypatch) -> list[tuple[Region, ...]]:
    """The regions of every repaint of the widget from now on (an empty tuple: the whole widget); not those that
    a Textual setter asks for while the pane drops them (`_quiet`) to repaint only what changed."""
    calls: list[tuple[Region, ...]] = []
    original = widget.refresh

    def refresh(*regions: Region, **kwargs):
        if not getattr(widget, "_quiet", False):
            calls.append(regions)
        return original(*regions, **kwargs)

    monkeypatch.setattr(widget, "refresh", refresh)
    return calls


def bottom_line(app: App) -> str:
    pane = app.query_one(AlarmsPane)
    return app.screen._compositor.render_strips()[pane.region.bottom - 1].text


def test_a_live_age_steps_by_ten_seconds_under_a_minute():
    assert [live_age(NOW - timedelta(seconds=s), NOW) for s in (0, 9, 10, 19, 20, 59, 60, 119, 3600)] == [
        "<10s", "<10s", "10s", "10s", "20s", "50s", "1m", "1m", "1h"]
    assert live_age(None, NOW) == "-"


async def test_the_age_label_repaints_only_its_border_cells_and_only_when_its_text_changes(monkeypatch):
    clock.freeze(NOW)
    try:
        app = PaneApp()
        async with app.run_test(size=(80, 12)) as pilot:
            pane = app.query_one(AlarmsPane)
            pane.show(ALARMS, NOW)
            await pilot.pause()
            assert "updated <10s ago" in bottom_line(app)
            pane_calls, table_calls = record(pane, monkeypatch), record(pane.table, monkeypatch)
            for second in range(1, 10):  # the one-second tick, the label's text the same
                clock.freeze(NOW + timedelta(seconds=second))
                pane.update_status()
            assert pane_calls == [] and table_calls == []

            clock.freeze(NOW + timedelta(seconds=10))
            pane.update_status()
            await pilot.pause()
            assert table_calls == []
            [(region,)] = pane_calls  # one region: the right end of the bottom border row
            width, height = pane.outer_size
            row = region.translate(pane.content_offset)
            assert (row.y, row.height, row.right) == (height - 1, 1, width)
            assert row.width < width // 2
            assert "updated 10s ago ─╯" in bottom_line(app)

            clock.freeze(NOW + timedelta(seconds=30))
            pane.update_status()
            assert "STALE" not in pane.border_subtitle
            clock.freeze(NOW + timedelta(seconds=31))  # STALE on time, not at the next step
            pane.update_status()
            await pilot.pause()
            assert "STALE · updated 30s ago" in bottom_line(app)
    finally:
        clock.freeze(None)


async def test_a_refresh_repaints_only_the_cells_that_changed(monkeypatch):
    clock.freeze(NOW)
    try:
        app = PaneApp()
        async with app.run_test(size=(80, 12)) as pilot:
            pane = app.query_one(AlarmsPane)
            pane.show(ALARMS, NOW)
            await pilot.pause()
            pane_calls, table_calls = record(pane, monkeypatch), record(pane.table, monkeypatch)
            pane.show(ALARMS, NOW)  # the same fleet again
            await pilot.pause()
            assert pane_calls == [] and table_calls == []

            changed = ALARMS[:1] + (replace(ALARMS[1], reason="Threshold Crossed: CPU above 95"),) + ALARMS[2:]
            pane.show(changed, NOW)
            await pilot.pause()
            assert pane_calls == []
            [(region,)] = table_calls
            table: DataTable = pane.table
            assert region == table._get_cell_region(Coordinate(1, 3)).translate(-table.scroll_offset)
            lines = [strip.text for strip in app.screen._compositor.render_strips()]
            assert any("CPU above 95" in line for line in lines)
    finally:
        clock.freeze(None)


async def test_a_refresh_that_changes_every_row_repaints_the_rows_in_view_once_each(monkeypatch):
    """500 rows whose reason changes at once: one repaint per cell in view (not 500, each working out the row order
    again: 130 ms), and a row scrolled into view later shows its new text; a longer text, one whole repaint."""
    clock.freeze(NOW)
    try:
        app = PaneApp()
        many = tuple(replace(ALARMS[2], arn=f"arn:{i:03d}", name=f"alarm-{i:03d}") for i in range(500))
        async with app.run_test(size=(80, 12)) as pilot:
            pane = app.query_one(AlarmsPane)
            pane.show(many, NOW)
            await pilot.pause()
            table: DataTable = pane.table
            table_calls = record(table, monkeypatch)
            pane.show(tuple(replace(a, reason=f"Threshold Crossed: CPU above {i % 90 + 10}")
                            for i, a in enumerate(many)), NOW)
            await pilot.pause()
            in_view = table.scrollable_content_region.height
            assert 0 < len(table_calls) <= in_view + 1
            assert all(len(regions) == 1 for regions in table_calls)
            assert table.get_cell("arn:499", "reason").plain == "Threshold Crossed: CPU above 59"
            table.focus()
            table.move_cursor(row=498, animate=False)
            await pilot.pause()
            lines = [strip.text for strip in app.screen._compositor.render_strips()]
            assert any("alarm-498" in line and "CPU above 58" in line for line in lines)

            table_calls.clear()
            pane.show(tuple(replace(a, reason="Threshold Crossed: CPU above 99 for 3 datapoints") for a in many), NOW)
            await pilot.pause()
            assert set(table_calls) == {()} and len(table_calls) <= 2  # ours, and the table's resizing on idle
            lines = [strip.text for strip in app.screen._compositor.render_strips()]
            assert any("alarm-498" in line and "above 99 for 3 d" in line for line in lines)
    finally:
        clock.freeze(None)


def test_a_partial_update_is_written_from_the_start_of_its_span():
    crop_partial_updates()
    console = Console(force_terminal=True, color_system="256", width=80)
    row = Strip([Segment("╰"), Segment("─" * 50), Segment(" 日本 x "), Segment("─╯")])
    update = _compositor.ChopsUpdate([{0: row}], [(0, 53, 57)], [[row.cell_length]])
    # the span starts in the second half of a wide character: written from that character on, never cut
    assert update.render_segments(console) == "\x1b[1;53H日本 "
    whole = _compositor.ChopsUpdate([{0: row}], [(0, 0, 60)], [[row.cell_length]])
    assert whole.render_segments(console).startswith("\x1b[1;1H╰─")


def test_the_textual_internals_a_quiet_screen_relies_on_are_those_of_textual_8_2():
    installed = version("textual")
    assert installed.rsplit(".", 1)[0] == "8.2", (
        f"Textual {installed}: check widgets/pane.py's quiet screen again (whether ChopsUpdate still crops only the "
        "end of a span, textual#5625; whether border labels and update_cell still repaint the whole widget), then "
        "run bench/idle.py and update this version")
    # partial updates are built from the module's ChopsUpdate and written through render_segments
    assert "ChopsUpdate(chops, spans, chop_ends)" in inspect.getsource(_compositor.Compositor.render_partial_update)
    assert "render_segments(console)" in inspect.getsource(App._display)
    # these repaint the whole widget with `refresh()`, which the pane turns into a repaint of what changed
    assert "obj.refresh()" in inspect.getsource(type(Widget.__dict__["border_subtitle"]).__set__)
    assert "self.refresh()" in inspect.getsource(DataTable.update_cell)
