"""The SILENCED line stays one line however many alarms are silenced: cut at the width with an ellipsis."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.app import App, ComposeResult

from warroom.themes import CSS_PATH
from warroom.data.models import Alarm
from warroom.silences import Silence
from warroom.widgets.silenced_bar import SilencedBar

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)


class BarApp(App[None]):
    CSS_PATH = CSS_PATH

    def compose(self) -> ComposeResult:
        yield SilencedBar(id="silenced")


async def test_many_silences_are_one_line_cut_with_an_ellipsis():
    alarms = [Alarm(f"arn:{i}", f"omnirapeutic-production-alarm-number-{i}", "OK", "", None, actions_enabled=False)
              for i in range(4)]
    known = {alarms[0].name: Silence(NOW - timedelta(minutes=90), NOW - timedelta(minutes=30))}
    app = BarApp()
    async with app.run_test(size=(80, 10)) as pilot:
        bar = app.query_one(SilencedBar)
        bar.show(alarms, known, NOW, hint=True)
        await pilot.pause()
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        assert lines[0].startswith(" SILENCED 4: omnirapeutic-production-alarm-number-0 1h OVERDUE 30m · omni")
        assert lines[0].rstrip().endswith("…") and "alarm-number" not in lines[1]
