"""The log tail view: Textual's `Log` (plain strings, line API, bounded) fed whole batches of events.

Every line is made safe by `tui.logtext.display_lines` before it is written; colour comes from a highlighter
that matches words (levels, the search term) and never interprets the text as markup. The current line (what
`o` opens, where n/N search from) is highlighted: the last search match while on screen, else the bottom line.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import deque
from datetime import datetime
from typing import Iterable, Iterator, NamedTuple

from rich.highlighter import Highlighter
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widgets import Log

from warroom.data.models import LogEvent
from warroom.logtext import display_lines, is_error, tag

DEFAULT_MAX_LINES = 10_000
FRAME_BUDGET = 250  # events written per frame; a bigger batch is spread over the next frames
FRAME = 1 / 60
_ERROR = re.compile(r"\b(ERROR|FATAL|CRITICAL|Exception|Traceback|panic)\b")
_WARN = re.compile(r"\bWARN(ING)?\b")
_TIME = re.compile(r"^\d\d:\d\d:\d\d ")


class Found(NamedTuple):
    """Where a search jump landed: match `number` of `total`, and whether it wrapped around the end."""

    number: int
    total: int
    wrapped: bool


Packed = tuple[str, datetime, str, str, str, "datetime | None"]  # a LogEvent's fields, in order


def pack(event: LogEvent) -> Packed:
    return event.id, event.timestamp, event.group, event.stream, event.message, event.ingested


class KeptEvents:
    """The view's last `maxlen` events, kept as plain tuples of their fields: a tuple of strings and times is not
    tracked by CPython's garbage collector, so the events kept cost its full passes nothing (10,000 LogEvent
    objects were a quarter of each pass). Reads give LogEvents."""

    def __init__(self, maxlen: int) -> None:
        self.packed: deque[Packed] = deque(maxlen=maxlen)

    def __len__(self) -> int:
        return len(self.packed)

    def __iter__(self) -> Iterator[LogEvent]:
        return (LogEvent(*fields) for fields in self.packed)

    def __getitem__(self, index: int) -> LogEvent:
        return LogEvent(*self.packed[index])

    def clear(self) -> None:
        self.packed.clear()


class LogHighlighter(Highlighter):
    """Colours a whole line by its level and marks the search term; plain regexes, no markup."""

    def __init__(self) -> None:
        self.search = ""
        self.styles: dict[str, Style] = {}

    def highlight(self, text: Text) -> None:
        plain = text.plain
        if _ERROR.search(plain):
            text.stylize(self.styles.get("error", ""))
        elif _WARN.search(plain):
            text.stylize(self.styles.get("warn", ""))
        found = _TIME.match(plain)
        if found:
            text.stylize(self.styles.get("dim", ""), 0, found.end())
        if self.search:
            text.highlight_regex(re.compile(re.escape(self.search), re.IGNORECASE), self.styles.get("match", ""))


class LogView(Log):
    """At most `max_lines` lines; knows which event each line shows; rebuilds itself when a view option changes,
    keeping its place."""

    COMPONENT_CLASSES = {"log--error", "log--warn", "log--dim", "log--match", "log--current"}
    DEFAULT_CSS = """LogView > .log--current {
        color: $block-cursor-foreground; background: $block-cursor-background; text-style: bold;
    }"""
    SHOW_CURRENT = True  # highlight the current line (what `o` opens)

    def __init__(self, max_lines: int = DEFAULT_MAX_LINES, *, id: str | None = None) -> None:
        super().__init__(highlight=True, max_lines=max_lines, auto_scroll=True, id=id)
        self.highlighter = LogHighlighter()
        self._current_style = Style()
        self.events = KeptEvents(max_lines)
        self._line_events: deque[Packed] = deque(maxlen=max_lines)  # the (packed) event each line shows
        self.times = True
        self.wrap = False
        self.errors_only = False
        self.several_groups = False
        self.current = -1  # the line the last search jumped to (or a rebuild kept)
        self.following = True  # at the bottom, so new lines scroll into view
        self._incoming: deque[Packed] = deque()
        self._flushing = False

    def on_mount(self) -> None:
        self.highlighter.styles = {name: self.get_component_rich_style(f"log--{name}", partial=True)
                                   for name in ("error", "warn", "dim", "match")}
        self._current_style = self.get_component_rich_style("log--current", partial=True)

    @property
    def tag_width(self) -> int:
        return 28 if self.several_groups else 12

    @property
    def cursor(self) -> int:
        """The current line: `current` while it is on screen, else the bottom line on screen (-1 when empty)."""
        top = int(self.scroll_offset.y)
        bottom = min(len(self.lines), top + self.scrollable_content_region.height) - 1
        return self.current if top <= self.current <= bottom else bottom

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.following = self.is_vertical_scroll_end

    def on_resize(self) -> None:
        """A shorter or taller view (the search field opening below it) stays at the bottom if it was there."""
        if self.following:
            self.scroll_end(animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if self.SHOW_CURRENT and int(self.scroll_offset.y) + y == self.cursor:
            return Strip(Segment.apply_style(strip, post_style=self._current_style), strip.cell_length)
        return strip

    def _lines_of(self, packed: Iterable[Packed]) -> tuple[list[str], list[Packed]]:
        width = self.scrollable_content_region.width if self.wrap else 0
        lines: list[str] = []
        owners: list[Packed] = []
        for fields in packed:
            event = LogEvent(*fields)
            if self.errors_only and not is_error(event):
                continue
            shown = display_lines(event, times=self.times, tag_text=tag(event, self.several_groups),
                                  tag_width=self.tag_width, width=width)
            lines.extend(shown)
            owners.extend([fields] * len(shown))
        return lines, owners

    def add(self, events: Iterable[LogEvent]) -> None:
        """Append a batch: up to FRAME_BUDGET events now in one write, the rest over the following frames."""
        batch = [pack(event) for event in events]
        self.events.packed.extend(batch)
        self._incoming.extend(batch)
        if not self._flushing:
            self._flush()

    def _flush(self) -> None:
        count = min(FRAME_BUDGET, len(self._incoming))
        lines, owners = self._lines_of(self._incoming.popleft() for _ in range(count))
        if lines:
            kept = len(self.lines)
            self._line_events.extend(owners)
            self.write_lines(lines)
            dropped = kept + len(lines) - len(self.lines)  # lines pruned from the top to stay within max_lines
            if self.current >= 0:
                self.current = self.current - dropped if self.current >= dropped else -1
            self.refresh()  # the current line may have moved (the bottom line, while following)
        self._flushing = bool(self._incoming)
        if self._flushing:
            self.set_timer(FRAME, self._flush)

    def rebuild(self) -> None:
        """Show the kept events again after a view option (times, wrap, errors only, search) changed, at the same
        place: at the bottom if it was following, else with the current line's event where that line was."""
        following = self.following
        anchor, height = self._packed_at(self.cursor), self.cursor - int(self.scroll_offset.y)
        self._incoming.clear()
        lines, owners = self._lines_of(self.events.packed)
        self.clear()
        self._line_events.clear()
        self._line_events.extend(owners)
        self.write_lines(lines, scroll_end=False)
        line = self._line_of(anchor, owners)
        self.current = line if self.current >= 0 or not following else -1
        if following:
            self.scroll_end(animate=False, immediate=True)
        else:
            self.scroll_to(y=max(0, line - height), animate=False, immediate=True)

    def _line_of(self, event: Packed | None, owners: list[Packed]) -> int:
        """The first line showing `event`, or the next event shown after it (errors only hides some); -1 if none."""
        if event is None or not owners:
            return -1
        order = {id(kept): index for index, kept in enumerate(self.events.packed)}
        after = order.get(id(event), 0)
        return next((line for line, owner in enumerate(owners) if order[id(owner)] >= after), len(owners) - 1)

    def set_search(self, term: str) -> None:
        self.highlighter.search = term
        self.rebuild()

    def find(self, forward: bool = True, here: bool = False) -> Found | None:
        """Jump to the next (or previous) line holding the search term after (before) the current line, or to
        the current line itself with `here`; past the last (first) match it wraps around and says so."""
        term = self.highlighter.search.casefold()
        matches = [index for index, line in enumerate(self.lines) if term in line.casefold()] if term else []
        if not matches:
            return None
        if forward:
            number = bisect_right(matches, self.cursor - here)
            wrapped = number == len(matches)
            number = 0 if wrapped else number
        else:
            number = bisect_left(matches, self.cursor + here) - 1
            wrapped = number < 0
            number = len(matches) - 1 if wrapped else number
        self.current = matches[number]
        self.scroll_to(y=max(0, self.current - self.size.height // 2), animate=False, immediate=True)
        self.refresh()
        return Found(number + 1, len(matches), wrapped)

    def _packed_at(self, index: int) -> Packed | None:
        return self._line_events[index] if 0 <= index < len(self._line_events) else None

    def event_at(self, index: int) -> LogEvent | None:
        fields = self._packed_at(index)
        return None if fields is None else LogEvent(*fields)

    def current_event(self) -> LogEvent | None:
        """The event of the current (highlighted) line."""
        return self.event_at(self.cursor)
