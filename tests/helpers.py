"""Helpers for Pilot tests: build the app against the moto server, wait for panes, read the screen's text."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tui.app import WarroomApp
from tui.audit import AuditLog
from tui.config import Environment
from tui.data.aws import Aws
from tui.data.identity import whoami


def make_app(aws: Aws, interval: float = 30.0, **env: Any) -> WarroomApp:
    """The app on the moto server; its audit log in a fresh temporary folder (never the user's)."""
    environment = Environment(name=env.pop("name", "test"), **env)
    audit = AuditLog(Path(tempfile.mkdtemp(prefix="warroom-test-")) / "audit.jsonl")
    return WarroomApp(aws, environment, whoami(aws), interval=interval, audit=audit)


def screen_text(app: WarroomApp) -> str:
    """The characters on the terminal right now, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_for(pilot: Pilot, predicate: Any, timeout: float = 10.0) -> None:
    """Let the app run until `predicate()` holds (pane reads are real HTTP calls in worker threads)."""
    waited = 0.0
    while not predicate():
        if waited > timeout:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)
        waited += 0.05


async def loaded(pilot: Pilot, *panes: str) -> None:
    screen = pilot.app.screen
    await wait_for(pilot, lambda: all(screen.pane(p).last_ok is not None for p in panes or
                                      ("services", "alarms", "databases")))
    await settled(pilot)


async def settled(pilot: Pilot) -> None:
    """Let the tables size their columns and the screen repaint (DataTable does both on idle)."""
    await pilot.pause(0.2)
    await pilot.pause()
