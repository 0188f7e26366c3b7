"""Helpers for Pilot tests: build the app against the moto server, wait for panes, read the screen's text."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from warroom.screens.confirm import REPRESS_SECONDS, ConfirmScreen
from warroom.app import WarroomApp
from warroom.audit import AuditLog
from warroom.aws_backend import AwsBackend
from warroom.config import Environment
from warroom.data.aws import Aws
from warroom.data.identity import whoami


def make_app(aws: Aws, interval: float = 30.0, **env: Any) -> WarroomApp:
    """The app on the moto server; its audit log in a fresh temporary folder (never the user's)."""
    environment = Environment(name=env.pop("name", "test"), **env)
    audit = AuditLog(Path(tempfile.mkdtemp(prefix="warroom-test-")) / "audit.jsonl")
    return WarroomApp(AwsBackend(aws, environment, whoami(aws)), interval=interval, audit=audit)


def screen_text(app: WarroomApp) -> str:
    """The characters on the terminal right now, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_for(pilot: Pilot, predicate: Any, timeout: float = 10.0) -> None:
    """Let the app run until `predicate()` holds (pane reads are real HTTP calls in worker threads) and its screen
    takes keys (the app drops a key pressed before the screen it reaches came on top)."""
    waited = 0.0
    while not (predicate() and pilot.app.taking_keys):
        if waited > timeout:
            raise AssertionError(f"timed out waiting for the app on {pilot.app.screen!r} (taking keys: "
                                 f"{pilot.app.taking_keys}); the screen:\n{screen_text(pilot.app)}")
        await pilot.pause(0.05)
        waited += 0.05


async def loaded(pilot: Pilot, *panes: str) -> None:
    screen = pilot.app.screen
    await wait_for(pilot, lambda: all(screen.pane(p).fresh.last_ok is not None for p in panes or
                                      ("services", "alarms", "databases")))
    await settled(pilot)


async def settled(pilot: Pilot) -> None:
    """Let the tables size their columns and the screen repaint (DataTable does both on idle)."""
    await pilot.pause(0.2)
    await pilot.pause()


async def silence_confirm(pilot: Pilot) -> None:
    """From the main screen: `2`, `m` on the first alarm, the prompt's default duration: its confirm screen up."""
    await loaded(pilot, "alarms")
    await pilot.press("2", "m")
    await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "Prompt")
    await pilot.press("enter")
    await wait_for(pilot, lambda: confirming(pilot.app))


def confirming(app: WarroomApp) -> bool:
    """A confirm screen is up."""
    return isinstance(app.screen, ConfirmScreen)


async def confirm_again(pilot: Pilot) -> None:
    """`Y` on a second confirm screen, as a person does it: a fresh press, not a double tap."""
    await wait_for(pilot, lambda: confirming(pilot.app))
    await pilot.pause(REPRESS_SECONDS)
    await pilot.press("Y")
