"""The one-line header: environment, account, caller identity, region, the READ-ONLY badge, and a credentials
problem when there is one."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

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

    def render(self) -> Text:
        """Drawn from the fields when painted: in the screen's first frame already (an update on mount came later)."""
        return self.line()

    def set_problem(self, problem: str) -> None:
        """A credentials failure, said first on the line until a read succeeds again ("" clears it)."""
        if problem != self.problem:
            self.problem = problem
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
        if self.read_only:
            text.append(" │ ")
            text.append(" READ-ONLY ", style=badge)
        text.append(" │ ")
        text.append_text(literal(self.identity.arn))
        return text
