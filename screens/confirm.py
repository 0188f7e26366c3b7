"""The confirm screen every action goes through: where, what, before → after, the aws command; Cancel first."""

from __future__ import annotations

import secrets

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.actions import Action
from tui.data.models import Identity
from tui.untrusted import clean, literal

CODE_LETTERS = "acdefhjkmnprtwxy"  # lowercase, none that reads like another


def new_code() -> str:
    """The production confirm's four letters, new for every screen."""
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(4))


class ConfirmScreen(ModalScreen[bool]):
    """Focus starts on Back (cancel); Esc cancels; `Y` confirms. In production: type the target's name, or the
    four-letter code shown beside it (new for every screen, so no key typed before it appeared can match), then
    Enter."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="confirm-cancel"),
        Binding("Y", "confirm", "Confirm", id="confirm-yes"),
        Binding("c", "copy", "Copy command", id="confirm-copy"),
    ]

    def __init__(self, action: Action, env: str, identity: Identity, *, production: bool, again: str = "",
                 note: str = "") -> None:
        super().__init__(classes="confirm")
        self.action = action
        self.env = env
        self.identity = identity
        self.production = production
        self.again = again
        self.note = note
        self.code = new_code()

    def _row(self, label: str, value: Text) -> Text:
        return Text.assemble((f"{label:<12}", "bold"), value)

    def compose(self) -> ComposeResult:
        action = self.action
        with Vertical(classes="confirm-box") as box:
            box.border_title = literal(action.title)
            with VerticalScroll(classes="confirm-body"):
                yield Static(self._row("environment", Text.assemble(
                    literal(self.env), (" PRODUCTION" if self.production else "", "bold"))), markup=False)
                yield Static(self._row("account", literal(f"{self.identity.account} · {self.identity.region}")),
                             markup=False)
                yield Static(self._row("target", literal(action.target)), markup=False)
                yield Static(self._row("change", Text.assemble(literal(action.before), " → ",
                                                              (clean(action.after), "bold"))), markup=False)
                for line in (self.note, self.again or action.warning):
                    if line:
                        yield Static(Text.assemble(("⚠ ", "bold"), literal(line)), classes="confirm-warning",
                                     markup=False)
                for line in action.details:
                    yield Static(Text.assemble("  · ", literal(line, limit=300)), markup=False)
                yield Label("command (c copies it):")
                yield Static(literal(action.cli, multiline=True), classes="confirm-cli", markup=False)
            if self.production:
                yield Label(Text.assemble("production: type ", (self.code, "bold reverse"), " or ",
                                          (clean(action.confirm_name), "bold"), " and press Enter to confirm"))
                yield Input(placeholder=clean(action.confirm_name), id="confirm-name")
            with Horizontal(classes="confirm-buttons"):
                yield Button("Back (Esc)", id="cancel", variant="default")
                yield Button(self.action.verb if self.production else f"{self.action.verb} (Y)", id="confirm",
                             variant="error", disabled=self.production)

    def on_mount(self) -> None:
        (self.query_one("#confirm-name") if self.production else self.query_one("#cancel")).focus()

    def on_resize(self) -> None:
        """The buttons (and the typed name) always show; the rest scrolls when the terminal is short."""
        below = 3 + (5 if self.production else 0) + 2  # buttons, the typed-name label (may wrap) and input, border
        self.query_one(".confirm-body").styles.max_height = max(3, int(self.size.height * 0.9) - below)

    def _typed_right(self, value: str) -> bool:
        return value in (self.code, self.action.confirm_name)

    @on(Input.Changed, "#confirm-name")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#confirm", Button).disabled = not self._typed_right(event.value)

    @on(Input.Submitted, "#confirm-name")
    def _typed_enter(self, event: Input.Submitted) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#confirm")
    def _confirm_pressed(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(False)

    def action_confirm(self) -> None:
        if self.production and not self._typed_right(self.query_one("#confirm-name", Input).value):
            self.notify(clean(f"type {self.code} or {self.action.confirm_name} exactly to confirm"),
                        severity="warning", markup=False)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.action.cli)
        self.notify("command copied (OSC 52)", timeout=2)
