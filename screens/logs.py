"""The log tail screen: a live, bounded, searchable tail of one service's (or the chosen) log groups."""

from __future__ import annotations

import time
from collections import deque
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from warroom import clock, inputs
from warroom.data.models import LogBatch, LogEvent, LogTarget
from warroom.logtext import saved_line
from warroom.freshness import Freshness
from warroom.refresher import Refreshed, RefreshFailed, Source
from warroom.text import age
from warroom.untrusted import literal
from warroom.widgets.log_view import Found, LogView
from warroom.screens.hosted import Hosted
from warroom.screens.modal import DismissOnce
from warroom.screens.prompt import EventViewer, Prompt
from warroom.widgets.safe_input import SafeInput

POLL_SECONDS = 2.0
RATE_WINDOW = 10.0


class LogScreen(DismissOnce, Hosted, Screen[None]):
    """`aws logs tail --follow` on one screen, with filter, since, pause, search, wrap and save."""

    BINDINGS = [  # the footer shows the first six (they fit at 80 columns); `?` lists them all
        Binding("slash", "search", "Search", id="log-search"),
        Binding("space", "pause", "Pause", id="log-pause"),
        Binding("f", "filter", "Filter", id="log-filter"),
        Binding("e", "errors", "Errors", id="log-errors"),
        Binding("s", "since", "Since", id="log-since"),
        Binding("question_mark", "app.help", "Help", id="log-help"),
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("n", "find(True)", "Next match", show=False, id="log-next"),
        Binding("N", "find(False)", "Previous match", show=False, id="log-previous"),
        Binding("o", "open", "Open line", show=False, id="log-open"),
        Binding("w", "wrap", "Wrap", show=False, id="log-wrap"),
        Binding("t", "times", "Times", show=False, id="log-times"),
        Binding("g", "top", "Top", show=False, id="log-top"),
        Binding("G", "bottom", "Bottom (follow)", show=False, id="log-bottom"),
        Binding("ctrl+s", "save", "Save", show=False, id="log-save"),
        Binding("q", "app.quit", "Quit", show=False, id="log-quit"),
    ]

    def __init__(self, target: LogTarget, since: str = "30m", pattern: str = "", max_lines: int | None = None) -> None:
        super().__init__()
        self.target = target
        self.since_text = since
        self.pattern = pattern
        self.max_lines = max_lines
        self.paused = False
        self.pending: list[LogEvent] = []
        self.mode = ""
        self.source = Source("logs")
        self.fresh = Freshness(POLL_SECONDS)
        self.saved = ""
        self._arrivals: deque[tuple[float, int]] = deque()
        self._tail: Any = None
        self.note = ""
        self.found: Found | None = None  # where the last search jump landed

    def compose(self) -> ComposeResult:
        yield self.status_header()
        yield Static(self._title(), id="log-title", classes="detail-title")
        yield Static("", id="log-status", classes="log-status")
        view = LogView(self.max_lines or self.backend.env.log_lines, id="log-view")
        view.several_groups = len(self.target.groups) > 1
        yield view
        yield SafeInput(placeholder="search (Enter keeps it; n/N jump; Esc clears)", id="log-search-input")
        yield Footer()

    def _title(self) -> Text:
        title = Text.assemble("Logs ", literal(self.target.label or ", ".join(self.target.groups)))
        title.append(" · ", style="dim")
        title.append_text(literal(", ".join(self.target.groups), limit=300))
        if self.target.stream_prefix:
            title.append(" · streams ", style="dim")
            title.append_text(literal(self.target.stream_prefix + "*"))
        return title

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    def on_mount(self) -> None:
        self._start_tail()
        self.set_interval(1.0, self._show_status)
        self.view.focus()

    def on_unmount(self) -> None:
        self.warroom.refresher.remove(self.source)
        self._close_tail()

    def _start_tail(self) -> None:
        """(Re)start reading with the current since and filter pattern; the view starts empty."""
        app = self.warroom
        try:
            since = inputs.since(self.since_text, clock.now())
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self.view.events.clear()
        self.view.rebuild()
        self.pending.clear()
        self._close_tail()
        self._tail = self.backend.log_tail(self.target, since, self.pattern)
        app.refresher.add(self.source, self._tail.read, self, interval=POLL_SECONDS)

    def _close_tail(self) -> None:
        if self._tail is not None:
            self._tail.close()
            self._tail = None

    def on_refreshed(self, message: Refreshed[LogBatch]) -> None:
        if message.source is not self.source:
            return
        message.stop()
        batch = message.data
        self.fresh.ok(message.at)
        self.mode, self.note = batch.mode, batch.note
        if batch.events:
            self._arrivals.append((time.monotonic(), len(batch.events)))
            if self.paused:
                self.pending.extend(batch.events)
            else:
                self.view.add(batch.events)
        self._show_status()

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        if message.source is self.source:
            message.stop()
            self.fresh.failed(message.error, message.retry_in)
            self._show_status()

    def _rate(self) -> float:
        now = time.monotonic()
        while self._arrivals and now - self._arrivals[0][0] > RATE_WINDOW:
            self._arrivals.popleft()
        return sum(count for _, count in self._arrivals) / RATE_WINDOW

    def _show_status(self) -> None:
        """What matters most first, so it survives a narrow terminal: paused, failing, then the figures."""
        view = self.view
        status = Text()
        if self.paused:
            status.append(f" PAUSED {len(self.pending):,} new ", style="bold reverse")
            status.append(" ")
        if view.highlighter.search:
            status.append_text(literal(repr(view.highlighter.search), limit=40))
            found = self.found
            status.append(f" match {found.number}/{found.total}{' · wrapped' if found.wrapped else ''}" if found
                          else " no match", style="bold")
            status.append(" · ")
        if not view.following:
            status.append("not following (G) · ", style="bold")
        if self.fresh.error:
            status.append(f"✖ {self.fresh.retry()} · ", style="bold")
            status.append_text(literal(self.fresh.problem()))
            status.append(" · ")
        elif self.fresh.stale():
            status.append(self.fresh.age(), style="bold")
            status.append(" · ")
        newest = view.events[-1].timestamp if view.events else None
        status.append(" · ".join([self.mode or "starting", f"lag {age(newest)}" if newest else "no events yet",
                                  f"{self._rate():.1f}/s", f"{len(view.lines):,}/{view.max_lines:,} lines",
                                  f"since {self.since_text}"]))
        if self.pattern:
            status.append(" · filter ")
            status.append_text(literal(self.pattern))
        if self.note:
            status.append(" · ")
            status.append_text(literal(self.note))
        flags = [name for name, on_ in (("errors only", view.errors_only), ("wrap", view.wrap),
                                         ("no times", not view.times)) if on_]
        if flags:
            status.append(" · " + ", ".join(flags))
        if self.saved:
            status.append(" · saved ")
            status.append_text(literal(self.saved))
        self.query_one("#log-status", Static).update(status)

    # Keys -----------------------------------------------------------------------------------------------
    def action_back(self) -> None:
        """Esc clears the search first (closing its input), then leaves the screen."""
        search = self.query_one("#log-search-input", Input)
        if search.has_class("open") or self.view.highlighter.search:
            search.remove_class("open")
            search.value = ""
            self.view.set_search("")
            self.found = None
            self.view.focus()
            self._show_status()
        else:
            self.dismiss()

    @work(exclusive=True, group="log-prompt")
    async def action_filter(self) -> None:
        pattern = await self.app.push_screen_wait(
            Prompt("CloudWatch filter pattern (sent to the API; empty for all):", self.pattern or "ERROR", "ERROR"))
        if pattern is not None and pattern != self.pattern:
            self.pattern = pattern.strip()
            self._start_tail()

    @work(exclusive=True, group="log-prompt")
    async def action_since(self) -> None:
        since = await self.app.push_screen_wait(
            Prompt("Since (5m, 30m, 1h, 6h, or an ISO time):", self.since_text, "30m"))
        if since is None:
            return
        try:
            inputs.since(since, clock.now())
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self.since_text = since.strip()
        self._start_tail()

    def action_pause(self) -> None:
        self.paused = not self.paused
        if not self.paused and self.pending:
            self.view.add(self.pending)
            self.pending = []
        self._show_status()

    def action_search(self) -> None:
        search = self.query_one("#log-search-input", Input)
        search.add_class("open")
        search.focus()

    @on(Input.Submitted, "#log-search-input")
    def _search(self, event: Input.Submitted) -> None:
        """The newest match at or above the current line; the status line says which of how many."""
        event.input.remove_class("open")
        self.view.set_search(event.value)
        self.view.focus()
        self.found = self.view.find(forward=False, here=True) if event.value else None
        self._show_status()

    def action_find(self, forward: bool) -> None:
        if not self.view.highlighter.search:
            self.notify("search first with /", timeout=2)
            return
        self.found = self.view.find(forward)
        self._show_status()

    def _toggle(self, name: str) -> None:
        setattr(self.view, name, not getattr(self.view, name))
        self.view.rebuild()
        self._show_status()

    def action_errors(self) -> None:
        self._toggle("errors_only")

    def action_wrap(self) -> None:
        self._toggle("wrap")

    def action_times(self) -> None:
        self._toggle("times")

    def action_top(self) -> None:
        self.view.scroll_home(animate=False, immediate=True)
        self._show_status()

    def action_bottom(self) -> None:
        self.view.scroll_end(animate=False, immediate=True)
        self._show_status()

    def action_open(self) -> None:
        event = self.view.current_event()
        if event is not None:
            self.app.push_screen(EventViewer(event))

    def on_resize(self) -> None:
        if self.is_mounted and self.view.wrap:
            self.view.rebuild()

    def action_save(self) -> None:
        self._save(list(self.view.events) + self.pending, self.target.label or self.target.groups[0],
                   self.warroom.runner.audit.saved_logs)

    @work(thread=True, exit_on_error=False)
    def _save(self, events: list[LogEvent], label: str, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in label)[:60] or "logs"
        path = folder / f"{safe}-{datetime.now().strftime('%Y%m%d-%H%M%S')}.log"
        with path.open("w", encoding="utf-8", errors="replace") as out:
            out.writelines(saved_line(e) + "\n" for e in events)
        self.app.call_from_thread(self._saved, str(path), len(events))

    def _saved(self, path: str, count: int) -> None:
        self.saved = path
        self.notify(f"saved {count:,} events to {path}", timeout=6)
        self._show_status()
