"""The main screen: the header, the panes (Services, Alarms, Databases, Connections, Logs), filter line, footer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input

from warroom.screens.connections import ConnectionsKeys
from warroom.screens.keys import ActionKeys, explained
from warroom.screens.log_groups import LogGroupPicker
from warroom.screens.logs import POLL_SECONDS
from warroom.screens.service_keys import SERVICE_BINDINGS, SERVICE_MUTATIONS, ServiceKeys
from warroom.screens.silence import SilenceKeys
from warroom.data.errors import AwsError
from warroom.data.models import Alarm, PgSession, LogTarget, Service
from warroom.refresher import Refreshed, RefreshFailed, Source
from warroom.silences import Silence, Silences
from warroom import clock
from warroom.widgets.connections_pane import ConnectionsPane
from warroom.widgets.header import StatusHeader
from warroom.widgets.safe_input import SafeInput
from warroom.widgets.silenced_bar import SilencedBar
from warroom.widgets.log_pane import LogPane
from warroom.widgets.pane import ResourcePane
from warroom.widgets.pane_layout import PaneStack
from warroom.widgets.panes import AlarmsPane, DatabasesPane, ServicesPane

PANES = ("services", "alarms", "databases", "connections")
PANE_OF = {"scale": "services", "redeploy": "services", "rollback": "services", "logs": "services",
           "silence": "alarms", "silence_prefix": "alarms", "unsilence": "alarms", "unsilence_all": "alarms",
           "watch_database": "databases",
           "cancel_query": "connections", "terminate": "connections", "terminate_idle": "connections",
           "sort_sessions": "connections"}  # the keys that act on one pane: shown and taken only there
LOG_PANE_MIN_HEIGHT = 40
LOG_PANE_SINCE = timedelta(minutes=5)
FOLLOW_DELAY = 0.6


class MainScreen(ActionKeys, ServiceKeys, ConnectionsKeys, SilenceKeys, Screen[None]):
    """The live fleet: what needs a look is at the top of each pane; the footer shows the focused pane's keys."""

    MUTATIONS = SERVICE_MUTATIONS | {"silence", "silence_prefix", "unsilence", "unsilence_all", "cancel_query",
                                     "terminate", "terminate_idle"}
    BINDINGS = explained([
        *SERVICE_BINDINGS,
        Binding("l", "logs", "Logs", id="logs"),
        Binding("m", "silence", "Silence", id="silence"),
        Binding("M", "silence_prefix", "Silence prefix", id="silence-prefix"),
        Binding("u", "unsilence", "Unsilence", id="unsilence"),
        Binding("U", "unsilence_all", "Unsilence all", id="unsilence-all"),
        Binding("c", "watch_database", "Sessions", id="watch-database"),
        Binding("C", "cancel_query", "Cancel query", id="cancel-query"),
        Binding("K", "terminate", "Terminate", id="terminate"),
        Binding("I", "terminate_idle", "Terminate idle", id="terminate-idle"),
        Binding("o", "sort_sessions", "Sort", id="sort-sessions"),
    ]) + [
        Binding("tab", "app.focus_next", "Next pane", id="next-pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="previous-pane"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("L", "log_groups", "Log groups", show=False, id="log-groups"),
        Binding("1", "focus_pane('services')", "Services", show=False, id="focus-services"),
        Binding("2", "focus_pane('alarms')", "Alarms", show=False, id="focus-alarms"),
        Binding("3", "focus_pane('databases')", "Databases", show=False, id="focus-databases"),
        Binding("4", "focus_pane('connections')", "Connections", show=False, id="focus-connections"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear-filter"),
    ]

    _filter_target: ResourcePane | None = None
    _follow_timer: Timer | None = None
    _silences: Silences | None = None
    _targets_failing = False
    _sources: tuple[Source, ...] = ()
    target_groups: tuple[str, ...] = ()  # from the Services pane's rows; their health read on its own schedule

    def compose(self) -> ComposeResult:
        yield self.status_header()
        interval = self.warroom.refresher.interval
        with PaneStack(id="panes"):
            yield ServicesPane(interval=interval, id="services")
            yield AlarmsPane(interval=interval, id="alarms")
            yield DatabasesPane(interval=interval, id="databases")
            yield ConnectionsPane(interval=interval, id="connections")
            yield LogPane(interval=POLL_SECONDS, id="logs")
        yield SilencedBar(id="silenced")
        yield SafeInput(placeholder="filter the focused pane (Enter keeps, Esc clears)", id="filter")
        yield Footer()

    @property
    def panes(self) -> tuple[str, ...]:
        """The panes this environment has: Connections only with a PostgreSQL server to watch."""
        return PANES if self.backend.postgres is not None else PANES[:-1]

    def on_mount(self) -> None:
        backend, refresher = self.backend, self.warroom.refresher
        reads = {"services": backend.services, "alarms": backend.alarms, "databases": backend.databases,
                 "connections": backend.sessions}
        for name in self.panes:
            refresher.add(self.pane(name).source, reads[name], self.pane(name))
        services = self.query_one(ServicesPane)
        refresher.add(services.targets_source, lambda: backend.target_health(self.target_groups), services)
        self._sources = (*(self.pane(name).source for name in PANES), services.targets_source,
                         self.query_one(LogPane).source)  # what unmounting stops (its widgets are gone by then)
        self.query_one(PaneStack).set_class("connections" in self.panes, "with-connections").relayout()
        self.set_interval(1.0, self._tick)
        self.query_one("#services-table").focus()

    def on_unmount(self) -> None:
        for source in self._sources:
            self.warroom.refresher.remove(source)
        for pane in self.query(LogPane):
            pane.stop()

    def on_resize(self) -> None:
        """The log pane joins the others when the terminal is tall enough for it to be useful."""
        tall = self.size.height >= LOG_PANE_MIN_HEIGHT
        self.query_one(PaneStack).set_class(tall, "with-logs").relayout()
        if not tall:
            self.warroom.refresher.remove(self.query_one(LogPane).source)
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

    @work(exclusive=True, group="logs", exit_on_error=False)
    async def _follow_selected(self) -> None:
        service = self.pane("services").selected
        pane = self.query_one(LogPane)
        if service is None or (pane.target is not None and pane.target.label == service.name):
            return
        try:
            target = await self.backend.log_target(service)
        except AwsError as exc:
            self.warroom.refresher.remove(pane.source)
            pane.stop()
            pane.failed(exc)
            return
        pane.follow(self.backend.log_tail(target, clock.now() - LOG_PANE_SINCE, ""), target)
        self.warroom.refresher.add(pane.source, pane.tail.read, pane, interval=POLL_SECONDS)

    def action_open_pane_logs(self) -> None:
        target = self.query_one(LogPane).target
        if target is not None:
            self.warroom.open_logs(target)

    def _tick(self) -> None:
        for pane in self.query(ResourcePane):
            pane.update_status()

    def pane(self, name: str) -> ResourcePane:
        return self.query_one(f"#{name}", ResourcePane)

    def _pane_with_focus(self) -> ResourcePane | None:
        focused = self.focused
        while focused is not None and not isinstance(focused, ResourcePane):
            focused = focused.parent  # type: ignore[assignment]
        return focused

    @property
    def focused_pane(self) -> ResourcePane:
        return self._pane_with_focus() or self.pane("services")

    def elsewhere(self, action: str) -> str:
        """A pane's own keys act only while it has focus (a pane without focus shows no cursor)."""
        name = PANE_OF.get(action)
        here = self._pane_with_focus()
        if name is None or (here is not None and here.id == name):
            return ""
        return f"the {name.title()} pane (press {PANES.index(name) + 1})"

    def selected_service(self) -> Service | None:
        return self.pane("services").selected

    def selected_alarm(self) -> Alarm | None:
        return self.pane("alarms").selected

    def on_refreshed(self, message: Refreshed[Any]) -> None:
        """The panes show their own results (the message reaches them first); what else follows from one."""
        source = message.source
        if source.service == "aws":
            self.query_one(StatusHeader).set_problem("")  # AWS answered: the credentials work
        if source is self.pane("alarms").source:
            self._show_silenced()
        elif source is self.pane("services").source:
            self._watch_targets(message.data)
        elif source is self.query_one(ServicesPane).targets_source:
            self._targets_failing = False

    def _watch_targets(self, services: tuple[Service, ...]) -> None:
        """Read target health now when the services' target groups changed (else on its own schedule)."""
        groups = tuple(sorted({arn for s in services for arn in s.target_groups}))
        if groups != self.target_groups:
            self.target_groups = groups
            self.warroom.refresher.refresh_now([self.query_one(ServicesPane).targets_source])

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        if message.error.credentials:
            self.query_one(StatusHeader).set_problem(message.error.one_line())
        if message.source is self.query_one(ServicesPane).targets_source and not self._targets_failing:
            self._targets_failing = True
            self.notify(f"target health: {message.error.one_line()}", severity="warning", timeout=8)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    @work(thread=True, exclusive=True, group="silences", exit_on_error=False)
    def _show_silenced(self) -> None:
        """The silenced line, with each silence's age from the audit log (re-read in this thread if it grew)."""
        if self._silences is None:
            identity = self.backend.identity
            self._silences = Silences(self.warroom.runner.audit, identity.account, identity.region)
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
        self.query_one(PaneStack).add_class("with-connections").relayout()
        self.warroom.refresher.add(pane.source, self.backend.sessions, pane)
        pane.table.focus()

    def action_open(self) -> None:
        pane = self.focused_pane
        row = pane.selected
        if isinstance(row, PgSession):
            self.open_session(row)
        elif row is not None:
            self.warroom.open_detail(row)

    def action_logs(self) -> None:
        self._on_selected_service(self.open_service_logs)

    @work(exclusive=True, group="open-logs", exit_on_error=False)
    async def open_service_logs(self, service: Service) -> None:
        """Tail the service's awslogs group(s) and stream prefix, from its task definition."""
        try:
            target = await self.backend.log_target(service)
        except AwsError as exc:
            self.notify(exc.one_line(), severity="error")
            return
        self.warroom.open_logs(target)

    @work(exclusive=True, group="open-logs", exit_on_error=False)
    async def action_log_groups(self) -> None:
        """Tail the environment's log groups, or groups picked by prefix."""
        env = self.backend.env
        groups = env.log_groups or await self.app.push_screen_wait(LogGroupPicker())
        if groups:
            self.warroom.open_logs(LogTarget(tuple(groups), label=", ".join(groups)))

    def action_focus_pane(self, name: str) -> None:
        self.query_one(f"#{name}-table").focus()

    def action_refresh(self) -> None:
        self.warroom.refresher.refresh_now([self.pane(name).source for name in self.panes])
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
