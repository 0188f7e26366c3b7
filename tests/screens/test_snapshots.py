"""Snapshots of every screen at 80x24 and 120x40, on a fixed fleet with the clock frozen."""

from __future__ import annotations

import pytest

from warroom.screens.confirm import ConfirmScreen
from warroom.screens.log_follow import FOLLOW_DELAY
from warroom.screens.prompt import Prompt
from tests.helpers import wait_for
from tests.snapshot_app import SnapshotApp
from warroom import clock

SIZES = [(80, 24), (120, 40)]
SCREENS = {
    "main": (),
    "service_detail": ("enter",),  # the web service: rollout in progress, an unhealthy target, ALB metrics
    "alarm_detail": ("tab", "j", "enter"),
    "filter_and_help": ("slash", "p", "r", "o", "d", "enter", "question_mark"),
    "logs": ("l",),
    "database_detail": ("3", "enter"),
    "logs_search": ("l", "slash", "p", "o", "o", "l", "enter"),
    "timeline": ("2", "t"),  # the environment's: every source, one missing (named), hostile text literal
    "timeline_entry": ("2", "t", "j", "enter"),  # a CloudTrail write whole, its raw record last
}


@pytest.fixture(autouse=True)
def _unfreeze(monkeypatch):
    """The clock frozen by the snapshot app is let go after each test; the production confirm's code is fixed."""
    monkeypatch.setattr("warroom.screens.confirm.new_code", lambda: "kmnp")
    yield
    clock.freeze(None)


async def _settle(pilot) -> None:
    """Until the log pane (shown on tall terminals) follows the highlighted service and has read its lines."""
    await pilot.pause(FOLLOW_DELAY + 0.4)
    panes = pilot.app.screen.query("#logs")
    if panes and panes.first().display:
        await wait_for(pilot, lambda: len(panes.first().view.events) > 0)
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
def test_overview(snap_compare, size):
    """Several environments and no --env: one row each, counts in red where not zero, an ended token named."""
    async def loaded(pilot) -> None:
        await wait_for(pilot, lambda: len(pilot.app.screen.fresh) == 4 and all(
            f.last_ok or f.error for f in pilot.app.screen.fresh.values()))
        await pilot.pause(0.2)

    assert snap_compare(SnapshotApp(overview=True), terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_environment_picker(snap_compare, size):
    """`e`: the fixture's four environments, the current one marked with its account (its worker waits on the
    picker: never wait for workers here)."""
    async def pick(pilot) -> None:
        await _settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "EnvironmentPicker")
        pilot.app.screen.query_one("#env-filter").cursor_blink = False
        await pilot.pause(0.3)

    assert snap_compare(SnapshotApp(), terminal_size=size, run_before=pick)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dependencies_pane(snap_compare, size):
    """Found in the account: the pane joins the others; focused, a failing function and a modifying cache first,
    an unread source in its border, a hostile description in the row's whole view at 80x24. The environment's own
    metrics in their line above the footer: one over its threshold, one with a hostile label, one without data."""
    async def focus(pilot) -> None:
        await _settle(pilot)
        await pilot.press("5", *(("j", "enter") if size == (80, 24) else ()))
        await pilot.pause(0.3)

    assert snap_compare(SnapshotApp(dependencies=True), terminal_size=size, run_before=focus)


PG_SCREENS = {
    "connections": ("4",),
    "connections_by_state": ("4", "o"),
    "session": ("4", "j", "enter"),
    "statements": ("4", "p"),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", PG_SCREENS)
def test_postgres_screen(snap_compare, screen, size):
    async def go_there(pilot) -> None:
        await _settle(pilot)
        await pilot.press(*PG_SCREENS[screen])
        await pilot.pause(0.5)  # the session screen's worker waits on it: never wait for workers here

    assert snap_compare(SnapshotApp(postgres=True), terminal_size=size, run_before=go_there)


CONFIRMS = {  # keys that lead to each action's confirm screen (production: the typed-name field is focused)
    "terminate": ("4", "K"),
    "redeploy": ("D",),
    "rollback": ("j", "R", "@RollbackScreen", "enter"),
    "stop_task": ("j", "enter", "@ServiceDetailScreen", "tab", "x", "@Prompt", "enter"),
    "scale_past_max": ("j", "enter", "@ServiceDetailScreen", "s", "@Prompt", "backspace", "6", "enter"),
    "snapshot": ("3", "enter", "@DatabaseDetailScreen", "S", "@Prompt", "enter"),
    "restore": ("3", "enter", "@DatabaseDetailScreen", "tab", "j", "T", "@RestoreForm", "enter"),
    "silence": ("2", "m", "@Prompt", "enter"),
    "silence_prefix": ("2", "M", "@Prompt", "enter", "@Prompt", "enter"),
    "unsilence": ("2", "u"),
}


@pytest.mark.parametrize("action", CONFIRMS)
def test_confirm_screens(snap_compare, action):
    """Each action's confirm screen at 80x24; `@Name` waits for that screen (their workers wait on modals)."""
    async def confirm(pilot) -> None:
        await _settle(pilot)
        for key in CONFIRMS[action]:
            if key.startswith("@"):
                await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == key[1:])
                await pilot.pause(0.2)
            else:
                await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        pilot.app.screen.query_one("#confirm-name").cursor_blink = False
        await pilot.pause(0.3)

    assert snap_compare(SnapshotApp(read_only=False, postgres=True), terminal_size=(80, 24), run_before=confirm)


def test_confirm_scale_in_production(snap_compare):
    """At 80x24, as part 4 asks (at 120x40 the log pane behind the modal follows on its own clock)."""
    async def confirm(pilot) -> None:  # the scale worker waits on the modal: never wait for workers here
        await _settle(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, Prompt))
        await pilot.press("backspace", "9", "enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        pilot.app.screen.query_one("#confirm-name").cursor_blink = False  # a blinking cursor is never stable
        await pilot.pause(0.3)

    assert snap_compare(SnapshotApp(read_only=False), terminal_size=(80, 24), run_before=confirm)
