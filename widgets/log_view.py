"""The log tail view: Textual's `Log` (plain strings, line API, bounded) fed whole batches of events.

Every line is made safe by `tui.logtext.display_lines` before it is written; colour comes from a highlighter
that matches words (levels, the search term) and never interprets the text as markup.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Iterable

from rich.highlighter import Highlighter
from rich.style import Style
from rich.text import Text
from textual.widgets import Log

from tui.data.models import LogEvent
from tui.logtext import display_lines, is_error, tag

DEFAULT_MAX_LINES = 10_000
FRAME_BUDGET = 250  # events written per frame; a bigger batch is spread over the next frames
FRAME = 1 / 60
_ERROR = re.compile(r"\b(ERROR|FATAL|CRITICAL|Exception|Traceback|panic)\b")
_WARN = re.compile(r"\bWARN(ING)?\b")
_TIME = re.compile(r"^\d\d:\d\d:\d\d ")


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
    """At most `max_lines` lines; knows which event each line shows; rebuilds itself when a view option changes."""

    COMPONENT_CLASSES = {"log--error", "log--warn", "log--dim", "log--match"}

    def __init__(self, max_lines: int = DEFAULT_MAX_LINES, *, id: str | None = None) -> None:
        super().__init__(highlight=True, max_lines=max_lines, auto_scroll=True, id=id)
        self.highlighter = LogHighlighter()
        self.events: deque[LogEvent] = deque(maxlen=max_lines)
        self._line_events: deque[LogEvent] = deque(maxlen=max_lines)
        self.times = True
        self.wrap = False
        self.errors_only = False
        self.several_groups = False
        self.current = -1  # the line the last search jumped to
        self._incoming: deque[LogEvent] = deque()
        self._flushing = False

    def on_mount(self) -> None:
        self.highlighter.styles = {name: self.get_component_rich_style(f"log--{name}", partial=True)
                                   for name in ("error", "warn", "dim", "match")}

    @property
    def tag_width(self) -> int:
        return 28 if self.several_groups else 12

    def _lines_of(self, events: Iterable[LogEvent]) -> tuple[list[str], list[LogEvent]]:
        width = self.scrollable_content_region.width if self.wrap else 0
        lines: list[str] = []
        owners: list[LogEvent] = []
        for event in events:
            if self.errors_only and not is_error(event):
                continue
            shown = display_lines(event, times=self.times, tag_text=tag(event, self.several_groups),
                                  tag_width=self.tag_width, width=width)
            lines.extend(shown)
            owners.extend([event] * len(shown))
        return lines, owners

    def add(self, events: Iterable[LogEvent]) -> None:
        """Append a batch: up to FRAME_BUDGET events now in one write, the rest over the following frames."""
        batch = list(events)
        self.events.extend(batch)
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
        self._flushing = bool(self._incoming)
        if self._flushing:
            self.set_timer(FRAME, self._flush)

    @property
    def backlog(self) -> int:
        """Events received but not yet written (a large batch being spread over frames)."""
        return len(self._incoming)

    def rebuild(self) -> None:
        """Show the kept events again after a view option (times, wrap, errors only, search) changed."""
        self._incoming.clear()
        lines, owners = self._lines_of(self.events)
        self.clear()
        self._line_events.clear()
        self._line_events.extend(owners)
        self.write_lines(lines, scroll_end=True)
        self.current = -1

    def set_search(self, term: str) -> None:
        self.highlighter.search = term
        self.rebuild()

    def find(self, forward: bool = True) -> int | None:
        """Jump to the next (or previous) line holding the search term; returns its index."""
        term = self.highlighter.search.casefold()
        count = len(self.lines)
        if not term or not count:
            return None
        start = self.current if self.current >= 0 else (count - 1 if forward else 0)
        step = 1 if forward else -1
        for offset in range(1, count + 1):
            index = (start + step * offset) % count
            if term in self.lines[index].casefold():
                self.current = index
                self.scroll_to(y=max(0, index - self.size.height // 2), animate=False)
                return index
        return None

    def event_at(self, index: int) -> LogEvent | None:
        return self._line_events[index] if 0 <= index < len(self._line_events) else None

    def focus_event(self) -> LogEvent | None:
        """The event of the current search match, else of the last line on screen."""
        if self.current >= 0:
            return self.event_at(self.current)
        bottom = min(len(self.lines), int(self.scroll_offset.y) + self.scrollable_content_region.height) - 1
        return self.event_at(bottom)
