"""One PostgreSQL session whole: who, where from, what state for how long, who blocks it, the sessions waiting
behind it (the tree of lock waiters), the full query."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from warroom.screens.modal import Modal
from warroom.blocking import Waiter, tree_lines
from warroom.data.models import PgSession
from warroom.text import duration, stamp
from warroom.untrusted import literal

WAITERS_SHOWN = 4  # lines of the waiters' tree (then "… and N more"): the query below keeps the rest at 80x24


class SessionScreen(Modal[str | None]):
    """Esc closes; `C` or `K` close it and ask to cancel the query or terminate the session (through the gate)."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="session-close"),
        Binding("C", "choose('cancel')", "Cancel query", id="session-cancel"),
        Binding("K", "choose('terminate')", "Terminate", id="session-terminate"),
    ]

    def __init__(self, session: PgSession, waiters: tuple[Waiter, ...], read_only: bool) -> None:
        super().__init__(classes="viewer")
        self.session = session
        self.waiters = waiters
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        b = self.session
        fields = (
            ("user", b.user), ("application", b.application),
            ("client", b.named_client),
            ("state", f"{b.state or '?'} for {duration(b.seconds)}"),
            ("wait", f"{b.wait_event_type}:{b.wait_event}" if b.wait_event_type else "-"),
            ("connected", stamp(b.started_at)),
            ("blocked by", ", ".join(str(p) for p in b.blocked_by) or "-"),
            ("blocks", f"{len(self.waiters)} session(s) wait behind it" if self.waiters else "-"),
        )
        with Vertical(classes="viewer-box"):
            yield Label(Text(f"PostgreSQL session {b.pid}", style="bold"))
            for label, value in fields:
                yield Static(Text.assemble((f"{label:<12}", "bold"), literal(value, limit=200)), markup=False)
            for line in tree_lines(self.waiters, WAITERS_SHOWN):  # under "blocks"
                yield Static(Text.assemble(" " * 12, literal(line)), markup=False, classes="waiter")
            with VerticalScroll(id="session-query"):
                yield Static(literal(b.query or "(no query yet)", multiline=True, limit=1 << 20), markup=False)
            yield Label("Esc closes" if self.read_only else "C cancel the query · K terminate the session · Esc closes",
                        classes="viewer-keys")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "choose" and self.read_only)

    def action_choose(self, what: str) -> None:
        self.dismiss(what)

    def action_close(self) -> None:
        self.dismiss(None)
