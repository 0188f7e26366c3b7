"""A live pane: a titled table of rows keyed by id, with its refresh age, its last error and a filter.

Subclasses say which columns there are, how a row renders (every outside string through `literal`),
how rows sort and whether a row needs attention. The pane keeps the last good rows when a refresh fails,
marks each value that changed since the previous refresh for one refresh, and updates the table by key.
Without focus a pane shows the top of its sort (its worst rows) and no cursor; focused, its cursor again.

A quiet screen: Textual writes every cell of a region it repaints, and both `border_subtitle = ...` and
`DataTable.update_cell` repaint the whole widget (every line of a pane). So a border label is set only when its
text changes and then only its part of the border row is repainted (`BorderLabels`), and a cell whose column
keeps its width repaints only that cell (`PaneTable.set_cells`); `crop_partial_updates` makes Textual write only
that part, not the line from the widget's left edge. At idle the screen then changes only where its text does:
the refresh age in steps of 10 s (warroom.freshness), an age column when its minute turns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from math import ceil
from typing import Any, ClassVar, Generic, Sequence, TypeVar

from rich.cells import cell_len
from rich.console import Console
from rich.control import Control
from rich.style import Style
from rich.text import Text
from textual import _compositor, events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from warroom import clock
from warroom.freshness import Freshness
from warroom.registry import ACTS, Act, act_of
from warroom.refresher import Refreshed, RefreshFailed, Source
from warroom.untrusted import literal
from warroom.widgets.pane_layout import PaneStack

Row = TypeVar("Row")


@dataclass
class ActRequested(Message):
    """A pane's key asked for an act (warroom.registry) on its selected row (None for an act that needs none);
    `rows` are every row the pane holds. The screen starts the act's flow."""

    act: Act
    row: Any
    rows: tuple[Any, ...]


def _char_start(strip: Strip, offset: int) -> int:
    """The cell where the character covering `offset` starts (a wide character is never cut in two)."""
    position = 0
    for segment in strip:
        width = cell_len(segment.text)
        if position + width <= offset:
            position += width
            continue
        for character in segment.text:
            size = cell_len(character)
            if position + size > offset:
                return position
            position += size
    return position


class _StartCroppedChopsUpdate(_compositor.ChopsUpdate):
    """Textual's partial update, writing each dirty span from its start: Textual crops only the end, so a span
    at the right of a widget's line was written from the widget's left edge on (textual#5625)."""

    crops_start = True

    def render_segments(self, console: Console) -> str:
        sequences: list[str] = []
        append = sequences.append
        move_to = Control.move_to
        last_y = self.spans[-1][0]
        for y, x1, x2 in self.spans:
            for end, (x, strip) in zip(self.chop_ends[y], self.chops[y].items()):
                if strip is None or x > x2 or end <= x1:
                    continue
                if x2 > x >= x1 and end <= x2:
                    append(move_to(x, y).segment.text)
                    append(strip.render(console))
                    continue
                start = _char_start(strip, x1 - x) if x < x1 else 0
                append(move_to(x + start, y).segment.text)
                append(strip.crop(start, min(end, x2) - x).render(console))
            if y != last_y:
                append("\n")
        return "".join(sequences)


def crop_partial_updates() -> None:
    """Make Textual's partial updates write only the dirty cells (idempotent; the panes call it on mount).

    The screen ends the same either way: the cells before a span are already on the terminal. A full update
    (a new screen, a resize, a snapshot) is not a partial one and is untouched."""
    if not getattr(_compositor.ChopsUpdate, "crops_start", False):
        _compositor.ChopsUpdate = _StartCroppedChopsUpdate  # type: ignore[misc]


class _QuietRefresh:
    """While `_quiet` is set, the whole-widget repaint a Textual setter asks for is dropped, so that the caller
    repaints only the region that changed (Textual writes every cell of a repainted region to the terminal)."""

    _quiet = False

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,  # type: ignore[override]
                recompose: bool = False) -> Any:
        if self._quiet and not regions and not layout and not recompose:
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)  # type: ignore[misc]


