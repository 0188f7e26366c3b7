"""Pick log groups: type a prefix, choose one or more groups from describe_log_groups."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, SelectionList

from tui.data.errors import AwsError
from tui.data.logs import list_log_groups
from tui.untrusted import literal


class LogGroupPicker(ModalScreen[tuple[str, ...] | None]):
    """Space selects, Enter tails the selected groups (or the highlighted one), Esc cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("enter", "done", "Tail", id="tail", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box picker-box"):
            yield Label("Log groups starting with (Enter in the list tails; space selects several):")
            yield Input(placeholder="/ecs/", id="picker-prefix")
            yield Label("", id="picker-note")
            yield SelectionList[str](id="picker-list")

    def on_mount(self) -> None:
        self._load("")

    @on(Input.Changed, "#picker-prefix")
    def _prefix(self, event: Input.Changed) -> None:
        self._load(event.value)

    @work(exclusive=True, group="log-groups", exit_on_error=False)
    async def _load(self, prefix: str) -> None:
        app: Any = self.app
        note = self.query_one("#picker-note", Label)
        try:
            names = await list_log_groups(app.aws, prefix)
        except AwsError as exc:
            note.update(literal(exc.one_line()))
            return
        picker = self.query_one(SelectionList)
        picker.clear_options()
        picker.add_options([(literal(name), name) for name in names])
        note.update(literal(f"{len(names)} groups" + (" (first 50)" if len(names) >= 50 else "")))

    def action_done(self) -> None:
        picker = self.query_one(SelectionList)
        if self.focused is self.query_one("#picker-prefix", Input):
            picker.focus()
            return
        chosen = tuple(picker.selected)
        if not chosen and picker.highlighted is not None:
            chosen = (picker.get_option_at_index(picker.highlighted).value,)
        self.dismiss(chosen or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
