"""The one-line header: environment, account, caller identity, region, the time left on temporary credentials,
the READ-ONLY badge, and a credentials problem when there is one."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from warroom import clock
from warroom.credentials import left, running_out
from warroom.data.models import Identity
from warroom.untrusted import literal


class StatusHeader(Static):
    """Where am I and as whom: the first thing to check before touching anything."""

    COMPONENT_CLASSES = {"header--badge", "header--env"}

    def __init__(self, env: str, identity: Identity, read_only: bool, production: bool = False) -> None:
        super().__init__(id="header", markup=False)
        self.env = env
        self.identity = identity
        self.read_only = read_only
        self.production = production
        self.problem = ""
        self.left = ""  # temporary credentials: the time left ("14m", "ended"), "" when they do not end
        self.urgent = False  # within the warning time: said as a badge

    def render(self) -> Text:
        """Drawn from the fields when painted: in the screen's first frame already (an update on mount came later)."""
        return self.line()

    def set_problem(self, problem: str) -> None:
        """A credentials failure, said first on the line until a read succeeds again ("" clears it)."""
        if problem != self.problem:
            self.problem = problem
            self.refresh()

    def set_expiry(self, expires: datetime | None) -> None:
        """The credentials' end, shown as the minutes left (repainted only when the minute changes)."""
        now = clock.now()
        shown = left(expires, now), running_out(expires, now)
        if shown != (self.left, self.urgent):
            self.left, self.urgent = shown
            self.refresh()

    def set_identity(self, identity: Identity) -> None:
        if identity != self.identity:  # the same line again would be written to the terminal all the same
            self.identity = identity
            self.refresh()

    def line(self) -> Text:
        badge = self.get_component_rich_style("header--badge", partial=True)
        env_style = self.get_component_rich_style("header--env", partial=True)
        text = Text(" warroom ", style="bold")
        if self.problem:
            text.append(" CREDENTIALS ", style=badge)
            text.append(" ")
            text.append_text(literal(self.problem, limit=160))
            text.append(" · ctrl+r reloads them │ ")
        text.append_text(literal(self.env, env_style))
        if self.production:
            text.append(" ")
            text.append(" PRODUCTION ", style=badge)
        text.append(" │ ")
        text.append_text(literal(self.identity.account))
        text.append(" │ ")
        text.append_text(literal(self.identity.region))
        if self.urgent:
            text.append(" ")
            text.append(" CREDENTIALS ENDED " if self.left == "ended" else f" CREDENTIALS END IN {self.left} ",
                        style=badge)
        elif self.left:
            text.append(f" │ creds {self.left} left")
        if self.read_only:
            text.append(" │ ")
            text.append(" READ-ONLY ", style=badge)
        text.append(" │ ")
        text.append_text(literal(self.identity.arn))
        return text
