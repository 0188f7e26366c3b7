"""The main screen: the header, the panes (Services, Alarms, Databases, Connections, Dependencies, Logs), filter
line, footer.

It composes and routes: each pane shows its own refresh results and turns its keys into act requests
(`ActRequested`); the screen starts their flows, follows the highlighted service's logs (screens/log_follow.py),
keeps the silenced line (screens/silenced.py) and reads target health when the services' target groups change.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input

from warroom import clock

from warroom.data.models import Alarm, Change, LogTarget, PgSession, Service
from warroom.refresher import Refreshed, RefreshFailed, Source
from warroom.registry import ACTS, PANE_KEYS, Act
from warroom.untrusted import literal
from warroom.screens.environments import EnvironmentPicker, RegionPrompt
from warroom.screens.flow import start, start_act
from warroom.screens.keys import ActionKeys
from warroom.screens.log_follow import LogFollow
from warroom.screens.log_groups import LogGroupPicker
from warroom.screens.row_view import RowScreen
from warroom.screens.logs import POLL_SECONDS
from warroom.screens.session_flows import SessionsMoved, open_session
from warroom.screens.silenced import SilencedLine
from warroom.screens.timeline import TimelineScreen
from warroom.widgets.act_keys import act_bindings, explain_bindings
from warroom.widgets.connections_pane import ConnectionsPane
from warroom.widgets.dependencies_pane import DependenciesPane, fields
from warroom.widgets.header import StatusHeader
from warroom.widgets.log_pane import LogPane
from warroom.widgets.metrics_line import MetricsLine
from warroom.widgets.pane import ActRequested, ResourcePane
from warroom.widgets.pane_layout import PaneStack
from warroom.widgets.panes import AlarmsPane, DatabasesPane, ServicesPane
from warroom.widgets.safe_input import SafeInput
from warroom.widgets.silenced_bar import SilencedBar

PANES = tuple(PANE_KEYS)
LOG_PANE_MIN_HEIGHT = 40
METRICS_SECONDS = 60.0  # custom metrics: one GetMetricData a minute, their points are a minute each
DEPENDENCIES_SECONDS = 60.0  # up to ~100 describe calls a read: caches, functions and tables change by the minute
HIDDEN = {"connections": "configure [database], or press c on a Databases row",
          "dependencies": "no cache, function or table found (yet); name them in the config (caches, functions, "
                          "tables)"}
WRITES_EVERY = 60.0  # seconds between CloudTrail looks for others' writes (only with notifications on)
WRITES_LATE = timedelta(minutes=5)  # CloudTrail delivers events minutes late: each look re-reads this much


class MainScreen(ActionKeys, Screen[None]):
    """The live fleet: what needs a look is at the top of each pane; the footer shows the focused pane's keys."""

    BINDINGS = [
        Binding("tab", "app.focus_next", "Next pane", id="next-pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="previous-pane"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("L", "log_groups", "Log groups", show=False, id="log-groups"),
        *(Binding(key, f"focus_pane({name!r})", name.title(), show=False, id=f"focus-{name}")
          for name, key in PANE_KEYS.items()),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear-filter"),
        *act_bindings("main"),
        *explain_bindings([act for act in ACTS.values() if act.pane]),
    ]

    _filter_target: ResourcePane | None = None
    _targets_failing = False
    _alarm_states: dict[str, str] | None = None  # each alarm's state at the previous read (None before the first)
    _writes_since: datetime | None = None
    target_groups: tuple[str, ...] = ()  # from the Services pane's rows; their health read on its own schedule

    def compose(self) -> ComposeResult:
        yield self.status_header()
        options = {"interval": self.warroom.refresher.interval, "read_only": self.warroom.read_only,
                   "place": self.backend.env.name}
        with PaneStack(id="panes"):
            yield ServicesPane(id="services", **options)
            yield AlarmsPane(id="alarms", **options)
            yield DatabasesPane(id="databases", **options)
            yield ConnectionsPane(id="connections", **options)
            yield DependenciesPane(id="dependencies", **{**options, "interval": self.dependencies_interval})
            yield LogPane(interval=POLL_SECONDS, id="logs")
        yield MetricsLine(max(METRICS_SECONDS, self.warroom.refresher.interval), id="custom-metrics")
        yield SilencedBar(id="silenced")
        yield SafeInput(placeholder="filter the focused pane (Enter keeps, Esc clears)", id="filter")
        yield Footer()

    @property
    def dependencies_interval(self) -> float:
        return max(DEPENDENCIES_SECONDS, self.warroom.refresher.interval)

    @property
    def panes(self) -> tuple[str, ...]:
        """The panes this environment reads: Connections only with a PostgreSQL server to watch."""
        return tuple(name for name in PANES if name != "connections" or self.backend.postgres is not None)

    def on_mount(self) -> None:
        backend, refresher = self.backend, self.warroom.refresher
        services = self.query_one(ServicesPane)
        self.follow = LogFollow(self, self.query_one(LogPane), services, backend, refresher)
        self.silenced = SilencedLine(self, self.query_one(SilencedBar), self.warroom.runner.audit, backend.identity,
                                     hint=not self.warroom.read_only)
        self.writes_source = Source("writes")  # others' CloudTrail writes, for notifications
        self.metrics_source = Source("custom-metrics")  # the environment's own metrics (config `metrics`)
        self._told: set[str] = set()  # the writes already notified
        self._sources: tuple[Source, ...] = (*(self.pane(name).source for name in PANES), services.targets_source,
                                             self.query_one(LogPane).source, self.writes_source,
                                             self.metrics_source)  # for unmount
        stack = self.query_one(PaneStack)
        stack.set_class("connections" in self.panes, "with-connections")
        stack.set_class(backend.env.dependencies.configured, "with-dependencies").relayout()
        self.query_one(MetricsLine).display = bool(backend.env.metrics)
        self.set_interval(1.0, self._tick)
        self.query_one("#services-table").focus()
        self.call_after_refresh(self._start_reads)  # the first frame goes out before the reads compete for the CPU

    def _start_reads(self) -> None:
        backend, refresher = self.backend, self.warroom.refresher
        if backend.env.metrics:
            refresher.add(self.metrics_source, backend.custom_metrics, self.query_one(MetricsLine),
                          interval=self.query_one(MetricsLine).fresh.interval)
        if backend.env.notify != "off":  # CloudTrail, for the writes of others: only when they are told
            refresher.add(self.writes_source, self._others_writes, self, interval=WRITES_EVERY)
        reads = {"services": backend.services, "alarms": backend.alarms, "databases": backend.databases,
                 "connections": backend.sessions, "dependencies": backend.dependencies}
        for name in self.panes:
            refresher.add(self.pane(name).source, reads[name], self.pane(name),
                          interval=self.dependencies_interval if name == "dependencies" else None)
        services = self.query_one(ServicesPane)
        refresher.add(services.targets_source, lambda: backend.target_health(self.target_groups), services)

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
            self.follow.stop()
        elif self.query_one(LogPane).target is None:
            self.follow.soon()

    @on(DataTable.RowHighlighted, "#services-table")
    def _service_highlighted(self) -> None:
        if self.query_one("#panes").has_class("with-logs"):
            self.follow.soon()

    def action_open_pane_logs(self) -> None:
        target = self.query_one(LogPane).target
        if target is not None:
            self.warroom.open_logs(target)

    def _tick(self) -> None:
        for pane in self.query(ResourcePane):
            pane.update_status()
        self.query_one(MetricsLine).show_line()

    def pane(self, name: str) -> ResourcePane[Any]:
        return self.query_one(f"#{name}", ResourcePane)

    def _pane_with_focus(self) -> ResourcePane[Any] | None:
        focused = self.focused
        while focused is not None and not isinstance(focused, ResourcePane):
            focused = focused.parent  # type: ignore[assignment]
        return focused

    @property
    def focused_pane(self) -> ResourcePane[Any]:
        return self._pane_with_focus() or self.pane("services")

    # Acts -------------------------------------------------------------------------------------------------
    def on_act_requested(self, message: ActRequested) -> None:
        start_act(self, message.act.name, message.row, message.rows)

    def elsewhere(self, act: Act) -> str:
        """A pane's keys act only while it has focus (a pane without focus shows no cursor)."""
        if act.pane == "connections" and self.backend.postgres is None:
            return "the Connections pane: configure [database], or press c on a Databases row"
        return f"the {act.pane.title()} pane (press {PANE_KEYS[act.pane]})"

    def on_sessions_moved(self, _: SessionsMoved) -> None:
        """Restart the Connections pane on the server the backend now watches, and focus it."""
        pane = self.query_one(ConnectionsPane)
        pane.reset()
        self.query_one(PaneStack).add_class("with-connections").relayout()
        self.warroom.refresher.add(pane.source, self.backend.sessions, pane)
        pane.table.focus()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        pane = self.focused_pane
        row = pane.selected
        if isinstance(row, PgSession):
            start(self, open_session, row, pane.rows)
        elif isinstance(pane, DependenciesPane) and row is not None:
            self.app.push_screen(RowScreen(literal(row.key), fields(row)))
        elif row is not None:
            self.warroom.open_detail(row)

    # What follows from a refresh ----------------------------------------------------------------------------
    def on_refreshed(self, message: Refreshed[Any]) -> None:
        """The panes show their own results (the message reaches them first); what else follows from one."""
        source = message.source
        if source.service == "aws":
            self.query_one(StatusHeader).set_problem("")  # AWS answered: the credentials work
        if source is self.pane("alarms").source:
            self.silenced.show(message.data)
            self._alert_new_alarms(message.data)
        elif source is self.pane("services").source:
            self._watch_targets(message.data)
        elif source is self.query_one(ServicesPane).targets_source:
            self._targets_failing = False
        elif source is self.writes_source:
            self._alert_others_writes(message.data)
        elif source is self.pane("dependencies").source and message.data.items:
            self.query_one(PaneStack).add_class("with-dependencies").relayout()  # found: shown from now on

    async def _others_writes(self) -> tuple[Change, ...]:
        """CloudTrail's writes since the last look (the first look: the last WRITES_EVERY seconds), in scope."""
        now = clock.now()
        since, self._writes_since = self._writes_since or now - timedelta(seconds=WRITES_EVERY), now
        rows = self.pane("services").rows
        return await self.backend.writes(since - WRITES_LATE, now, {n for s in rows for n in (s.name, s.cluster)})

    def _alert_others_writes(self, writes: tuple[Change, ...]) -> None:
        """A notification (if asked for) for each write by someone else not told before."""
        me = self.backend.identity.arn
        for change in writes:
            if change.actor and change.actor != me and change.via != "warroom" and change.id not in self._told:
                self._told.add(change.id)
                who = change.actor.rsplit("/", 1)[-1]
                self.warroom.alert(f"changed by {who}", f"{change.what} · {change.resource}")

    def _alert_new_alarms(self, alarms: tuple[Alarm, ...]) -> None:
        """A notification (if asked for) for each alarm that entered ALARM since the previous read."""
        states = {alarm.name: alarm.state for alarm in alarms}
        if self._alarm_states is not None:
            for name, state in states.items():
                if state == "ALARM" and self._alarm_states.get(name) != "ALARM":
                    self.warroom.alert("ALARM", name)
        self._alarm_states = states

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

    # Screen keys ---------------------------------------------------------------------------------------------
    @work(exclusive=True, group="open-logs", exit_on_error=False)
    async def action_log_groups(self) -> None:
        """Tail the environment's log groups, or groups picked by prefix."""
        groups = self.backend.env.log_groups or await self.app.push_screen_wait(LogGroupPicker())
        if groups:
            self.warroom.open_logs(LogTarget(tuple(groups), label=", ".join(groups)))

    def action_timeline(self) -> None:
        """What changed: the selected service's timeline from the Services pane, else the environment's."""
        pane = self._pane_with_focus()
        service = pane.selected if pane is not None and pane.id == "services" else None
        self.app.push_screen(TimelineScreen(service.name if isinstance(service, Service) else ""))

    @work(exclusive=True, group="switch", exit_on_error=False)
    async def action_switch_env(self) -> None:
        """Pick another environment or AWS profile and switch to it."""
        environments, current = self.warroom.environments, self.backend.env
        if environments is None:
            self.warroom.switch_to(current)  # says there is only this one
            return
        choices = await asyncio.to_thread(environments.choices)
        known = {env.name: environments.identity(env) for env in choices}
        chosen = await self.app.push_screen_wait(EnvironmentPicker(choices, current, known))
        if chosen is not None:
            self.warroom.switch_to(chosen)

    @work(exclusive=True, group="switch", exit_on_error=False)
    async def action_switch_region(self) -> None:
        """The same environment (profile and scope) in another region."""
        region = await self.app.push_screen_wait(RegionPrompt(self.backend.identity.region))
        if region:
            self.warroom.switch_to(self.backend.env, region)

    def action_focus_pane(self, name: str) -> None:
        pane = self.pane(name)
        if pane.display:
            pane.table.focus()
        else:
            self.notify(f"No {pane.TITLE} pane: {HIDDEN[name]}", timeout=4)

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
