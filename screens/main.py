"""The main screen: header, the Services, Alarms and Databases panes, a filter line and the footer."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Callable, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input

from screens.connections import ConnectionsKeys
from screens.log_groups import LogGroupPicker
from screens.logs import POLL_SECONDS
from screens.prompt import ask_value, non_negative
from screens.rollback import RollbackScreen
from screens.silence import SilenceKeys
from tui.actions import redeploy, rollback, scale
from tui.rollback import differences, previous_revision, revision_of
from tui.data.errors import AwsError
from tui.data.models import Backend, LogTarget, Service
from tui.refresher import PaneFailed, PaneUpdated
from tui.silences import Silence, Silences
from tui import clock
from widgets.connections_pane import ConnectionsPane
from widgets.header import StatusHeader
from widgets.silenced_bar import SilencedBar
from widgets.log_pane import LogPane
from widgets.pane import ResourcePane
from widgets.panes import AlarmsPane, DatabasesPane, ServicesPane

if TYPE_CHECKING:
    from tui.app import WarroomApp

PANES = ("services", "alarms", "databases", "connections")
MUTATIONS = frozenset({"scale", "redeploy", "rollback", "silence", "silence_prefix", "unsilence", "unsilence_all",
                       "cancel_query", "terminate", "terminate_idle"})
LOG_PANE = "pane-logs"
TARGETS = "targets"  # load balancer target health, shown in the Services pane
LOG_PANE_MIN_HEIGHT = 40
LOG_PANE_SINCE = timedelta(minutes=5)
FOLLOW_DELAY = 0.6


class MainScreen(ConnectionsKeys, SilenceKeys, Screen[None]):
    """The live fleet: what needs a look is at the top of each pane."""

    BINDINGS = [
        Binding("tab", "app.focus_next", "Next pane", id="next-pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="previous-pane"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("l", "logs", "Logs", id="logs"),
        Binding("s", "scale", "Scale", id="scale"),
        Binding("D", "redeploy", "Redeploy", show=False, id="redeploy"),
        Binding("R", "rollback", "Roll back", show=False, id="rollback"),
        Binding("m", "silence", "Silence alarm", show=False, id="silence"),
        Binding("M", "silence_prefix", "Silence alarms by prefix", show=False, id="silence-prefix"),
        Binding("u", "unsilence", "Unsilence alarm", show=False, id="unsilence"),
        Binding("U", "unsilence_all", "Unsilence every alarm", show=False, id="unsilence-all"),
        Binding("L", "log_groups", "Log groups", show=False, id="log-groups"),
        Binding("1", "focus_pane('services')", "Services", show=False, id="focus-services"),
        Binding("2", "focus_pane('alarms')", "Alarms", show=False, id="focus-alarms"),
        Binding("3", "focus_pane('databases')", "Databases", show=False, id="focus-databases"),
        Binding("4", "focus_pane('connections')", "Connections", show=False, id="focus-connections"),
        Binding("c", "watch_database", "Sessions of this database", show=False, id="watch-database"),
        Binding("o", "sort_sessions", "Sort sessions", show=False, id="sort-sessions"),
        Binding("C", "cancel_query", "Cancel query", show=False, id="cancel-query"),
        Binding("K", "terminate", "Terminate session", show=False, id="terminate"),
        Binding("I", "terminate_idle", "Terminate idle", show=False, id="terminate-idle"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear-filter"),
    ]

    _filter_target: ResourcePane | None = None
    _follow_timer: Timer | None = None
    _silences: Silences | None = None
    _targets_failing = False

    @property
    def warroom(self) -> WarroomApp:
        from tui.app import WarroomApp

        return cast(WarroomApp, self.app)

    def compose(self) -> ComposeResult:
        app = self.warroom
        env = app.env
        yield StatusHeader(env.name, app.identity, app.read_only, env.production)
        interval = app.refresher.interval
        with Vertical(id="panes"):
            yield ServicesPane(interval=interval, id="services")
            yield AlarmsPane(interval=interval, id="alarms")
            yield DatabasesPane(interval=interval, id="databases")
            yield ConnectionsPane(interval=interval, id="connections")
            yield LogPane(id="logs-pane")
        yield SilencedBar(id="silenced")
        yield Input(placeholder="filter the focused pane (Enter keeps, Esc clears)", id="filter")
        yield Footer()

    @property
    def panes(self) -> tuple[str, ...]:
        """The panes this environment has: Connections only with a PostgreSQL server to watch."""
        return tuple(name for name in PANES if name in self.warroom.reads)

    def on_mount(self) -> None:
        app = self.warroom
        for name in self.panes:
            app.refresher.add(name, app.reads[name], self)
        if TARGETS in app.reads:
            app.refresher.add(TARGETS, app.reads[TARGETS], self)
        self.query_one("#panes").set_class("connections" in self.panes, "with-connections")
        self.set_interval(1.0, self._tick)
        self.query_one("#services-table").focus()

    def on_unmount(self) -> None:
        for name in (*PANES, LOG_PANE, TARGETS):
            self.warroom.refresher.remove(name)
        for pane in self.query(LogPane):
            pane.stop()

    def on_resize(self) -> None:
        """The log pane joins the others when the terminal is tall enough for it to be useful."""
        tall = self.size.height >= LOG_PANE_MIN_HEIGHT
        self.query_one("#panes").set_class(tall, "with-logs")
        if not tall:
            self.warroom.refresher.remove(LOG_PANE)
            self.query_one(LogPane).stop()
        elif self.query_one(LogPane).target is None:
            self._follow_soon()

    @on(DataTable.RowHighlighted, "#services-table")
    def _service_highlighted(self) -> None:
        if self.query_one("#panes").has_class("with-logs"):
            self._follow_soon()

    def _follow_soon(self) -> None:
        """Follow the highlighted service's logs once the cursor has rested a moment (no read per keypress)."""
        if self._follow_timer is not None:
            self._follow_timer.stop()
        self._follow_timer = self.set_timer(FOLLOW_DELAY, self._follow_selected)

    @work(exclusive=True, group="pane-logs", exit_on_error=False)
    async def _follow_selected(self) -> None:
        service = self.pane("services").selected
        pane = self.query_one(LogPane)
        if service is None or (pane.target is not None and pane.target.label == service.name):
            return
        try:
            target = await self.warroom.log_target(service)
        except AwsError as exc:
            self.warroom.refresher.remove(LOG_PANE)
            pane.stop()
            pane.failed(exc)
            return
        pane.follow(self.warroom.log_tail(target, clock.now() - LOG_PANE_SINCE, ""), target)
        self.warroom.refresher.add(LOG_PANE, pane.tail.read, self, interval=POLL_SECONDS)

    def action_open_pane_logs(self) -> None:
        target = self.query_one(LogPane).target
        if target is not None:
            self.warroom.open_logs(target)

    def _tick(self) -> None:
        for pane in self.query(ResourcePane):
            pane.update_status()

    def pane(self, name: str) -> ResourcePane:
        return self.query_one(f"#{name}", ResourcePane)

    @property
    def focused_pane(self) -> ResourcePane:
        focused = self.focused
        while focused is not None and not isinstance(focused, ResourcePane):
            focused = focused.parent  # type: ignore[assignment]
        return focused or self.pane("services")

    @on(PaneUpdated)
    def _updated(self, message: PaneUpdated) -> None:
        if message.pane in ("services", "alarms", "databases"):
            self.query_one(StatusHeader).set_problem("")  # AWS answered: the credentials work
        if message.pane in PANES:
            self.pane(message.pane).show(message.data, message.at)
            if message.pane == "alarms":
                self._show_silenced()
            if message.pane == "services":
                self._watch_targets(message.data)
        elif message.pane == TARGETS:
            self.query_one(ServicesPane).show_targets(message.data)
            self._targets_failing = False
        elif message.pane == LOG_PANE:
            self.query_one(LogPane).show(message.data)

    def _watch_targets(self, services: tuple[Service, ...]) -> None:
        """Read target health now when the services' target groups changed (else on its own schedule)."""
        groups = tuple(sorted({arn for s in services for arn in s.target_groups}))
        if groups != self.warroom.target_groups:
            self.warroom.target_groups = groups
            self.warroom.refresher.refresh_now([TARGETS])

    @on(PaneFailed)
    def _failed(self, message: PaneFailed) -> None:
        if message.error.credentials:
            self.query_one(StatusHeader).set_problem(message.error.one_line())
        if message.pane == TARGETS and not self._targets_failing:
            self._targets_failing = True
            self.notify(f"target health: {message.error.one_line()}", severity="warning", timeout=8)
        if message.pane in PANES:
            self.pane(message.pane).failed(message.error, message.retry_in)
        elif message.pane == LOG_PANE:
            self.query_one(LogPane).failed(message.error)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    @work(thread=True, exclusive=True, group="silences", exit_on_error=False)
    def _show_silenced(self) -> None:
        """The silenced line, with each silence's age from the audit log (re-read in this thread if it grew)."""
        if self._silences is None:
            identity = self.warroom.identity
            self._silences = Silences(self.warroom.gate.audit, identity.account, identity.region)
        known = self._silences.reload()
        self.app.call_from_thread(self._render_silenced, known)

    def _render_silenced(self, known: dict[str, Silence]) -> None:
        self.query_one(SilencedBar).show(self.pane("alarms").rows, known, clock.now(),
                                         hint=not self.warroom.read_only)

    def silenced_names(self) -> tuple[str, ...]:
        return self.query_one(SilencedBar).silenced

    def show_connections(self) -> None:
        """(Re)start the Connections pane on the app's current server and focus it."""
        pane = self.query_one(ConnectionsPane)
        pane.reset()
        self.query_one("#panes").add_class("with-connections")
        self.warroom.refresher.add("connections", self.warroom.reads["connections"], self)
        pane.table.focus()

    def action_open(self) -> None:
        pane = self.focused_pane
        row = pane.selected
        if isinstance(row, Backend):
            self.open_session(row)
        elif row is not None:
            self.warroom.open_detail(row)

    def action_logs(self) -> None:
        self._on_selected_service(self.open_service_logs)

    @work(exclusive=True, group="open-logs", exit_on_error=False)
    async def open_service_logs(self, service: Service) -> None:
        """Tail the service's awslogs group(s) and stream prefix, from its task definition."""
        try:
            target = await self.warroom.log_target(service)
        except AwsError as exc:
            self.notify(exc.one_line(), severity="error", markup=False)
            return
        self.warroom.open_logs(target)

    @work(exclusive=True, group="open-logs", exit_on_error=False)
    async def action_log_groups(self) -> None:
        """Tail the environment's log groups, or groups picked by prefix."""
        env = self.warroom.env
        groups = env.log_groups or await self.app.push_screen_wait(LogGroupPicker())
        if groups:
            self.warroom.open_logs(LogTarget(tuple(groups), label=", ".join(groups)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In read-only mode the action keys are hidden (the gate refuses them from the palette too)."""
        return not (action in MUTATIONS and self.warroom.read_only)

    def _on_selected_service(self, start: Callable[[Service], object]) -> None:
        service = self.pane("services").selected
        if service is None:
            self.notify("Select a service first (Services pane).", timeout=3)
        else:
            start(service)

    def action_scale(self) -> None:
        self._on_selected_service(self.ask_scale)

    def action_redeploy(self) -> None:
        self._on_selected_service(self.redeploy_service)

    def action_rollback(self) -> None:
        self._on_selected_service(self.roll_back)

    @work(group="action", exit_on_error=False)
    async def roll_back(self, service: Service) -> None:
        """Offer the revision that ran before (or another ACTIVE one), show the differences, then the gate."""
        if self.warroom.gate.refuses(f"Roll back {service.name}"):
            return
        try:
            detail = await self.warroom.detail_read(service)()
        except AwsError as exc:
            self.notify(f"Roll back {service.name}: {exc.one_line()}", severity="error", markup=False)
            return
        default = previous_revision(detail)
        if default is None:
            self.notify(f"{service.name}: no earlier ACTIVE revision to roll back to", severity="warning",
                        markup=False)
            return
        target = await self.app.push_screen_wait(RollbackScreen(detail.service, detail.revisions, default))
        if target is not None:
            current = next((r for r in detail.revisions if r.revision == revision_of(detail.service.task_definition)),
                           None)
            await self.warroom.gate.run(rollback(detail.service, target, tuple(differences(current, target))))

    def redeploy_service(self, service: Service) -> None:
        self.run_worker(self.warroom.gate.run(redeploy(service)), group="action", exit_on_error=False)

    @work(group="action", exit_on_error=False)
    async def ask_scale(self, service: Service) -> None:
        """Ask for the new desired count, then take the scale action through the gate."""
        if self.warroom.gate.refuses(f"Scale {service.name}"):
            return
        count = await ask_value(
            self.app, f"New desired count for {service.name} (desired {service.desired}, running {service.running}):",
            str(service.desired), non_negative(int, "a count (a whole number, 0 or more)"))
        if count is not None:
            await self.warroom.gate.run(scale(service, count))

    def action_focus_pane(self, name: str) -> None:
        self.query_one(f"#{name}-table").focus()

    def action_refresh(self) -> None:
        self.warroom.refresher.refresh_now(list(self.panes))
        self.notify("Refreshing now", timeout=1.5)

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        self._filter_target = self.focused_pane
        field.value = self._filter_target.filter
        field.add_class("open")
        field.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._filter_target is not None:
            self._filter_target.set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self._close_filter()

    def _close_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.remove_class("open")
        (self._filter_target or self.focused_pane).table.focus()

    def action_clear_filter(self) -> None:
        filtering = self.query_one("#filter").has_class("open")
        target = (self._filter_target if filtering else None) or self.focused_pane
        target.set_filter("")
        self._close_filter()
