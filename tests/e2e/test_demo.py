"""`warroom --demo` itself in a real terminal: its databases lead to the demo PostgreSQL, and back."""

from __future__ import annotations

import re

from tests.e2e.conftest import WARROOM, focus, main_screen


def sessions_of(app, server: str) -> str:
    """The screen once the Connections pane shows sessions read from `server` (its label, under the pane)."""
    return app.terminal.wait(lambda s: f"sort: duration · warroom@{server}" in s
                             and re.search(r"Connections \d+/40", s) and "SELECT pg_sleep" in s, 40)


def test_c_on_a_demo_database_reads_its_sessions_and_c_again_goes_back(start):
    app = start("demo: sessions of a database", command=(str(WARROOM), "--demo"))
    main_screen(app)
    focus(app, "4", "Cancel")  # at 80x24 with five panes the others fold to their borders: its rows show focused
    sessions_of(app, "127.0.0.1:")
    focus(app, "3", "c Sessions")
    app.terminal.press("c")
    sessions_of(app, "continuum-production-db.")
    focus(app, "3", "c Sessions")
    app.terminal.press("c")
    sessions_of(app, "127.0.0.1:")
