"""A live pane: a titled table of rows keyed by id, with its refresh age, its last error and a filter.

Subclasses say which columns there are, how a row renders (every outside string through `literal`),
how rows sort and whether a row needs attention. The pane keeps the last good rows when a refresh fails,
marks each value that changed since the previous refresh for one refresh, and updates the table by key.
Without focus a pane shows the top of its sort (its worst rows) and no cursor; focused, its cursor again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from math import ceil
from typing import Any, ClassVar, Generic, Sequence, TypeVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from warroom import clock
from warroom.data.errors import AwsError
from warroom.untrusted import literal
from warroom.widgets.format import age
from warroom.widgets.pane_layout import PaneStack

Row = TypeVar("Row")


class PaneTable(DataTable):
    """The pane's table; j/k move like the arrows, Enter opens the row."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="open"),
        Binding("j", "cursor_down", "Down", show=False, id="down"),
        Binding("k", "cursor_up", "Up", show=False, id="up"),
    ]

    def _update_dimensions(self, new_rows: Any) -> None:
        # Textual 8.2's DataTable sizes columns on idle but keeps lines rendered before that in its cache, so
        # rows added between two frames showed cut at the header's widths until something else changed.
        super()._update_dimensions(new_rows)
        self._clear_caches()

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        # Without its cursor (a pane without focus) the table stays at the top of its sort.
        if self.show_cursor:
            super()._scroll_cursor_into_view(animate)


