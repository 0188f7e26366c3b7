"""Pick log groups: type a prefix, choose one or more groups from describe_log_groups."""

from __future__ import annotations


from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, SelectionList

from warroom.screens.modal import Modal
from warroom.data.errors import AwsError
from warroom.data.logs import GROUPS_LISTED
from warroom.untrusted import literal
from warroom.widgets.safe_input import SafeInput

TAIL_AT_MOST = 10  # groups one Enter tails together; more would share the FilterLogEvents throttle too thinly


class LogGroupPicker(Modal[tuple[str, ...] | None]):
    """Enter tails the selected groups, else the highlighted one in the list, else every group the prefix
    matches (read again then); when there is nothing to tail it says why and stays open. Esc cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("enter", "done", "Tail", id="tail", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box picker-box"):
            yield Label("Log groups starting with (Enter tails; space picks several):")
            yield SafeInput(placeholder="/ecs/", id="picker-prefix")
            yield Label("", id="picker-note")
            yield SelectionList[str](id="picker-list")

    def on_mount(self) -> None:
        self._load("")

    @on(Input.Changed, "#picker-prefix")
    def _prefix(self, event: Input.Changed) -> None:
        self._load(event.value)

    def _note(self, text: str) -> None:
        self.query_one("#picker-note", Label).update(literal(text))

    @work(exclusive=True, group="log-groups", exit_on_error=False)
    async def _load(self, prefix: str, tail: bool = False) -> None:
        """List the groups starting with `prefix`; with `tail`, then tail them all or say why not."""
        try:
            names = await self.backend.log_groups(prefix)
        except AwsError as exc:
            self._note(exc.one_line())
            return
        picker = self.query_one(SelectionList)
        picker.clear_options()
        picker.add_options([(literal(name), name) for name in names])
        count = f"{len(names)}{'+' if len(names) >= GROUPS_LISTED else ''}"
        starting = f"start with {prefix!r}" if prefix else "in this region"
        if not names:
            self._note(f"no log group starts with {prefix!r}" if prefix else "no log groups in this region")
        elif not tail:
            self._note(f"{count} groups {starting}" + (" · Enter tails them" if len(names) <= TAIL_AT_MOST else ""))
        elif len(names) > TAIL_AT_MOST:
            self._note(f"{count} groups, over {TAIL_AT_MOST} to tail: type more, or Tab and pick")
        else:
            self.dismiss(names)

    def action_done(self) -> None:
        picker = self.query_one(SelectionList)
        chosen = tuple(picker.selected)
        if not chosen and self.focused is picker and picker.highlighted is not None:
            chosen = (picker.get_option_at_index(picker.highlighted).value,)
        if chosen:
            self.dismiss(chosen)
        else:
            self._load(self.query_one("#picker-prefix", Input).value, tail=True)

    def action_cancel(self) -> None:
        self.dismiss(None)
