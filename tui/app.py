"""The Textual App: holds the backend (the environment's seam), the refresher and the action gate; screens do
the rest."""

from __future__ import annotations

import asyncio
import gc
import os
from datetime import datetime
from typing import TYPE_CHECKING, Any

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
from warroom.screens.overview import OverviewScreen
from warroom.screens.palette import FleetCommands
from warroom.screens.service_detail import ServiceDetailScreen
from warroom.screens.statements import StatementsScreen
from warroom.themes import CSS_PATH
from warroom import clock, credentials
from warroom.audit import AuditLog
from warroom.backend import Backend
from warroom.config import Environment
from warroom.data.errors import AwsError
from warroom.data.models import Alarm, LogTarget, Service
from warroom.refresher import Refresher
from warroom.runner import ActionRunner
from warroom.shutdown import TerminalDriver
from warroom.notify import sequence
from warroom.untrusted import clean
from warroom.widgets.header import StatusHeader
from warroom.widgets.strip_cycles import keep_strips_acyclic

if TYPE_CHECKING:
    from warroom.environments import Environments

STARTUP_SETTLED = 3.0  # seconds after start when the first reads have loaded their clients
FULL_COLLECTION_EVERY = 20.0  # seconds


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
        Binding("0", "overview", "Overview", show=False, id="overview"),
        Binding("pagedown", "scroll_help(1)", "Scroll help ↓", priority=True, id="help-down"),
        Binding("pageup", "scroll_help(-1)", "Scroll help ↑", show=False, priority=True, id="help-up"),
    ]

    def __init__(self, backend: Backend | None, *, interval: float = 10.0, read_only: bool = False,
                 audit: AuditLog | None = None, environments: Environments | None = None) -> None:
        super().__init__()
        self.backend = backend
        self.environments = environments  # what `e` can switch to (None: only this one)
        self._read_only = read_only  # --read-only: every environment switched to is read-only too
        self._warned_expiry: datetime | None = None
        self.refresher = Refresher(self, interval)
        self.runner = ActionRunner(backend, audit or AuditLog(),
                                   read_only=read_only or bool(backend and backend.env.read_only))
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
        keep_strips_acyclic()
        self.push_screen(MainScreen() if self.backend is not None else OverviewScreen())
        # Once startup's objects (botocore's service models, the widget tree) exist, move them out of the
        # collector's way: a full collection over them stalled the UI for ~70 ms under a busy log tail.
        self.set_timer(STARTUP_SETTLED, gc.freeze)
        # Collect the young generation every 5,000 allocations, not 700: a refresh's 500 rows and a log poll's
        # events then die young instead of reaching the oldest generation, whose full passes (25-40 ms over the
        # log view's events and the panes' cells) came every few seconds, most of them inside a refresh.
        gc.set_threshold(5_000, 10, 10)
        # And a full collection every 20 s, so that each one has little to free: left to the threshold, one came
        # every two minutes or so with ~12,000 objects to free, 36-85 ms on the event loop.
        self.set_interval(FULL_COLLECTION_EVERY, self._collect)
        self.set_interval(1.0, self._watch_credentials)

    def _collect(self) -> None:
        gc.collect()

    def _watch_credentials(self) -> None:
        """Each second: the headers' time left on temporary credentials, and a warning once it is under 10
        minutes (once per expiry: renewed credentials that run out again warn again)."""
        if self.backend is None:
            return
        expires = self.backend.credentials_expire()
        for header in self.screen.query(StatusHeader):
            header.set_expiry(expires)
        if credentials.running_out(expires, clock.now()) and expires != self._warned_expiry:
            self._warned_expiry = expires
            self.notify(f"the credentials of {self.backend.env.name} end in {credentials.left(expires, clock.now())}: "
                        f"{credentials.RENEW}; actions are refused in the last 2 minutes", severity="warning",
                        timeout=30)

    def notify(self, message: str, *, title: str = "", severity: Any = "information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every notification goes through `clean` and is never parsed as markup: messages quote AWS errors."""
        super().notify(clean(message, multiline=True), title=clean(title), severity=severity, timeout=timeout,
                       markup=False)

    def alert(self, title: str, body: str) -> None:
        """A terminal notification, if the environment asked for them (`notify`); said nowhere else."""
        if self.backend is None:
            return
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
        if self.backend is not None:
            self.backend.close()
        if self.environments is not None:
            self.environments.close()

    @work(exclusive=True, group="credentials", exit_on_error=False)
    async def action_reload_credentials(self) -> None:
        """Read the credential chain again, check who it is (STS), then refresh every pane."""
        if self.backend is None:
            return
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

    @work(exclusive=True, group="switch-environment", exit_on_error=False)
    async def switch_to(self, env: Environment, region: str | None = None) -> None:
        """Connect to `env` (in `region`), then put its backend in place of this one: every screen of the old
        environment closes (its refreshes, tails and open prompts with it) and a new main screen loads. When
        the connection fails, warroom stays where it is and says why."""
        if self.environments is None:
            self.notify("only this environment: warroom was started on it alone", severity="warning")
            return
        if self.runner.sending:
            self.notify("an action is being sent: switch once it is done", severity="warning")
            return
        where = f"{env.name} in {region}" if region else env.name
        self.notify(f"connecting to {where}…", timeout=3)
        try:
            backend = await asyncio.to_thread(self.environments.connect, env, region)
        except AwsError as exc:
            still = f"; still on {self.backend.env.name}" if self.backend else ""
            self.notify(f"not switched to {where}: {exc.one_line()}{still}", severity="error", timeout=15)
            return
        old, self.backend = self.backend, backend
        self.runner.chosen = backend
        self.runner.read_only = self._read_only or backend.env.read_only
        await self._pop_to_overview()
        await self.push_screen(MainScreen())
        if old is not None:
            old.close()

    async def _pop_to_overview(self) -> None:
        """Close every screen above the overview (or every screen, without one)."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, OverviewScreen):
            await self.pop_screen()

    async def action_overview(self) -> None:
        """`0`: back to the overview of every environment (opened now if warroom started on one)."""
        if self.environments is None or not self.environments.several():
            self.notify("one environment configured: no overview", timeout=4)
            return
        await self._pop_to_overview()
        if not isinstance(self.screen, OverviewScreen):
            await self.push_screen(OverviewScreen())

    def open_logs(self, target: LogTarget) -> None:
        self.push_screen(LogScreen(target))

    def open_statements(self, server: str) -> None:
        """The watched PostgreSQL server's top statements and database sizes."""
        self.push_screen(StatementsScreen(server, self.runner.backend.insight))

    def open_detail(self, row: Any) -> None:
        """Open the detail screen of a Services, Alarms or Databases row (services and databases with metrics)."""
        if isinstance(row, Alarm):
            self.push_screen(AlarmDetailScreen(row, self.runner.backend.detail_read(row)))
            return
        screen = ServiceDetailScreen if isinstance(row, Service) else DatabaseDetailScreen
        self.push_screen(screen(row, self.runner.backend.detail_read(row), self.runner.backend.metrics_read(row)))
