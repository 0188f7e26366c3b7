"""A fumbling hand: double taps, held keys and keys typed ahead never confirm a screen unseen; a flow that breaks is
said in one line with the app still up; whatever ends an action after its intent record, an outcome follows."""

from __future__ import annotations

import asyncio

import pytest
from textual import events

from warroom.screens.confirm import ConfirmScreen
from warroom.screens.follow import FollowScreen
from warroom.screens.main import MainScreen
from tests.helpers import confirm_again, confirming, loaded, make_app, screen_text, silence_confirm, wait_for
from warroom.audit import AuditLog
from warroom.demo.world import ServiceSpec, create_services, put_alarm


@pytest.fixture
def app(aws, seeder, tmp_path):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    app = make_app(aws)
    app.runner.audit = AuditLog(tmp_path / "audit.jsonl")
    return app


def desired(seeder) -> int:
    return seeder.client("ecs").describe_services(cluster="prod", services=["api"])["services"][0]["desiredCount"]


def burst(app, *keys: str) -> None:
    """Keys as a fast hand or a paste sends them: all at once, none waiting for the screen before it."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


async def scale_prompt(app, pilot) -> None:
    await loaded(pilot, "services")
    await pilot.press("s")
    await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")


async def test_a_double_tap_confirms_one_screen_and_the_warning_stays(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await scale_prompt(app, pilot)
        await pilot.press("backspace", "0", "enter")
        await wait_for(pilot, lambda: confirming(app))
        await pilot.press("Y", "Y")  # the second tap lands while the warning is being put up
        await wait_for(pilot, lambda: confirming(app) and "Asking again" in screen_text(app))
        await pilot.pause(0.3)
        assert isinstance(app.screen, ConfirmScreen) and app.is_running
        assert list(app.runner.audit.records()) == []
        await confirm_again(pilot)  # a fresh press, after reading it, does confirm
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
    assert [r["phase"] for r in app.runner.audit.records()] == ["intent", "outcome"]


async def test_a_held_key_never_confirms_the_warning(app, seeder):
    async with app.run_test(size=(100, 30)) as pilot:
        await scale_prompt(app, pilot)
        await pilot.press("backspace", "0", "enter")
        await wait_for(pilot, lambda: confirming(app))
        for _ in range(60):  # a key held for 2 s: the terminal repeats it every ~33 ms
            await pilot.press("Y")
            await asyncio.sleep(0.033)
        await pilot.pause(0.3)
        assert "Asking again" in screen_text(app) and isinstance(app.screen, ConfirmScreen)
        assert list(app.runner.audit.records()) == []
    assert desired(seeder) == 2


async def test_keys_typed_before_the_confirm_is_drawn_are_dropped(app, seeder):
    async with app.run_test(size=(100, 30)) as pilot:
        await scale_prompt(app, pilot)
        burst(app, "backspace", "5", "enter", "Y", "enter")  # typed ahead of the confirm screen
        await wait_for(pilot, lambda: confirming(app))
        await pilot.pause(0.3)
        assert isinstance(app.screen, ConfirmScreen) and app.focused.id == "cancel"
        assert list(app.runner.audit.records()) == []
    assert desired(seeder) == 2


async def test_a_broken_flow_is_said_in_one_line_and_the_app_stays_up(app, seeder, monkeypatch):
    def broken(service, count):
        raise RuntimeError("no such thing")
    monkeypatch.setattr("warroom.screens.service_flows.scale_action", broken)
    async with app.run_test(size=(100, 30)) as pilot:
        await scale_prompt(app, pilot)
        await pilot.press("backspace", "5", "enter")
        await wait_for(pilot, lambda: app._notifications)
        [said] = [n.message for n in app._notifications]
        assert said == "scale stopped: RuntimeError: no such thing"
        assert app.is_running and isinstance(app.screen, MainScreen)
        await pilot.press("s")  # and the next flow runs
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "Prompt")
    assert desired(seeder) == 2


async def test_an_action_cut_off_by_the_app_closing_is_recorded_unknown(app, monkeypatch):
    sent = asyncio.Event()

    async def hangs(aws, cluster, name, count):
        sent.set()
        await asyncio.sleep(60)
    monkeypatch.setattr("warroom.actions.set_desired_count", hangs)
    async with app.run_test(size=(100, 30)) as pilot:
        await scale_prompt(app, pilot)
        await pilot.press("backspace", "5", "enter")
        await wait_for(pilot, lambda: confirming(app))
        await pilot.press("Y")
        await wait_for(pilot, sent.is_set)
    records = list(app.runner.audit.records())
    assert [r["phase"] for r in records] == ["intent", "outcome"]
    assert records[1]["outcome"] == "unknown" and "interrupted (CancelledError)" in records[1]["error_message"]


@pytest.mark.parametrize("name,copied", [("prod-cpu", True), ("prod-\x1b[201~\x01cpu", False)],
                         ids=["clean", "bracketed-paste-end"])
async def test_c_copies_exactly_the_command_shown_or_refuses(aws, seeder, name, copied):
    put_alarm(seeder, name, "ALARM")
    app = make_app(aws)
    async with app.run_test(size=(120, 40)) as pilot:
        await silence_confirm(pilot)
        await pilot.press("c")
        await pilot.pause(0.1)
        shown = app.screen.action.cli.text
        assert shown in " ".join(screen_text(app).split())
        if copied:
            assert app.clipboard == shown and "disable-alarm-actions --alarm-names prod-cpu" in shown
        else:
            assert app.clipboard == "" and "prod-␛[201~␁cpu" in shown
            [said] = [n.message for n in app._notifications]
            assert said.startswith("not copied: prod-␛[201~␁cpu holds control characters")


async def test_a_paste_whose_escapes_textual_replays_as_keys_never_confirms(app, seeder):
    async with app.run_test(size=(100, 30)) as pilot:
        await scale_prompt(app, pilot)
        await pilot.press("backspace", "5", "enter")
        await wait_for(pilot, lambda: confirming(app))
        await pilot.pause(0.3)
        burst(app, "circumflex_accent", "Y")  # a pasted "ESC Y": Textual replays it as `^`, `Y` in one read
        await pilot.pause(0.5)
        assert isinstance(app.screen, ConfirmScreen) and list(app.runner.audit.records()) == []
        await pilot.pause(0.6)
        await pilot.press("Y")  # a hand's press still confirms
        await wait_for(pilot, lambda: isinstance(app.screen, FollowScreen))
    assert desired(seeder) == 5
