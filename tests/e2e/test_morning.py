"""The morning look: what needs a look is on screen without a key, at 80×24 and at 200×50."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import main_screen


@pytest.mark.parametrize("size", ["80x24", "200x50"])
def test_the_morning_look_needs_no_key(world, start, keys, size):
    app = start("morning look", size=size)
    screen = main_screen(app)
    assert "Services 9 · 3 need a look" in screen or "Services 9 · 2 need a look" in screen
    assert "pardon-production-service" in screen and "FAILED" in screen
    assert "in ALARM" in screen
    alarms = screen[screen.index("Alarms 9"):]
    assert "ALARM " in alarms.splitlines()[2] or "ALARM" in alarms.splitlines()[2]
    keys(app)
