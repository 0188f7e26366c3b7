"""The restore form: a new id that must not exist yet, and the source's class, subnet group and security groups
as defaults. Enter in any field submits; Esc cancels. The confirm screen comes after it, through the gate."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from warroom.screens.modal import Modal
from warroom import inputs
from warroom.data.models import RestoreSource, Snapshot
from warroom.untrusted import literal
from warroom.widgets.safe_input import SafeInput


class RestoreForm(Modal[tuple[str, RestoreSource] | None]):
    """Returns (new id, where and how big), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="restore-cancel")]

    def __init__(self, snapshot: Snapshot, new_id: str, source: RestoreSource) -> None:
        super().__init__(classes="prompt")
        self.snapshot = snapshot
        self.new_id = new_id
        self.source = source

    def compose(self) -> ComposeResult:
        kind = "cluster" if self.snapshot.kind == "cluster" else "instance"
        with Vertical(classes="prompt-box restore-box"):
            yield Label(Text.assemble(f"Restore to a new {kind} from ", literal(self.snapshot.id, style="bold")))
            yield Label(f"New {kind} id (must not exist yet):")
            yield SafeInput(value=self.new_id, id="restore-id")
            if kind == "instance":
                yield Label("Instance class:")
                yield SafeInput(value=self.source.instance_class, id="restore-class")
            yield Label("DB subnet group:")
            yield SafeInput(value=self.source.subnet_group, id="restore-subnet")
            yield Label("VPC security groups (space-separated):")
            yield SafeInput(value=" ".join(self.source.security_groups), id="restore-groups")
            yield Label("Enter continues to the confirm screen · Tab next field · Esc cancels", classes="hint")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        try:
            new_id = inputs.database_id(self.query_one("#restore-id", Input).value)
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        klass = self.query("#restore-class")
        source = RestoreSource(
            subnet_group=self.query_one("#restore-subnet", Input).value.strip(),
            security_groups=tuple(self.query_one("#restore-groups", Input).value.replace(",", " ").split()),
            instance_class=klass.first(Input).value.strip() if klass else "",
            engine=self.source.engine,
        )
        self.dismiss((new_id, source))

    def action_cancel(self) -> None:
        self.dismiss(None)
