"""The main screen's log pane following the highlighted service: once the cursor has rested a moment (no read
per keypress), find the service's log target, then tail it through the refresher."""

from __future__ import annotations

from datetime import timedelta

from textual.screen import Screen
from textual.timer import Timer

from warroom import clock
from warroom.backend import Backend
from warroom.data.errors import AwsError
from warroom.refresher import Refresher
from warroom.widgets.log_pane import LogPane
from warroom.widgets.pane import ResourcePane

FOLLOW_DELAY = 0.6
SINCE = timedelta(minutes=5)


class LogFollow:
    """Points `pane` at the log target of the service highlighted in `services`."""

    def __init__(self, screen: Screen[None], pane: LogPane, services: ResourcePane, backend: Backend,
                 refresher: Refresher) -> None:
        self.screen, self.pane, self.services = screen, pane, services
        self.backend, self.refresher = backend, refresher
        self._timer: Timer | None = None

    def soon(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(FOLLOW_DELAY, self._follow)

    def stop(self) -> None:
        self.refresher.remove(self.pane.source)
        self.pane.stop()

    def _follow(self) -> None:
        self.screen.run_worker(self._follow_selected(), exclusive=True, group="logs", exit_on_error=False)

    async def _follow_selected(self) -> None:
        service, pane = self.services.selected, self.pane
        if service is None or (pane.target is not None and pane.target.label == service.name):
            return
        try:
            target = await self.backend.log_target(service)
        except AwsError as exc:
            self.stop()
            pane.failed(exc)
            return
        pane.follow(self.backend.log_tail(target, clock.now() - SINCE, ""), target)
        self.refresher.add(pane.source, pane.tail.read, pane, interval=pane.fresh.interval)
