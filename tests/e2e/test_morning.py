"""The morning look: what needs a look is on screen without a key, at 80×24 and at 200×50."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import main_screen

ALARM_ROWS = 3  # the demo fleet's alarms in ALARM when it starts


def pane_rows(screen: str, title: str) -> list[str]:
    """The rows of the pane whose border title starts with `title`, below its header line."""
    lines = screen.splitlines()
    top = next(i for i, line in enumerate(lines) if f"─ {title}" in line)
    bottom = next(i for i in range(top + 1, len(lines)) if lines[i].startswith("╰"))
    return [line.strip("│ ") for line in lines[top + 2:bottom]]


@pytest.mark.parametrize("size", ["80x24", "200x50"])
def test_the_morning_look_needs_no_key(world, start, keys, size):
    app = start("morning look", size=size)
    main_screen(app)
    screen = app.terminal.wait(lambda s: "pardon-production-service" in s and "ALARM   " in s)
    keys(app)
    services = pane_rows(screen, "Services")
    assert services[0].startswith("✖") and any("pardon-production-service" in r and "FAILED" in r for r in services)
    assert [r.startswith("✖") for r in services] == sorted((r.startswith("✖") for r in services), reverse=True)
    alarms = pane_rows(screen, "Alarms")
    assert alarms and all(row.startswith("ALARM") for row in alarms[:ALARM_ROWS])  # the worst rows, not the cursor's
    if size == "200x50":  # room for every service and every database: none hidden, no blank rows
        assert len(services) == 9 and all(services)
        assert len(pane_rows(screen, "Databases")) == 6
