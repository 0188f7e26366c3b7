"""Pick the environment to switch to: the config file's environments and the AWS profiles, filtered as you type.
The region prompt switches the current environment to another region."""

from __future__ import annotations

import re

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from warroom.config import Environment
from warroom.data.models import Identity
from warroom.screens.modal import Modal
from warroom.untrusted import literal
from warroom.widgets.safe_input import SafeInput

REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")  # us-east-1, eu-central-2, us-gov-west-1


class EnvironmentPicker(Modal[Environment | None]):
    """Type to filter; up/down choose; Enter switches; Esc cancels. The current environment is marked."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("enter", "choose", "Switch", priority=True, id="choose"),
        Binding("down", "move(1)", "Next", show=False, priority=True, id="next"),
        Binding("up", "move(-1)", "Previous", show=False, priority=True, id="previous"),
    ]

    def __init__(self, choices: tuple[Environment, ...], current: Environment,
                 known: dict[str, Identity | None]) -> None:
        super().__init__()
        self.choices = choices
        self.current = current
        self.known = known  # by environment name: who it was once a connection told it
        self.shown: list[Environment] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box picker-box"):
            yield Label("Switch to (type to filter, Enter switches, Esc stays):")
            yield SafeInput(placeholder="environment or profile", id="env-filter")
            yield Label("", id="env-note")
            yield OptionList(id="env-list")

    def on_mount(self) -> None:
        self._show("")

    @on(Input.Changed, "#env-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _line(self, env: Environment) -> Text:
        line = literal(env.name, "bold")
        if env.name == self.current.name:
            line.append(" (here)", style="dim")
        identity = self.known.get(env.name)
        line.append("  ")
        line.append_text(literal(env.region or (identity.region if identity else "(profile's region)")))
        if identity:
            line.append("  ")
            line.append_text(literal(identity.account))
        if env.profile and env.profile != env.name:
            line.append("  profile ")
            line.append_text(literal(env.profile))
        return line

    def _show(self, needle: str) -> None:
        folded = needle.casefold()
        self.shown = [env for env in self.choices
                      if folded in f"{env.name} {env.profile or ''} {env.region or ''}".casefold()]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(self._line(env)) for env in self.shown])
        if self.shown:
            options.highlighted = 0
        count = len(self.choices)
        note = f"{len(self.shown)} of {count}" if needle else f"{count} environment{'' if count == 1 else 's'}"
        self.query_one("#env-note", Label).update(note if self.shown else f"nothing matches {needle!r}")

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            options.highlighted = ((options.highlighted or 0) + step) % len(self.shown)

    def action_choose(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if self.shown and highlighted is not None:
            self.dismiss(self.shown[highlighted])

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class RegionPrompt(Modal[str | None]):
    """The region to look at, for the current environment (its profile and scope): Enter switches, Esc stays."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box"):
            yield Label(literal(f"Region (now {self.current}):"))
            yield SafeInput(placeholder="eu-west-1", id="region")
            yield Label("", id="region-note")

    @on(Input.Submitted, "#region")
    def _submitted(self, event: Input.Submitted) -> None:
        region = event.value.strip()
        if REGION.match(region):
            self.dismiss(region)
        else:
            self.query_one("#region-note", Label).update(literal(f"not a region name: {region!r} (like eu-west-1)"))

    def action_cancel(self) -> None:
        self.dismiss(None)
