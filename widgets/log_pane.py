"""The main screen's live log pane: the newest lines of the selected service, next to the other panes."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from warroom.data.errors import AwsError
from warroom.freshness import Freshness
from warroom.refresher import Refreshed, RefreshFailed, Source
from warroom.data.models import LogBatch, LogTarget
from warroom.untrusted import literal
from warroom.text import live_age
from warroom.widgets.log_view import LogView
from warroom.widgets.pane import BorderLabels

PANE_LINES = 1000


class PaneLogView(LogView):
    """The pane's log; Enter opens the full log screen on the same target (so no line is current here)."""

    BINDINGS = [Binding("enter", "screen.open_pane_logs", "Open logs", id="open-pane-logs")]
    SHOW_CURRENT = False


class LogPane(BorderLabels, Vertical):
    """Follows one log target at a time; says which, how fresh, and any error, in its border (repainted only when
    that text changes: a poll every 2 s that brings nothing writes nothing to the terminal)."""

    def __init__(self, *, interval: float, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        self.source = Source("logs")
        self.fresh = Freshness(interval)
        self.target: LogTarget | None = None
        self.tail: Any = None

    def compose(self) -> ComposeResult:
        yield PaneLogView(PANE_LINES, id="pane-log-view")

    def on_mount(self) -> None:
        self.set_border_label(Text("Logs"))
        self.set_border_label("select a service", subtitle=True)

    @property
    def view(self) -> LogView:
        return self.query_one(PaneLogView)

    def follow(self, tail: Any, target: LogTarget) -> None:
        """Show `target` from now on, read through `tail` (which the pane closes when it stops)."""
        self.stop()
        self.tail = tail
        self.target = target
        self.view.events.clear()
        self.view.rebuild()
        self.view.several_groups = len(target.groups) > 1
        self.set_border_label(Text.assemble(("Logs ", "bold"), literal(target.label or ", ".join(target.groups))))
        self.set_border_label("starting", subtitle=True)

    def stop(self) -> None:
        if self.tail is not None:
            self.tail.close()
        self.tail = None
        self.target = None

    def on_refreshed(self, message: Refreshed[LogBatch]) -> None:
        if message.source is self.source:
            self.fresh.ok(message.at)
            self.show(message.data)

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        if message.source is self.source:
            self.failed(message.error)

    def show(self, batch: LogBatch) -> None:
        self.view.add(batch.events)
        newest = self.view.events[-1].timestamp if self.view.events else None
        self.set_border_label(f"{batch.mode} · " + (f"lag {live_age(newest)}" if newest else "no events in 5m"),
                              subtitle=True)

    def failed(self, error: AwsError) -> None:
        """The tail could not be read (or its target found): said in the border until the next good read."""
        self.fresh.failed(error, 0)
        self.set_border_label(Text.assemble("✖ ", literal(self.fresh.problem(), limit=200)), subtitle=True)
