"""One table row whole: what a narrow terminal cut off a detail screen's table, every column wrapped."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from warroom.screens.modal import Modal


class RowScreen(Modal[None]):
    """Each column's label and its value (already made literal by the table), wrapped; Esc closes."""

    BINDINGS = [Binding("escape", "dismiss", "Close", id="row-close")]

    def __init__(self, title: Text, fields: Sequence[tuple[str, Text]]) -> None:
        super().__init__()
        self.title_text = title
        self.fields = tuple(fields)

    def compose(self) -> ComposeResult:
        width = max((len(label) for label, _ in self.fields), default=0) + 2
        with VerticalScroll(classes="prompt-box row-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = "esc closes"
            for label, value in self.fields:
                shown = value.copy()
                shown.no_wrap = False
                yield Static(Text.assemble((label.ljust(width), "bold"), shown), markup=False)
