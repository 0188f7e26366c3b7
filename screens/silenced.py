"""The main screen's silenced line: the alarms with their actions off, each with how long, from the audit log
(read in a thread: the log may be long)."""

from __future__ import annotations

from textual.screen import Screen

from warroom import clock
from warroom.audit import AuditLog
from warroom.data.models import Alarm, Identity
from warroom.silences import Silence, Silences
from warroom.widgets.silenced_bar import SilencedBar


class SilencedLine:
    """Renders `bar` from the Alarms pane's rows and the silences the audit log knows."""

    def __init__(self, screen: Screen[None], bar: SilencedBar, audit: AuditLog, identity: Identity,
                 hint: bool) -> None:
        self.screen, self.bar, self.hint = screen, bar, hint
        self.silences = Silences(audit, identity.account, identity.region)

    def show(self, alarms: tuple[Alarm, ...]) -> None:
        self.screen.run_worker(lambda: self._read(alarms), thread=True, exclusive=True, group="silences",
                               exit_on_error=False)

    def _read(self, alarms: tuple[Alarm, ...]) -> None:
        known = self.silences.reload()  # re-read only if the log grew
        self.screen.app.call_from_thread(self._render, alarms, known)

    def _render(self, alarms: tuple[Alarm, ...], known: dict[str, Silence]) -> None:
        self.bar.show(alarms, known, clock.now(), hint=self.hint)