class BorderLabels(_QuietRefresh):
    """Border title and subtitle that repaint only their part of the border row, and only when they change.

    Textual's `border_title`/`border_subtitle` setters repaint the whole widget even with the same text: for a pane
    that is every line of it, rewritten on the terminal each time its age ticks."""

    _labels: dict[bool, Text] | None = None  # the title (False) and the subtitle (True) last set

    def set_border_label(self, label: Text | str, *, subtitle: bool = False) -> None:
        widget: Widget = self  # type: ignore[assignment]
        text = label if isinstance(label, Text) else Text(label)
        if self._labels is None:
            self._labels = {}
        labels = self._labels
        before = labels.get(subtitle)
        if before is not None and (before.plain, before.style, before.spans) == (text.plain, text.style, text.spans):
            return
        labels[subtitle] = text
        name = "border_subtitle" if subtitle else "border_title"
        width, height = widget.outer_size
        if not widget.is_mounted or not width or not height:
            setattr(widget, name, text)
            return
        self._quiet = True
        try:
            setattr(widget, name, text)
        finally:
            self._quiet = False
        # The label's cells on its border row, both the old text's and the new one's (with the spaces around the
        # label, the corner and one cell for a wide character): the whole row when it may not fit or is centred.
        longest = max(text.cell_len, before.cell_len if before is not None else 0) + 5
        align = widget.styles.border_subtitle_align if subtitle else widget.styles.border_title_align
        x, span = (width - longest, longest) if align == "right" else (0, longest)
        if align not in ("left", "right") or longest >= width:
            x, span = 0, width
        left, top = widget.content_offset
        widget.refresh(Region(x - left, (height - 1 if subtitle else 0) - top, span, 1))


class PaneTable(_QuietRefresh, DataTable):
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

    def set_cells(self, changes: list[tuple[str, str, Text]]) -> None:
        """`update_cell` for each (row key, column key, value), then one repaint: of just those cells in view, or of
        the whole table when a column's width changes (every column after it moves). `update_cell` itself repaints
        the whole table, and a cell's repaint worked out the row order again after each update (500 changed cells
        of 500 rows held the event loop for 130 ms)."""
        whole, cells = False, []
        self._quiet = True
        try:
            for row_key, column_key, value in changes:
                column = self.columns[ColumnKey(column_key)]
                old = self.get_cell(row_key, column_key)
                old_width = old.cell_len if isinstance(old, Text) else column.content_width
                resize = value.cell_len > column.content_width or old_width == column.content_width != value.cell_len
                self.update_cell(row_key, column_key, value, update_width=resize)
                whole = whole or resize
                cells.append(Coordinate(self.get_row_index(row_key), self.get_column_index(column_key)))
        finally:
            self._quiet = False
        if whole:
            self.refresh()
            return
        below = self.scroll_y + self.scrollable_content_region.height  # rows are one line each: index = line
        for cell in cells:
            if cell.row < below:
                self.refresh_coordinate(cell)

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        # Without its cursor (a pane without focus) the table stays at the top of its sort.
        if self.show_cursor:
            super()._scroll_cursor_into_view(animate)


