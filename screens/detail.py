"""Base of the detail screens: a title, sections of tables refreshed by the one refresher, Esc to go back.
Long values wrap in text sections; a table cut at the screen's width says so, and Enter shows its row whole."""

from __future__ import annotations

from typing import Any, ClassVar, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from warroom.screens.flow import start_act
from warroom.screens.keys import ActionKeys
from warroom.screens.modal import DismissOnce
from warroom.screens.row_view import RowScreen
from warroom.backend import Read
from warroom.freshness import Freshness
from warroom.refresher import Refreshed, RefreshFailed, Source
from warroom.untrusted import literal
from warroom.widgets.metrics_panel import MetricsPanel
from warroom.widgets.pane import PaneTable


METRICS_SECONDS = 60.0  # metrics move by the minute: read them less often than the counts
CUT_NOTE = " · cut at this width: ⏎ shows a row whole"


class DetailScreen(DismissOnce, ActionKeys, Screen[None]):
    """A detail screen reads one thing (its `read`) on the app's interval and renders it into sections."""

    BINDINGS = [
        Binding("escape", "dismiss", "Back", id="back"),
        Binding("r", "refresh", "Refresh", id="refresh"),
    ]
    # (id, title, column labels); a section without columns is wrapped text (long messages stay readable)
    SECTIONS: ClassVar[tuple[tuple[str, str, tuple[str, ...]], ...]] = ()
    row: Any  # what the screen shows, as its acts' flows take it
    INTERVAL: ClassVar[float] = 0.0  # seconds between reads at least (0: the app's refresh interval)

    def __init__(self, read: Read, title: Text, metrics: Read | None = None) -> None:
        super().__init__(classes="detail-screen")
        self.source = Source("detail")  # each screen its own sources: one closing never stops another's reads
        self.metrics_source = Source("metrics")
        self._read = read
        self._metrics = metrics
        self._title = title
        self.fresh = Freshness(0)
        self._empty: set[str] = set()  # tables showing only their "none" line
        self._cut: set[str] = set()  # tables whose columns go past the screen's width

    def compose(self) -> ComposeResult:
        yield self.status_header()
        yield Static(self._title, classes="detail-title", id="detail-title")
        yield Static("", classes="note", id="detail-note", markup=False)
        with VerticalScroll(classes="detail"):
            if self._metrics is not None:
                yield Static("Last hour (CloudWatch, 1-minute points)", classes="section", markup=False)
                yield MetricsPanel(id="metrics")
            for section_id, title, columns in self.SECTIONS:
                yield Static(title, classes="section", id=f"{section_id}-title", markup=False)
                if not columns:
                    yield Static("", id=section_id, classes="lines", markup=False)
                    continue
                table = PaneTable(cursor_type="row", id=section_id, zebra_stripes=True)
                for label in columns:
                    table.add_column(label)
                yield table
        yield Footer()

    def on_mount(self) -> None:
        refresher = self.warroom.refresher
        self.fresh.interval = max(self.INTERVAL, refresher.interval)
        refresher.add(self.source, self._read, self, interval=self.fresh.interval)
        if self._metrics is not None:
            refresher.add(self.metrics_source, self._metrics, self.query_one(MetricsPanel),
                          interval=max(METRICS_SECONDS, refresher.interval))
        self.query_one("#detail-note").display = False
        self.set_interval(1.0, self._show_status)

    def on_resize(self) -> None:
        self.call_after_refresh(self._mark_cut)

    def _tables(self) -> list[tuple[str, str]]:
        return [(section_id, title) for section_id, title, columns in self.SECTIONS if columns]

    def _is_cut(self, section_id: str) -> bool:
        table = self.query_one(f"#{section_id}", DataTable)
        return table.virtual_size.width > table.scrollable_content_region.width

    def _mark_cut(self) -> None:
        """Each table's title says when its columns go past the screen's width."""
        cut = {section_id for section_id, _ in self._tables() if self._is_cut(section_id)}
        if cut != self._cut:
            self._cut = cut
            for section_id, title in self._tables():
                self.query_one(f"#{section_id}-title", Static).update(title + (CUT_NOTE if section_id in cut else ""))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a table row: the row whole, every column wrapped."""
        event.stop()
        table = event.data_table
        if table.id in self._empty:
            return
        title = dict(self._tables()).get(table.id or "", "")
        labels = [column.label.plain for column in table.columns.values()]
        cells = table.get_row_at(event.cursor_row)
        self.app.push_screen(RowScreen(Text.assemble(title, " · ", self._title), list(zip(labels, cells))))

    def on_unmount(self) -> None:
        self.warroom.refresher.remove(self.source)
        self.warroom.refresher.remove(self.metrics_source)

    def action_request(self, name: str) -> None:
        """An act of this screen's row (warroom.registry)."""
        start_act(self, name, self.row)

    def action_refresh(self) -> None:
        self.warroom.refresher.refresh_now([self.source])

    def on_refreshed(self, message: Refreshed[Any]) -> None:
        if message.source is self.source:
            self.fresh.ok(message.at)
            self.render_detail(message.data)
            self._show_status()

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        if message.source is self.source:
            self.fresh.failed(message.error, message.retry_in)
            self._show_status()

    def _show_status(self) -> None:
        title = self._title.copy()
        title.append(f" · {self.fresh.age()}", style="dim")
        self.query_one("#detail-title", Static).update(title)
        error = f"✖ {self.fresh.retry()} · {self.fresh.problem()}" if self.fresh.error else ""
        notes = [n for n in (error, self.note()) if n]
        note = self.query_one("#detail-note", Static)
        note.update(literal("\n".join(notes), multiline=True))
        note.display = bool(notes)
        self._mark_cut()

    def note(self) -> str:
        return ""

    def fill(self, section_id: str, rows: Sequence[Sequence[Text]], empty: str = "none") -> None:
        """Replace a section's rows, keeping the cursor row where it was."""
        table = self.query_one(f"#{section_id}", DataTable)
        cursor = table.cursor_row
        table.clear()
        if rows:
            self._empty.discard(section_id)
        else:
            self._empty.add(section_id)
            table.add_row(*([Text(empty, style="dim")] + [Text("")] * (len(table.columns) - 1)))
        for row in rows:
            table.add_row(*row)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1), animate=False)
        self.call_after_refresh(self._mark_cut)

    def fill_lines(self, section_id: str, lines: Sequence[Text], empty: str = "none") -> None:
        """Replace a text section's lines; each wraps at the screen's width."""
        text = Text("\n").join(lines) if lines else Text(empty, style="dim")
        self.query_one(f"#{section_id}", Static).update(text)

    def render_detail(self, data: Any) -> None:
        raise NotImplementedError