class ResourcePane(Vertical, Generic[Row]):
    """Base of the Services, Alarms and Databases panes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"pane--bad", "pane--warn", "pane--changed", "pane--dim"}
    TITLE: ClassVar[str] = ""
    COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = ()  # (key, label)
    STEADY: ClassVar[frozenset[str]] = frozenset()  # columns that change every read (durations): never marked
    STALE_AFTER = 3  # intervals without a good read before the pane says its data is stale
    CHROME = 3  # rows around the data rows: the border and the column header
    ERROR_LINES = 4  # the error line wraps to at most this many rows

    def __init__(self, *, interval: float, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        self.interval = interval
        self.rows: tuple[Row, ...] = ()
        self.last_ok: datetime | None = None
        self.error: AwsError | None = None
        self.retry_at: datetime | None = None
        self.filter = ""
        self._shown: dict[str, tuple[Text, ...]] = {}
        self._previous: dict[str, tuple[str, ...]] | None = None
        self._changed: dict[str, frozenset[int]] = {}
        self._by_key: dict[str, Row] = {}
        self._need = 0
        self._error_text: Text | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="pane-error", markup=False)
        table = PaneTable(cursor_type="row", zebra_stripes=False, show_cursor=False, id=f"{self.id}-table")
        for key, label in self.COLUMNS:
            table.add_column(label, key=key)
        yield table

    def on_mount(self) -> None:
        self.query_one(".pane-error").display = False
        self.border_title = self.TITLE
        self.update_status()

    def on_descendant_focus(self, _: events.DescendantFocus) -> None:
        self.table.show_cursor = True

    def on_descendant_blur(self, _: events.DescendantBlur) -> None:
        self.table.show_cursor = False
        self.table.scroll_home(animate=False)

    # Height ------------------------------------------------------------------------------------------------
    def _error_lines(self) -> int:
        if self._error_text is None:
            return 0
        return min(self.ERROR_LINES, ceil(self._error_text.cell_len / max(1, self.size.width - 4)))

    def needed_height(self) -> int:
        """Rows to show every visible row, the border, the column header and the error line."""
        return len(self._shown) + self.CHROME + self._error_lines()

    def floor_height(self) -> int:
        """The least that still shows one row."""
        return 1 + self.CHROME + self._error_lines()

    def _need_may_have_changed(self) -> None:
        need = self.needed_height()
        if need != self._need:
            self._need = need
            self.post_message(PaneStack.NeedChanged())

    # What subclasses define ------------------------------------------------------------------------------
    def key_of(self, row: Row) -> str:
        return getattr(row, "key")

    def cells(self, row: Row) -> tuple[Text, ...]:
        raise NotImplementedError

    def order(self, row: Row) -> Any:
        return self.key_of(row)

    def attention(self, row: Row) -> bool:
        return False

    def source(self) -> str:
        """Where the rows come from, when the pane should say it (shown before the refresh age)."""
        return ""

    def summary(self, rows: Sequence[Row]) -> str:
        flagged = sum(1 for row in rows if self.attention(row))
        return f"{len(rows)}" + (f" · {flagged} need a look" if flagged else "")

    # Styling helpers for subclasses ------------------------------------------------------------------------
    def style(self, name: str) -> Style:
        return self.get_component_rich_style(f"pane--{name}", partial=True)

    # Data in -----------------------------------------------------------------------------------------------
    @property
    def table(self) -> DataTable:
        return self.query_one(PaneTable)

    def show(self, rows: Sequence[Row], at: datetime) -> None:
        """A good read: new rows, values that changed since the previous read marked for this refresh."""
        self.rows = tuple(rows)
        self.last_ok = at
        self.error = None
        self.retry_at = None
        steady = {index for index, (key, _) in enumerate(self.COLUMNS) if key in self.STEADY}
        current = {self.key_of(r): tuple("" if i in steady else c.plain for i, c in enumerate(self.cells(r)))
                   for r in self.rows}
        previous = self._previous
        self._changed = {}
        if previous is not None:
            for key, values in current.items():
                before = previous.get(key)
                if before is None:
                    self._changed[key] = frozenset(range(len(values)))
                else:
                    self._changed[key] = frozenset(i for i, (a, b) in enumerate(zip(before, values)) if a != b)
        self._previous = current
        self.render_rows()
        self.update_status()

    def reset(self) -> None:
        """Forget every row: the pane now shows another source."""
        self.rows, self.last_ok, self.error, self.retry_at = (), None, None, None
        self._previous, self._changed = None, {}
        self.render_rows()
        self.update_status()

    def failed(self, error: AwsError, retry_in: float) -> None:
        """A failed read: keep the rows, say the error, say when the next try is."""
        self.error = error
        self.retry_at = clock.now() + timedelta(seconds=retry_in)
        self.update_status()

    def set_filter(self, text: str) -> None:
        self.filter = text
        self.render_rows()
        self.update_status()

    # Rendering ---------------------------------------------------------------------------------------------
    def visible(self) -> list[Row]:
        rows = sorted(self.rows, key=self.order)
        needle = self.filter.casefold()
        if needle:
            rows = [r for r in rows if needle in " ".join(c.plain for c in self.cells(r)).casefold()]
        return rows

    def _rendered(self, row: Row) -> tuple[Text, ...]:
        cells = self.cells(row)
        changed = self._changed.get(self.key_of(row), frozenset())
        if not changed:
            return cells
        mark = self.style("changed")
        marked = []
        for index, cell in enumerate(cells):
            if index in changed and cell.plain:
                cell = cell.copy()
                cell.stylize(mark)
            marked.append(cell)
        return tuple(marked)

    def render_rows(self) -> None:
        table = self.table
        rows = self.visible()
        self._by_key = {self.key_of(r): r for r in rows}
        rendered = {self.key_of(r): self._rendered(r) for r in rows}
        keys = list(rendered)
        column_keys = [key for key, _ in self.COLUMNS]
        with self.app.batch_update():
            if keys == list(self._shown):
                for key in keys:
                    for index, (old, new) in enumerate(zip(self._shown[key], rendered[key])):
                        if old != new:
                            table.update_cell(key, column_keys[index], new, update_width=True)
            else:
                selected = self.selected_key()
                table.clear()
                for key in keys:
                    table.add_row(*rendered[key], key=key)
                if selected in rendered:
                    table.move_cursor(row=keys.index(selected), animate=False)
        self._shown = rendered
        self._need_may_have_changed()

    def selected_key(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # cursor outside the rows while they are replaced
            return None

    @property
    def selected(self) -> Row | None:
        key = self.selected_key()
        return self._by_key.get(key) if key else None

    def update_status(self) -> None:
        """Title with counts and filter; subtitle with the age of the last good read; the error line."""
        now = clock.now()
        title = Text(self.TITLE, style="bold")
        if self.last_ok is not None:
            title.append(f" {self.summary(self.rows)}")
        if self.filter:
            title.append(" · filter: ")
            title.append_text(literal(self.filter))
        self.border_title = title
        if self.last_ok is None:
            subtitle = Text("loading…" if self.error is None else "no data yet")
        else:
            stale = (now - self.last_ok).total_seconds() > self.STALE_AFTER * self.interval
            subtitle = Text(f"updated {age(self.last_ok, now)} ago")
            if stale:
                subtitle = Text(f"STALE · {subtitle.plain}", style=self.style("warn"))
        if self.source():
            subtitle = Text.assemble(literal(self.source(), limit=80), " · ", subtitle)
        self.border_subtitle = subtitle
        error_line = self.query_one(".pane-error", Static)
        self._error_text = None if self.error is None else self._error_line(now)
        if self._error_text is not None:
            error_line.update(self._error_text)
        error_line.display = self._error_text is not None
        self._need_may_have_changed()

    def _error_line(self, now: datetime) -> Text:
        """The error with when the next try is first, so a narrow pane cuts the message, never the retry."""
        assert self.error is not None
        retry = max(0, int((self.retry_at - now).total_seconds())) if self.retry_at else 0
        label = "throttled" if self.error.throttled else "refresh failed"
        line = Text("✖ ", style=self.style("bad"))
        line.append(f"retry in {retry}s", style=self.style("dim"))
        line.append(f" · {label}: ", style=self.style("bad"))
        line.append_text(literal(self.error.one_line()))
        return line
