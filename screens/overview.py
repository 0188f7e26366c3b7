"""The overview: one row per configured environment (account, region, services below desired, rollouts failed,
alarms in ALARM, databases not available, freshness or the error code that stopped its read), each read once a
minute through its own connection (its own throttles), all at once. Enter opens one (its whole error, if any, is
said there); `0` comes back here from anywhere."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from warroom.config import Environment
from warroom.data.models import Summary
from warroom.freshness import Freshness
from warroom.refresher import Refreshed, RefreshFailed, Source
from warroom.screens.hosted import Hosted
from warroom.text import live_age
from warroom.untrusted import literal
from warroom.widgets.pane import PaneTable

EVERY = 60.0  # seconds between one environment's summary reads
# What needs a look first, then where it is: at 80 columns the region is what scrolls off.
COLUMNS = ("Environment", "Below", "Failed", "ALARM", "DB down", "Read", "Account", "Region")


class OverviewScreen(Hosted, Screen[None]):
    """Every environment's health at once, in the config file's order: counts in red where not zero (Below:
    services running below desired, of all; Failed: rollouts failed; ALARM: alarms in ALARM; DB down: databases
    not available, of all)."""

    BINDINGS = [Binding("r", "refresh", "Refresh", id="overview-refresh")]

    def __init__(self) -> None:
        super().__init__()
        self.envs: tuple[Environment, ...] = ()
        self.sources: dict[str, Source] = {}
        self.fresh: dict[str, Freshness] = {}
        self.summaries: dict[str, Summary] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="overview-title", classes="detail-title")
        table = PaneTable(cursor_type="row", zebra_stripes=False, id="overview-table")
        for label in COLUMNS:
            table.add_column(label, key=label)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        environments = self.warroom.environments
        self.envs = environments.configured if environments is not None else ()
        table = self.query_one(DataTable)
        for env in self.envs:
            self.sources[env.name] = Source(f"overview:{env.name}", service=f"aws:{env.name}")  # per account
            self.fresh[env.name] = Freshness(EVERY, env.name)
            table.add_row(*self._cells(env), key=env.name)
            self.warroom.refresher.add(self.sources[env.name], self._read(env), self, interval=EVERY)
        self.set_interval(1.0, self._tick)
        self._title()
        table.focus()

    def on_unmount(self) -> None:
        for source in self.sources.values():
            self.warroom.refresher.remove(source)

    def _read(self, env: Environment) -> Any:
        environments = self.warroom.environments
        assert environments is not None
        return lambda: environments.summary(env)

    def _title(self) -> None:
        firing = [name for name, s in self.summaries.items() if s.problems]
        title = Text(" warroom ", style="bold")
        title.append(f" {len(self.envs)} environments")
        if firing:
            title.append(f" · {len(firing)} need a look", style="bold")
        title.append(" · Enter opens one · 0 returns here")
        self.query_one("#overview-title", Static).update(title)

    def _cells(self, env: Environment) -> tuple[Text, ...]:
        summary, bad = self.summaries.get(env.name), "bold red"

        def count(value: int, total: int | None = None) -> Text:
            return Text(f"{value}/{total}" if total is not None else str(value), style=bad if value else "")

        if summary is None:
            blank = Text("-", style="dim")
            counts, where = [blank] * 4, [blank, literal(env.region or "", "dim")]
        else:
            counts = [count(summary.below_desired, summary.services), count(summary.rollouts_failed),
                      count(summary.alarms_firing), count(summary.databases_down, summary.databases)]
            where = [literal(summary.account), literal(summary.region)]
        return (literal(env.name, "bold"), *counts, self._read_cell(env), *where)

    def _read_cell(self, env: Environment) -> Text:
        """The age of the environment's last read, STALE after three intervals, or the code of its error."""
        fresh = self.fresh[env.name]
        if fresh.error:
            return literal(f"✖ {fresh.error.code}", "bold red")  # Enter says the whole of it
        if fresh.last_ok is None:
            return Text("loading…", style="dim")
        stale = fresh.stale()
        return Text(("STALE " if stale else "") + live_age(fresh.last_ok), style="bold red" if stale else "dim")

    def _show(self, env: Environment) -> None:
        table = self.query_one(DataTable)
        for column, cell in zip(COLUMNS, self._cells(env)):
            table.update_cell(env.name, column, cell, update_width=True)
        self._title()

    def _tick(self) -> None:
        """The Read column's age, written only when its text changes."""
        table = self.query_one(DataTable)
        for env in self.envs:
            cell = self._read_cell(env)
            if table.get_cell(env.name, "Read") != cell:
                table.update_cell(env.name, "Read", cell, update_width=True)

    def _env_of(self, source: Source) -> Environment | None:
        return next((env for env in self.envs if self.sources.get(env.name) is source), None)

    def on_refreshed(self, message: Refreshed[Summary]) -> None:
        env = self._env_of(message.source)
        if env is not None:
            self.summaries[env.name] = message.data
            self.fresh[env.name].ok(message.at)
            self._show(env)

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        env = self._env_of(message.source)
        if env is not None:
            self.fresh[env.name].failed(message.error, message.retry_in)
            self._show(env)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row (the table's own key): open that environment."""
        event.stop()
        self.warroom.switch_to(self.envs[event.cursor_row])

    def action_refresh(self) -> None:
        self.warroom.refresher.refresh_now(list(self.sources.values()))
