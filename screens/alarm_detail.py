"""The alarm detail screen: its configuration and its state-change history; m silences it, u re-enables it."""

from __future__ import annotations

import re

from rich.text import Text

from warroom.screens.keys import place_bindings
from warroom.data.models import Alarm, AlarmDetail
from warroom.text import stamp
from warroom.untrusted import literal
from warroom.screens.detail import DetailScreen

# An endpoint without DescribeAlarmHistory (moto) answers with an HTTP 500 page or "not offered"; other errors
# (AccessDenied, throttling) are said as they are.
_NOT_OFFERED = re.compile(r"^history unavailable: (HTTP 50[01]|NotOffered)\b")


def configuration(alarm: Alarm) -> list[tuple[str, str]]:
    threshold = "" if alarm.threshold is None else f"{alarm.comparison} {alarm.threshold:g}"
    rows = [
        ("State", alarm.state),
        ("Reason", alarm.reason),
        ("State since", stamp(alarm.updated_at)),
        ("Actions", "enabled" if alarm.actions_enabled else "DISABLED"),
        ("Metric", f"{alarm.namespace} {alarm.metric}".strip()),
        ("Dimensions", ", ".join(f"{k}={v}" for k, v in alarm.dimensions)),
        ("Statistic", alarm.statistic),
        ("Threshold", threshold),
        ("Period", f"{alarm.period}s × {alarm.evaluation_periods}" if alarm.period else ""),
        ("Description" if alarm.kind == "metric" else "Rule", alarm.description),
        ("ARN", alarm.arn),
    ]
    return [(k, v) for k, v in rows if v]


def history_note(note: str) -> str:
    """The data layer's note on a history that could not be read, said plainly when the endpoint has none."""
    return "alarm history: not offered by this endpoint" if _NOT_OFFERED.match(note) else note


class AlarmDetailScreen(DetailScreen):
    """What `describe-alarms` and `describe-alarm-history` would say about one alarm."""

    BINDINGS = place_bindings("alarm")
    SECTIONS = (
        ("config", "Configuration", ()),
        ("history", "State changes", ("When", "Change")),
    )

    def __init__(self, alarm: Alarm, read) -> None:  # type: ignore[no-untyped-def]
        title = Text.assemble("Alarm ", literal(alarm.name))
        super().__init__(read, title)
        self.alarm = self.row = alarm
        self._history_note = ""

    def note(self) -> str:
        return self._history_note

    def render_detail(self, detail: AlarmDetail) -> None:
        self.alarm = self.row = detail.alarm
        self._history_note = history_note(detail.history_note)
        self.fill_lines("config", [Text.assemble((f"{k:<12} ", "bold"), literal(v, limit=2000))
                                   for k, v in configuration(detail.alarm)])
        self.fill("history", [(Text(stamp(h.timestamp)), literal(h.summary, limit=500)) for h in detail.history],
                  empty="no history")