class ResourcePane(BorderLabels, Vertical, Generic[Row]):
    """Base of the Services, Alarms and Databases panes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"pane--bad", "pane--warn", "pane--changed", "pane--dim"}
    TITLE: ClassVar[str] = ""
    KIND: ClassVar[str] = ""  # what one row is: "service", "alarm"
    COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = ()  # (key, label)
    STEADY: ClassVar[frozenset[str]] = frozenset()  # columns that change every read (durations): never marked
    CHROME = 3  # rows around the data rows: the border and the column header
    ERROR_LINES = 4  # the error line wraps to at most this many rows

    def __init__(self, *, interval: float, id: str, service: str = "aws", read_only: bool = False,
                 place: str = "") -> None:
        super().__init__(id=id, classes="pane")
        self.read_only = read_only  # decided by the app's action runner: this pane's mutating keys are off
        self.source = Source(id, service)  # what the refresher reads for this pane
        self.fresh = Freshness(interval, place)  # `place`: the environment, said while loading
        self.rows: tuple[Row, ...] = ()
        self.filter = ""
        self._shown: dict[str, tuple[Text, ...]] = {}
        self._previous: dict[str, tuple[str, ...]] | None = None
        self._changed: dict[str, frozenset[int]] = {}
        self._by_key: dict[str, Row] = {}
        self._made: dict[str, tuple[Any, tuple[Text, ...]]] = {}  # by row key: what its cells were made from, them
        self._need = 0
        self._error_text: Text | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="pane-error", markup=False)
        table = PaneTable(cursor_type="row", zebra_stripes=False, show_cursor=False, id=f"{self.id}-table")
        for key, label in self.COLUMNS:
            table.add_column(label, key=key)
        yield table

    def on_mount(self) -> None:
        crop_partial_updates()
        self.query_one(".pane-error").display = False
        self.update_status()

    # Keys -------------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A mutating key is off in read-only mode (the screen's hidden binding on the same key says so)."""
        act = act_of(action, parameters)
        return not (act is not None and act.mutates and self.read_only)

    def action_request(self, name: str) -> None:
        act = ACTS[name]
        row = self.selected
        if act.needs_row and row is None:
            article = "an" if self.KIND[:1] in "aeiou" else "a"
            self.notify(f"Select {article} {self.KIND} first ({self.TITLE} pane).", timeout=3)
            return
        self.post_message(ActRequested(act, row, self.rows))

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

    def made_from(self, row: Row) -> Any:
        """Everything `cells(row)` depends on, when the same again makes the same cells (then they are made once:
        500 rows each refresh held the event loop for tens of milliseconds); None: made every time."""
        return None

    def order(self, row: Row) -> Any:
        return self.key_of(row)

    def attention(self, row: Row) -> bool:
        return False

    def origin(self) -> str:
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
    def table(self) -> PaneTable:
        return self.query_one(PaneTable)

    def on_refreshed(self, message: Refreshed[Sequence[Row]]) -> None:
        if message.source is self.source:
            self.show(message.data, message.at)

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        if message.source is self.source:
            self.fresh.failed(message.error, message.retry_in)
            self.update_status()

    def show(self, rows: Sequence[Row], at: datetime) -> None:
        """A good read: new rows, values that changed since the previous read marked for this refresh."""
        self.rows = tuple(rows)
        self.fresh.ok(at)
        steady = {index for index, (key, _) in enumerate(self.COLUMNS) if key in self.STEADY}
        cells = {self.key_of(r): self.cells_of(r) for r in self.rows}
        self._made = {key: self._made[key] for key in cells if key in self._made}  # forget rows gone
        current = {key: tuple("" if i in steady else c.plain for i, c in enumerate(row)) for key, row in cells.items()}
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

    def cells_of(self, row: Row) -> tuple[Text, ...]:
        """The row's cells, made again only when what they are made from (`made_from`) changed."""
        inputs = self.made_from(row)
        if inputs is None:
            return self.cells(row)
        key = self.key_of(row)
        kept = self._made.get(key)
        if kept is None or kept[0] != inputs:
            kept = self._made[key] = (inputs, self.cells(row))
        return kept[1]

    def notify_style_update(self) -> None:
        """A theme change: the cells' colours are made again."""
        self._made.clear()
        super().notify_style_update()

    def reset(self) -> None:
        """Forget every row: the pane now shows another source."""
        self.rows = ()
        self.fresh.reset()
        self._previous, self._changed = None, {}
        self.render_rows()
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
            rows = [r for r in rows if needle in " ".join(c.plain for c in self.cells_of(r)).casefold()]
        return rows

    def _rendered(self, row: Row) -> tuple[Text, ...]:
        cells = self.cells_of(row)
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
        """Show the visible rows, updating the table by key."""
        table = self.table
        self._by_key = {self.key_of(r): r for r in self.visible()}
        rendered = {key: self._rendered(row) for key, row in self._by_key.items()}
        keys = list(rendered)
        column_keys = [key for key, _ in self.COLUMNS]
        with self.app.batch_update():
            if keys == list(self._shown):
                table.set_cells([(key, column_keys[index], new) for key in keys
                                 for index, (old, new) in enumerate(zip(self._shown[key], rendered[key]))
                                 if old != new])
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
        if self.fresh.last_ok is not None:
            title.append(f" {self.summary(self.rows)}")
        if self.filter:
            title.append(" · filter: ")
            title.append_text(literal(self.filter))
        self.set_border_label(title)
        subtitle = Text(self.fresh.age(now), style=self.style("warn") if self.fresh.stale(now) else "")
        if self.origin():
            subtitle = Text.assemble(literal(self.origin(), limit=80), " · ", subtitle)
        self.set_border_label(subtitle, subtitle=True)
        error_line = self.query_one(".pane-error", Static)
        self._error_text = None if self.fresh.error is None else self._error_line(now)
        if self._error_text is not None:
            error_line.update(self._error_text)
        error_line.display = self._error_text is not None
        self._need_may_have_changed()

    def _error_line(self, now: datetime) -> Text:
        """The error with when the next try is first, so a narrow pane cuts the message, never the retry."""
        line = Text("✖ ", style=self.style("bad"))
        line.append(self.fresh.retry(now), style=self.style("dim"))
        line.append(" · ")
        line.append_text(literal(self.fresh.problem(), self.style("bad")))
        return line
