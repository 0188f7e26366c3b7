"""Snapshots of every screen at 80x24 and 120x40, on a fixed fleet with the clock frozen."""

from __future__ import annotations

import pytest

from screens.confirm import ConfirmScreen
from screens.main import FOLLOW_DELAY
from screens.prompt import Prompt
from tests.helpers import wait_for
from tests.snapshot_app import SnapshotApp
from tui import clock

SIZES = [(80, 24), (120, 40)]
SCREENS = {
    "main": (),
    "service_detail": ("j", "j", "enter"),
    "alarm_detail": ("tab", "j", "enter"),
    "filter_and_help": ("slash", "p", "r", "o", "d", "enter", "question_mark"),
    "logs": ("l",),
    "logs_search": ("l", "slash", "p", "o", "o", "l", "enter"),
}


@pytest.fixture(autouse=True)
def _unfreeze():
    yield
    clock.freeze(None)


async def _settle(pilot) -> None:
    """Long enough for the log pane to follow the highlighted service (it waits for the cursor to rest)."""
    await pilot.pause(FOLLOW_DELAY + 0.4)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare, screen, size):
    async def go_there(pilot) -> None:
        await _settle(pilot)
        if SCREENS[screen]:
            await pilot.press(*SCREENS[screen])
            await _settle(pilot)

    assert snap_compare(SnapshotApp(), terminal_size=size, run_before=go_there)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_confirm_scale_in_production(snap_compare, size):
    async def confirm(pilot) -> None:  # the scale worker waits on the modal: never wait for workers here
        await _settle(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, Prompt))
        await pilot.press("backspace", "9", "enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.pause(0.3)

    assert snap_compare(SnapshotApp(read_only=False), terminal_size=size, run_before=confirm)
