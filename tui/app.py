"""The Textual App: holds the backend (the environment's seam), the refresher and the action gate; screens do
the rest."""

from __future__ import annotations

import gc
import os
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.driver import Driver
from textual.widgets import KeyPanel

from warroom.screens.alarm_detail import AlarmDetailScreen
from warroom.screens.database_detail import DatabaseDetailScreen
from warroom.screens.gate import ActionGate
from warroom.screens.keys import DrawnScreenKeys
from warroom.screens.logs import LogScreen
from warroom.screens.main import MainScreen
from warroom.screens.palette import FleetCommands
from warroom.screens.service_detail import ServiceDetailScreen
from warroom.themes import CSS_PATH
from warroom.audit import AuditLog
from warroom.backend import Backend
from warroom.data.errors import AwsError
from warroom.data.models import Alarm, LogTarget, Service
from warroom.refresher import Refresher
from warroom.runner import ActionRunner
from warroom.shutdown import TerminalDriver
from warroom.notify import sequence
from warroom.untrusted import clean
from warroom.widgets.header import StatusHeader


STARTUP_SETTLED = 3.0  # seconds after start when the first reads have loaded their clients


class WarroomApp(DrawnScreenKeys, App[None]):
    """warroom: one live screen for an AWS environment."""

    CSS_PATH = CSS_PATH
    TITLE = "warroom"
    COMMANDS = App.COMMANDS | {FleetCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="interrupt"),
        Binding("ctrl+r", "reload_credentials", "Reload credentials", show=False, id="reload-credentials"),
        Binding("pagedown", "scroll_help(1)", "Scroll help ↓", priority=True, id="help-down"),
        Binding("pageup", "scroll_help(-1)", "Scroll help ↑", show=False, priority=True, id="help-up"),
    ]

    def __init__(self, backend: Backend, *, interval: float = 10.0, read_only: bool = False,
                 audit: AuditLog | None = None) -> None:
        super().__init__()
        self.backend = backend
        self.refresher = Refresher(self, interval)
        self.runner = ActionRunner(backend, audit or AuditLog(), read_only=read_only or backend.env.read_only)
        self.gate = ActionGate(self, self.runner)

    @property
    def read_only(self) -> bool:
        """Whether actions are refused: the runner decides."""
        return self.runner.read_only

    def get_driver_class(self) -> type[Driver]:
        """SIGHUP (a dropped SSH session), SIGTERM (`kill`) or the terminal going away: leave like `q` does,
        within tui.shutdown's deadline whatever is in flight."""
        return TerminalDriver

    def on_mount(self) -> None:
        self.watch_screens()
        self.push_screen(MainScreen())
        # Once startup's objects (botocore's service models, the widget tree) exist, move them out of the
        # collector's way: a full collection over them stalled the UI for ~70 ms under a busy log tail.
        self.set_timer(STARTUP_SETTLED, gc.freeze)
        # Collect the young generation every 5,000 allocations, not 700: a refresh's 500 rows and a log poll's
        # events then die young instead of reaching the oldest generation, whose full passes (25-40 ms over the
        # log view's events and the panes' cells) came every few seconds, most of them inside a refresh.
        gc.set_threshold(5_000, 10, 10)

    def notify(self, message: str, *, title: str = "", severity: Any = "information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every notification goes through `clean` and is never parsed as markup: messages quote AWS errors."""
        super().notify(clean(message, multiline=True), title=clean(title), severity=severity, timeout=timeout,
                       markup=False)

    def alert(self, title: str, body: str) -> None:
        """A terminal notification, if the environment asked for them (`notify`); said nowhere else."""
        text = sequence(self.backend.env.notify, title, body, tmux=bool(os.environ.get("TMUX")))
        if text and not self.is_headless and self._driver is not None:
            self._driver.write(text)  # as App.bell writes its BEL: Textual has no public raw write

    def action_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """pgup/pgdn page through the help panel's keys while it is shown (it lists `pgdn Scroll help ↓`)."""
        if action == "scroll_help":
            return bool(self.screen.query("HelpPanel"))
        return super().check_action(action, parameters)

    def action_scroll_help(self, pages: int) -> None:
        keys = self.screen.query_one(KeyPanel)
        keys.scroll_page_down() if pages > 0 else keys.scroll_page_up()

    def on_unmount(self) -> None:
        self.backend.close()

    @work(exclusive=True, group="credentials", exit_on_error=False)
    async def action_reload_credentials(self) -> None:
        """Read the credential chain again, check who it is (STS), then refresh every pane."""
        before = self.backend.identity
        try:
            identity = await self.backend.reload_credentials()
        except AwsError as exc:
            self.notify(f"credentials still not usable: {exc.one_line()}", severity="error", timeout=10)
            return
        if identity.account != before.account:
            self.notify(f"the credentials are now for account {identity.account}, not {before.account}: "
                        "check before acting", severity="warning", timeout=20)
        for header in self.screen.query(StatusHeader):
            header.set_identity(identity)
            header.set_problem("")
        self.notify(f"credentials reloaded: {identity.arn}", timeout=4)
        self.refresher.refresh_now()

    def open_logs(self, target: LogTarget) -> None:
        self.push_screen(LogScreen(target))

    def open_detail(self, row: Any) -> None:
        """Open the detail screen of a Services, Alarms or Databases row (services and databases with metrics)."""
        if isinstance(row, Alarm):
            self.push_screen(AlarmDetailScreen(row, self.backend.detail_read(row)))
            return
        screen = ServiceDetailScreen if isinstance(row, Service) else DatabaseDetailScreen
        self.push_screen(screen(row, self.backend.detail_read(row), self.backend.metrics_read(row)))
