"""Follows an action's result on screen until it settles (rollout, running reaching desired); Esc closes."""

from __future__ import annotations


from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import RichLog, Static

from warroom.screens.modal import Modal
from warroom.actions import Action, Progress
from warroom.data.errors import AwsError
from warroom.untrusted import clean, literal
from warroom.text import age
from warroom import clock

FOLLOW_SECONDS = 2.0
FOLLOW_LIMIT = 30 * 60  # stop looking after 30 minutes; the panes go on showing the service


class FollowScreen(Modal[None]):
    """A short log of the result: one line each time it changes (wrapped, never cut), then settled (or failed)."""

    BINDINGS = [Binding("escape", "dismiss", "Close", id="follow-close")]

    def __init__(self, action: Action, request_id: str) -> None:
        super().__init__(classes="follow")
        self.action = action
        self.request_id = request_id
        self.started = clock.now()
        self.last = ""
        self.settled: Progress | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="confirm-box follow-box") as box:
            box.border_title = literal(self.action.title)
            yield Static(Text(clean(f"{self.action.target}  {self.action.before} → {self.action.after}")),
                         markup=False)
            yield Static(Text(clean(f"request {self.request_id or '-'}")), markup=False, classes="dim")
            yield RichLog(id="follow-log", max_lines=500, wrap=True, min_width=20, markup=False, highlight=False)
            yield Static("following… (Esc closes; the panes keep showing it)", id="follow-state", markup=False)

    def on_mount(self) -> None:
        self.timer = self.set_interval(FOLLOW_SECONDS, self._look)
        self._look()

    def _look(self) -> None:
        self.run_worker(self._check(), exclusive=True, group="follow", exit_on_error=False)

    async def _check(self) -> None:
        try:
            progress = await self.backend.follow(self.action)
        except AwsError as exc:
            progress = Progress(f"cannot read the result: {exc.one_line()}")
        if progress.line != self.last:
            self.last = progress.line
            self.query_one(RichLog).write(Text(f"{clock.now():%H:%M:%S} {clean(progress.line)}"))
        elapsed = (clock.now() - self.started).total_seconds()
        if progress.settled or elapsed > FOLLOW_LIMIT:
            self.timer.stop()
            self.settled = progress
            state = ("FAILED" if progress.failed else "settled") if progress.settled else "still going; stopped looking"
            self.query_one("#follow-state", Static).update(Text.assemble(
                (f"{state} after {age(self.started)}", "bold"), f": {clean(progress.line)} (Esc closes)"))
            self.warroom.alert(f"{self.action.title}: {state}", progress.line)
