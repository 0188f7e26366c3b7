"""Small modals: ask for one line of text (and parse it); show one whole log event."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Log, Static

from warroom.screens.modal import Modal
from warroom.data.models import LogEvent
from warroom.untrusted import clean, literal
from warroom.widgets.safe_input import SafeInput

WHOLE_EVENT_LIMIT = 16 << 20
T = TypeVar("T")


class Prompt(Modal[str | None]):
    """One line of input; Enter returns it, Esc returns None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, question: str, value: str = "", placeholder: str = "") -> None:
        super().__init__(classes="prompt")
        self.question = question
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box"):
            yield Label(literal(self.question))
            yield SafeInput(value=self.value, placeholder=self.placeholder, id="prompt-input")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


async def ask_value(app: Any, question: str, default: str, parse: Callable[[str], T]) -> T | None:
    """Ask for one value; None when cancelled, or when `parse` (one of `tui.inputs`) refuses it and says why."""
    answer = await app.push_screen_wait(Prompt(question, default))
    if answer is None:
        return None
    try:
        return parse(answer.strip())
    except ValueError as exc:
        app.notify(str(exc), severity="error")
        return None


class EventViewer(Modal[None]):
    """One log event whole (even a 1 MiB line), cut into screen-wide lines; Esc closes."""

    BINDINGS = [Binding("escape,q,o", "dismiss", "Close", id="close")]

    def __init__(self, event: LogEvent) -> None:
        super().__init__(classes="viewer")
        self.event = event

    def compose(self) -> ComposeResult:
        with Vertical(classes="viewer-box"):
            title = Text.assemble(self.event.timestamp.isoformat(), "  ", literal(self.event.group), "  ",
                                  literal(self.event.stream), f"  {len(self.event.message):,} chars")
            yield Static(title, markup=False)  # wraps: a long stream name is read whole
            yield Log(id="viewer-log", max_lines=None)

    def on_mount(self) -> None:
        log = self.query_one(Log)
        width = max(20, self.app.size.width - 8)
        text = clean(self.event.message, multiline=True, limit=WHOLE_EVENT_LIMIT)
        log.write_lines(piece for line in text.split("\n")
                        for piece in ([line[i:i + width] for i in range(0, len(line), width)] or [""]))
        log.scroll_home(animate=False)
        log.focus()
