"""The incident timeline: what changed, when, and who did it, newest first, from every source on one clock.

Read once for its window when opened, then only what is newer than its newest entry, at most once a minute
(LookupEvents allows about 2 requests a second per account and region). A source that could not be read is
named with why. `f` cycles the source shown, `/` searches, Enter opens an entry whole (CloudTrail's raw event
made literal), ctrl+s saves the markdown export to the data folder.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from warroom import clock
from warroom.data.models import Change, Timeline
from warroom.freshness import Freshness
from warroom.refresher import Refreshed, RefreshFailed, Source
from warroom.screens.hosted import Hosted
from warroom.screens.modal import DismissOnce
from warroom.screens.row_view import RowScreen
from warroom.timeline import markdown
from warroom.untrusted import literal
from warroom.widgets.pane import PaneTable
from warroom.widgets.safe_input import SafeInput

WINDOW = timedelta(hours=2)
EVERY = 60.0  # seconds between reads of what is new: the sources are low-rate APIs
OVERLAP = timedelta(minutes=5)  # re-read this much before the newest entry: sources publish late
SOURCES = ("all", "cloudtrail", "alarm", "ecs", "rds", "warroom")
COLUMNS = ("Time (UTC)", "Source", "Resource", "What", "Who")
RESOURCE_WIDTH = 30  # a longer name is cut in the table (Enter shows the entry whole)


class TimelineScreen(DismissOnce, Hosted, Screen[None]):
    """One environment's changes; `resource` narrows it to one (a service's timeline)."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="timeline-back"),
        Binding("f", "next_source", "Source", id="timeline-source"),
        Binding("slash", "search", "Search", id="timeline-search"),
        Binding("ctrl+s", "save", "Save", id="timeline-save"),
        Binding("r", "refresh", "Refresh", id="timeline-refresh"),
    ]

    def __init__(self, resource: str = "") -> None:
        super().__init__()
        self.resource = resource
        self.source = Source("timeline")
        self.fresh = Freshness(EVERY)
        self.timeline: Timeline | None = None
        self.shown_source = "all"
        self.search = ""
        self.saved = ""
        self._rows: list[Change] = []

    def compose(self) -> ComposeResult:
        yield self.status_header()
        yield Static("", id="timeline-title", classes="detail-title")
        yield Static("", id="timeline-note", classes="note", markup=False)
        table = PaneTable(cursor_type="row", zebra_stripes=True, id="timeline-table")
        for label in COLUMNS:
            table.add_column(label, width=RESOURCE_WIDTH if label == "Resource" else None)
        yield table
        yield SafeInput(placeholder="search the timeline (Enter keeps it; Esc clears)", id="timeline-search-input")
        yield Footer()

    def on_mount(self) -> None:
        self.warroom.refresher.add(self.source, self._read, self, interval=max(EVERY, self.warroom.refresher.interval))
        self.set_interval(1.0, self._show_status)
        self._show_status()
        self.query_one(DataTable).focus()

    def on_unmount(self) -> None:
        self.warroom.refresher.remove(self.source)

    async def _read(self) -> Timeline:
        """The window when nothing is shown yet; after that, what is newer than the newest entry (merged)."""
        now = clock.now()
        known = self.timeline
        since = now - WINDOW if known is None or not known.changes else known.changes[0].at - OVERLAP
        new = await self.backend.timeline(since, now, self.warroom.runner.audit)
        seen = {(c.source, c.id or c.at.isoformat(), c.what) for c in new.changes}
        older = tuple(c for c in known.changes if (c.source, c.id or c.at.isoformat(), c.what) not in seen) \
            if known else ()
        return replace(new, since=known.since if known else new.since,
                       changes=tuple(sorted(new.changes + older, key=lambda c: c.at, reverse=True)))

    def on_refreshed(self, message: Refreshed[Timeline]) -> None:
        if message.source is self.source:
            self.fresh.ok(message.at)
            self.timeline = message.data
            self._fill()

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        if message.source is self.source:
            self.fresh.failed(message.error, message.retry_in)
            self._show_status()

    def _visible(self) -> list[Change]:
        changes = self.timeline.changes if self.timeline else ()
        needle = self.search.casefold()
        return [c for c in changes
                if (self.shown_source == "all" or c.source == self.shown_source)
                and (not self.resource or self.resource in c.resource.split(", ") or
                     c.resource.rsplit("/", 1)[-1] == self.resource)
                and (not needle or needle in " ".join((c.resource, c.what, c.actor, c.via)).casefold())]

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        self._rows = self._visible()
        for change in self._rows:
            who = " · ".join(part for part in (change.actor.rsplit("/", 1)[-1], change.via) if part)
            short = change.resource.split(", ")[-1].rsplit("/", 1)[-1]  # the service, not its cluster: Enter has all
            table.add_row(Text(f"{change.at:%H:%M:%S}"), Text(change.source, style="bold"),
                          literal(short), literal(change.what, limit=300), literal(who))
        if self._rows:
            table.move_cursor(row=min(cursor, len(self._rows) - 1), animate=False)
        self._show_status()

    def _show_status(self) -> None:
        title = Text("Timeline", style="bold")
        if self.resource:
            title.append(" of ")
            title.append_text(literal(self.resource))
        if self.timeline is not None:
            title.append(f" · since {self.timeline.since:%H:%M} UTC · {len(self._rows)} change(s)")
        if self.shown_source != "all":
            title.append(f" · source {self.shown_source}")
        if self.search:
            title.append(" · search ")
            title.append_text(literal(self.search))
        title.append(f" · {self.fresh.age()}", style="dim")
        self.query_one("#timeline-title", Static).update(title)
        notes = [f"not read: {source}: {why}" for source, why in (self.timeline.missing if self.timeline else ())]
        if self.fresh.error:
            notes.insert(0, f"✖ {self.fresh.retry()} · {self.fresh.problem()}")
        if self.saved:
            notes.append(f"saved to {self.saved}")
        note = self.query_one("#timeline-note", Static)
        note.update(literal("\n".join(notes), multiline=True))
        note.display = bool(notes)

    @on(DataTable.RowSelected, "#timeline-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        """One entry whole: every field wrapped, CloudTrail's raw record last."""
        event.stop()
        if not 0 <= event.cursor_row < len(self._rows):
            return
        c = self._rows[event.cursor_row]
        fields = [("time", f"{c.at:%Y-%m-%d %H:%M:%S} UTC"), ("source", c.source), ("resource", c.resource),
                  ("what", c.what), ("who", c.actor), ("via", c.via), ("record", c.raw)]
        self.app.push_screen(RowScreen(Text(f"{c.source} · {c.at:%H:%M:%S}"),
                                       [(label, literal(value, multiline=True, limit=20_000))
                                        for label, value in fields if value]))

    def action_next_source(self) -> None:
        self.shown_source = SOURCES[(SOURCES.index(self.shown_source) + 1) % len(SOURCES)]
        self._fill()

    def action_search(self) -> None:
        field = self.query_one("#timeline-search-input", Input)
        field.value = self.search
        field.add_class("open")
        field.focus()

    @on(Input.Changed, "#timeline-search-input")
    def _searching(self, event: Input.Changed) -> None:
        self.search = event.value
        self._fill()

    @on(Input.Submitted, "#timeline-search-input")
    def _searched(self) -> None:
        self.query_one("#timeline-search-input").remove_class("open")
        self.query_one(DataTable).focus()

    def action_back(self) -> None:
        """Esc closes the search first (clearing it), then leaves the screen."""
        field = self.query_one("#timeline-search-input", Input)
        if field.has_class("open") or self.search:
            field.remove_class("open")
            field.value = ""
            self.query_one(DataTable).focus()
            return
        self.dismiss()

    def action_refresh(self) -> None:
        self.warroom.refresher.refresh_now([self.source])

    def action_save(self) -> None:
        if self.timeline is not None:
            env = self.backend.env.name
            self._save(markdown(replace(self.timeline, changes=tuple(self._rows)),
                                f"warroom timeline · {env} · {self.backend.identity.account}"),
                       self.warroom.runner.audit.saved_logs.parent / "timelines", env)

    @work(thread=True, exit_on_error=False)
    def _save(self, text: str, folder: Path, env: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in env)[:40]
        path = folder / f"timeline-{safe}-{clock.now():%Y%m%d-%H%M%S}.md"
        path.write_text(text, encoding="utf-8")
        self.app.call_from_thread(self._said_saved, str(path))

    def _said_saved(self, path: str) -> None:
        self.saved = path
        self._show_status()
