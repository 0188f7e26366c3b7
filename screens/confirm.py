"""The confirm screen every action goes through: where, what, before → after, the aws command; Cancel first."""

from __future__ import annotations

import secrets

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Static

from warroom.screens.modal import Modal
from warroom.actions import Action
from warroom.data.models import Identity
from warroom.untrusted import clean, literal
from warroom.widgets.safe_input import SafeInput

CODE_LETTERS = "acdefhjkmnprtwxy"  # lowercase, none that reads like another
CONFIRM_KEY = "Y"
REPRESS_SECONDS = 1.0  # the confirm key again within this long is a double tap or key repeat, never a new confirm
BURST_SECONDS = 0.05  # a key this soon after the one before it came from a paste or a script, not a hand


def new_code() -> str:
    """The production confirm's four letters, new for every screen."""
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(4))


class FreshPresses:
    """Tells a fresh press of the confirm key from one it must not take, across confirm screens: a double tap or a
    held key's repeat (`Y` again within REPRESS_SECONDS), or a key in a burst (within BURST_SECONDS of the key
    before it: no hand types that fast, but a paste whose escape sequences Textual replays as keys does)."""

    def __init__(self) -> None:
        self.last_key = self.last_confirm = float("-inf")

    def fresh(self, key: str, at: float) -> bool:
        """Whether `key`, pressed at `at` (event time), may act; every key is remembered."""
        gap, self.last_key = at - self.last_key, at
        if key != CONFIRM_KEY:
            return True
        fresh = gap >= BURST_SECONDS and at - self.last_confirm >= REPRESS_SECONDS
        self.last_confirm = at
        return fresh


class Tick(Checkbox):
    """A checkbox whose mark is there only when ticked (Textual's shows an X either way, told apart by colour)."""

    BUTTON_INNER = " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()


class ConfirmScreen(Modal["Action | None"]):
    """Focus starts on Back (cancel); Esc cancels; `Y` confirms. In production: type the target's name, or the
    four-letter code shown beside it (new for every screen, so no key typed before it appeared can match), then
    Enter.

    No key pressed before the screen came on top reaches it (the App drops them), and `Y` counts only as a fresh
    press (see FreshPresses, shared by the gate's screens): one press never confirms two screens, and a paste
    never confirms one."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="confirm-cancel"),
        Binding(CONFIRM_KEY, "confirm", "Confirm", id="confirm-yes"),
        Binding("c", "copy", "Copy command", id="confirm-copy"),
    ]

    def __init__(self, action: Action, env: str, identity: Identity, *, production: bool, again: str = "",
                 note: str = "", presses: FreshPresses | None = None) -> None:
        super().__init__(classes="confirm")
        self.action = action
        self.env = env
        self.identity = identity
        self.production = production
        self.again = again
        self.note = note
        self.code = new_code()
        self.presses = presses or FreshPresses()

    def _row(self, label: str, value: Text) -> Text:
        return Text.assemble((f"{label:<12}", "bold"), value)

    def compose(self) -> ComposeResult:
        action = self.action
        with Vertical(classes="confirm-box") as box:
            box.border_title = literal(action.title)
            with VerticalScroll(classes="confirm-body"):
                yield from self._body(action)
            if action.variant is not None:
                yield Tick(Text.assemble(literal(action.variant_label), (" · shift+tab, then space", "dim")),
                           id="confirm-variant")
            if self.production:
                yield Label(Text.assemble("production: type ", (self.code, "bold reverse"), " or ",
                                          (clean(action.confirm_name), "bold"), " and press Enter to confirm"))
                yield SafeInput(placeholder=action.confirm_name, id="confirm-name")
            with Horizontal(classes="confirm-buttons"):
                yield Button("Back (Esc)", id="cancel", variant="default")
                yield Button(self.action.verb if self.production else f"{self.action.verb} (Y)", id="confirm",
                             variant="error", disabled=self.production)

    def _body(self, action: Action) -> ComposeResult:
        """Where, what, before → after, warnings, details and the command of `action` (the shown one)."""
        yield Static(self._row("environment", Text.assemble(
            literal(self.env), (" PRODUCTION" if self.production else "", "bold"))), markup=False)
        yield Static(self._row("account", literal(f"{self.identity.account} · {self.identity.region}")),
                     markup=False)
        yield Static(self._row("target", literal(action.target)), markup=False)
        yield Static(self._row("change", Text.assemble(literal(action.before), " → ", (clean(action.after), "bold"))),
                     markup=False)
        for line in (self.note, self.again or action.warning):
            if line:
                yield Static(Text.assemble(("⚠ ", "bold"), literal(line)), classes="confirm-warning", markup=False)
        for line in action.details:
            yield Static(Text.assemble("  · ", literal(line, limit=300)), markup=False)
        yield Label("command (c copies it):")
        yield Static(literal(action.cli.text, multiline=True), classes="confirm-cli", markup=False)

    @property
    def shown(self) -> Action:
        """The action as confirmed now: the variant while its box is ticked."""
        variant = self.action.variant
        ticked = variant is not None and self.query_one("#confirm-variant", Checkbox).value
        return variant if ticked and variant is not None else self.action

    @on(Checkbox.Changed, "#confirm-variant")
    async def _variant(self) -> None:
        body = self.query_one(".confirm-body", VerticalScroll)
        await body.remove_children()
        await body.mount_all(self._body(self.shown))
        if self.production:  # back to typing the code
            self.query_one("#confirm-name").focus()

    def on_mount(self) -> None:
        (self.query_one("#confirm-name") if self.production else self.query_one("#cancel")).focus()

    def on_key(self, event: events.Key) -> None:
        """A `Y` that is not a fresh press goes no further."""
        if not self.presses.fresh(event.key, event.time):
            event.stop()
            event.prevent_default()

    def on_resize(self) -> None:
        """The buttons (and the typed name) always show; the rest scrolls when the terminal is short."""
        below = 3 + (5 if self.production else 0) + (3 if self.action.variant else 0) + 2  # buttons, the typed
        # name's label (may wrap) and input, the variant's box, the border
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
        self.dismiss(None)

    def action_confirm(self) -> None:
        if self.production and not self._typed_right(self.query_one("#confirm-name", Input).value):
            self.notify(clean(f"type {self.code} or {self.action.confirm_name} exactly to confirm"),
                        severity="warning")
            return
        self.dismiss(self.shown)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_copy(self) -> None:
        """Copy the command exactly as shown; not when a word held control characters (shown made visible)."""
        cli = self.shown.cli
        if cli.unsafe:
            self.notify(clean(f"not copied: {cli.unsafe} holds control characters (shown as ␛, ⏎, "
                              "<U+…>); type the command yourself"), severity="warning", timeout=10)
            return
        self.app.copy_to_clipboard(cli.text)
        self.notify("command copied (OSC 52)", timeout=2)
