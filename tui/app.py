"""The Textual App: holds the AWS connection, the environment and the refresher; screens do the rest."""

from __future__ import annotations

import asyncio
import gc
from dataclasses import replace
from datetime import datetime
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
from warroom.config import Environment
from warroom.data.aws import Aws
from warroom.data.cloudwatch import read_alarm_detail, read_alarms
from warroom.data.ecs import read_service_detail, read_services
from warroom.data.errors import AwsError
from warroom.data.identity import whoami
from warroom.data.elb import read_target_health
from warroom.data.live_tail import FollowTail
from warroom.data.logs import read_log_target
from warroom.data.cloudwatch_changes import mute_rules_unavailable
from warroom.data.metrics import database_queries, load_balancers, read_metrics, service_queries
from warroom.data.models import Alarm, Database, Fleet, Identity, LogTarget, MetricSeries, RestoreSource, Service
from warroom.data.pg_settings import settings_from
from warroom.data.postgres import Postgres
from warroom.data.rds import read_database, read_databases, read_restore_source, read_snapshots
from warroom.refresher import Read, Refresher
from warroom.runner import ActionRunner
from warroom.shutdown import TerminalDriver
from warroom import clock
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

    def __init__(self, aws: Aws, env: Environment, identity: Identity, *, interval: float = 10.0,
                 read_only: bool = False, audit: AuditLog | None = None) -> None:
        super().__init__()
        self.aws = aws
        self.env = env
        self.identity = identity
        self.fleet = Fleet(clusters=env.clusters, services=env.services, alarm_prefix=env.alarm_prefix,
                           databases=env.databases)
        self.refresher = Refresher(self, interval)
        self.log_lines = env.log_lines
        self.runner = ActionRunner(aws, audit or AuditLog(), read_only=read_only or env.read_only)
        self.gate = ActionGate(self, self.runner)
        self.reads = {
            "services": lambda: read_services(aws, self.fleet),
            "alarms": lambda: read_alarms(aws, self.fleet.alarm_prefix),
            "databases": lambda: read_databases(aws, self.fleet.databases),
        }
        self.target_groups: tuple[str, ...] = ()  # set from the Services pane's rows; read on its own schedule
        self.reads["targets"] = lambda: read_target_health(aws, self.target_groups)
        self.pg_settings = settings_from(env.database)
        self.postgres: Postgres | None = None
        if self.pg_settings.configured:
            self.watch_postgres(None)

    @property
    def read_only(self) -> bool:
        """Whether actions are refused: the runner decides."""
        return self.runner.read_only

    def watch_postgres(self, database: Database | None) -> None:
        """Point the Connections pane at the configured server, or at an RDS row's endpoint (same settings)."""
        if self.postgres is not None:
            self.postgres.close()
        settings = replace(self.pg_settings, database=database) if database else self.pg_settings
        postgres = self.postgres = Postgres(settings, self.aws)
        self.reads["connections"] = postgres.read

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

    def notify(self, message: str, *, title: str = "", severity: Any = "information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every notification goes through `clean` and is never parsed as markup: messages quote AWS errors."""
        super().notify(clean(message, multiline=True), title=clean(title), severity=severity, timeout=timeout,
                       markup=False)

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
        if self.postgres is not None:
            self.postgres.close()

    @work(exclusive=True, group="credentials", exit_on_error=False)
    async def action_reload_credentials(self) -> None:
        """Read the credential chain again, check who it is (STS), then refresh every pane."""
        try:
            await asyncio.to_thread(self.aws.reload_credentials)
            identity = await asyncio.to_thread(whoami, self.aws)
        except AwsError as exc:
            self.notify(f"credentials still not usable: {exc.one_line()}", severity="error", timeout=10)
            return
        if identity.account != self.identity.account:
            self.notify(f"the credentials are now for account {identity.account}, not {self.identity.account}: "
                        "check before acting", severity="warning", timeout=20)
        self.identity = identity
        for header in self.screen.query(StatusHeader):
            header.set_identity(identity)
            header.set_problem("")
        self.notify(f"credentials reloaded: {identity.arn}", timeout=4)
        self.refresher.refresh_now()

    def open_logs(self, target: LogTarget) -> None:
        self.push_screen(LogScreen(target))

    async def log_target(self, service: Service) -> LogTarget:
        """Where a service logs: the awslogs options of its current task definition."""
        return await read_log_target(self.aws, service)

    def log_tail(self, target: LogTarget, since: datetime, pattern: str) -> FollowTail:
        """A log tail: each `read()` returns the events not returned before; `close()` ends its live session."""
        return FollowTail(self.aws, target, since, pattern)

    async def alarms_with_prefix(self, prefix: str) -> tuple[Alarm, ...]:
        """Every alarm whose name starts with `prefix`, read now (a prefix silence lists exactly these)."""
        return await read_alarms(self.aws, prefix)

    async def mute_rules_unavailable(self) -> str:
        """Why alarm mute rules cannot be used on this endpoint ("" when they can)."""
        return await mute_rules_unavailable(self.aws)

    async def restore_source(self, database: Database) -> RestoreSource:
        """A restore's defaults: the source's subnet group, security groups and class."""
        return await read_restore_source(self.aws, database)

    async def database_now(self, kind: str, identifier: str) -> Database | None:
        """One instance or cluster as it is now (None when there is none by that id)."""
        return await read_database(self.aws, kind, identifier)

    def detail_read(self, row: Service | Alarm | Database) -> Read:
        """The read behind a row's detail screen."""
        if isinstance(row, Service):
            return lambda: read_service_detail(self.aws, row.cluster, row.name)
        if isinstance(row, Database):
            return lambda: read_snapshots(self.aws, row)
        return lambda: read_alarm_detail(self.aws, row.name)

    def metrics_read(self, row: Service | Database) -> Read:
        """The last hour of a service's (and its load balancer's) or a database's metrics: one GetMetricData."""
        async def read() -> tuple[MetricSeries, ...]:
            if isinstance(row, Service):
                queries = service_queries(row, await load_balancers(self.aws, row.target_groups))
            else:
                queries = database_queries(row)
            return await read_metrics(self.aws, queries, clock.now())
        return read

    def open_detail(self, row: Any) -> None:
        """Open the detail screen of a Services, Alarms or Databases row (services and databases with metrics)."""
        if isinstance(row, Alarm):
            self.push_screen(AlarmDetailScreen(row, self.detail_read(row)))
            return
        screen = ServiceDetailScreen if isinstance(row, Service) else DatabaseDetailScreen
        self.push_screen(screen(row, self.detail_read(row), self.metrics_read(row)))
