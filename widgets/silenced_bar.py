"""The silenced-alarms line: every alarm whose actions are off, with how long, until it is re-enabled."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from rich.text import Text
from textual.widgets import Static

from warroom.data.models import Alarm
from warroom.silences import Silence
from warroom.untrusted import literal
from warroom.text import age


class SilencedBar(Static):
    """One line, shown only while some alarm's actions are off: a forgotten silence is itself an incident."""

    COMPONENT_CLASSES = {"silenced--overdue"}

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.silenced: tuple[str, ...] = ()
        self._line: Text | None = None

    def show(self, alarms: Sequence[Alarm], silences: dict[str, Silence], now: datetime, *, hint: bool) -> None:
        off = [a for a in alarms if not a.actions_enabled]
        self.silenced = tuple(a.name for a in off)
        self.display = bool(off)
        if not off:
            return
        overdue = self.get_component_rich_style("silenced--overdue", partial=True)
        line = Text(f"SILENCED {len(off)}: ", style="bold", no_wrap=True, overflow="ellipsis", end="")
        for index, alarm in enumerate(off):
            if index:
                line.append(" · ")
            line.append_text(literal(alarm.name, limit=80))
            known = silences.get(alarm.name)
            if known is None:
                line.append(" (age ?)")
                continue
            line.append(f" {age(known.since, now)}")
            if known.until is not None and known.until < now:
                line.append(f" OVERDUE {age(known.until, now)}", style=overdue)
        if hint:
            line.append("  u/U re-enable")
        if self._line is None or (line.plain, line.spans) != (self._line.plain, self._line.spans):
            self._line = line  # the same line again (each alarms refresh) would repaint it all the same
            self.update(line)
