"""Snapshots of every screen at 80x24 and 120x40, on a fixed fleet with the clock frozen."""

from __future__ import annotations

import pytest

from tests.snapshot_app import SnapshotApp
from tui import clock

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _unfreeze():
    yield
    clock.freeze(None)


async def _settle(pilot) -> None:
    await pilot.pause(0.2)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_main(snap_compare, size):
    assert snap_compare(SnapshotApp(), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_service_detail(snap_compare, size):
    async def open_detail(pilot):
        await _settle(pilot)
        await pilot.press("j", "j", "enter")
        await _settle(pilot)

    assert snap_compare(SnapshotApp(), terminal_size=size, run_before=open_detail)


@pytest.mark.parametrize("size", SIZES)
def test_alarm_detail(snap_compare, size):
    async def open_detail(pilot):
        await _settle(pilot)
        await pilot.press("tab", "j", "enter")
        await _settle(pilot)

    assert snap_compare(SnapshotApp(), terminal_size=size, run_before=open_detail)


@pytest.mark.parametrize("size", SIZES)
def test_filter_and_help(snap_compare, size):
    async def filter_and_help(pilot):
        await _settle(pilot)
        await pilot.press("slash", "p", "r", "o", "d", "enter", "question_mark")
        await _settle(pilot)

    assert snap_compare(SnapshotApp(), terminal_size=size, run_before=filter_and_help)
