"""Switching environments in one session (`e`, the region prompt): two accounts in one moto server reached through
role profiles; the panes of the new environment load, nothing of the old one lands on them, and an action opened
in one environment is never sent in another."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.accounts import role_profiles
from tests.helpers import loaded, screen_text, settled, silence_confirm, wait_for
from warroom.actions import Action, Command
from warroom.app import WarroomApp
from warroom.audit import AuditLog
from warroom.config import Environment
from warroom.data.aws import Aws
from warroom.data.models import Identity
from warroom.demo.world import put_alarm
from warroom.environments import Environments
from warroom.runner import ActionRunner, Where
from warroom.screens.environments import EnvironmentPicker
from warroom.screens.main import MainScreen
from warroom.screens.overview import OverviewScreen

CONFIG = """
[env.alpha]
profile = "alpha"
region = "us-east-1"

[env.beta]
profile = "beta"
region = "us-east-1"
"""


@pytest.fixture
def accounts(moto_server, tmp_path, monkeypatch) -> Path:
    """The AWS profiles, a warroom config naming two of them, and one alarm per account; the config's path."""
    role_profiles(tmp_path, monkeypatch)
    for profile in ("alpha", "beta"):
        aws = Aws(profile)
        put_alarm(aws, f"{profile}-cpu", "ALARM")
        aws.close()
    config = tmp_path / "warroom.toml"
    config.write_text(CONFIG)
    return config


def app_on(config: Path, name: str, audit: AuditLog) -> WarroomApp:
    environments = Environments(config)
    env = next(env for env in environments.choices() if env.name == name)
    return WarroomApp(environments.connect(env), interval=30.0, audit=audit, environments=environments)


def alarm_names(app: WarroomApp) -> set[str]:
    return {alarm.name for alarm in app.screen.pane("alarms").rows}


async def switch(pilot, name: str) -> None:
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, EnvironmentPicker))
    await pilot.press(*name, "enter")


async def test_e_lists_environments_and_profiles_and_switches_with_nothing_stale(accounts, tmp_path):
    app = app_on(accounts, "alpha", AuditLog(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "alarms")
        assert alarm_names(app) == {"alpha-cpu"}
        first = app.screen
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EnvironmentPicker))
        await settled(pilot)
        text = screen_text(app)
        assert "alpha (here)  us-east-1  111111111111" in text
        assert "beta  us-east-1" in text and "222222222222" not in text  # not known before a connection
        assert "base  us-east-1" in text  # a profile no environment names
        assert "3 environments" in text
        await pilot.press(*"bet", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen is not first)
        new = app.screen
        seen: list[set[str]] = []
        while new.pane("alarms").fresh.last_ok is None:  # every frame until it loads: never alpha's rows
            seen.append(alarm_names(app))
            text = screen_text(app)
            if not seen[-1] and "Alarms" in text:  # painted, and still loading
                assert "loading beta…" in text
            await pilot.pause(0.02)
        await loaded(pilot, "alarms")
        assert alarm_names(app) == {"beta-cpu"} and all(not names - {"beta-cpu"} for names in seen)
        text = screen_text(app)
        assert "beta" in text and "222222222222" in text and "111111111111" not in text
        assert not first.is_attached  # the old screen (its refreshes, its flows) is gone
        await switch(pilot, "alpha")
        await wait_for(pilot, lambda: app.screen is not new and isinstance(app.screen, MainScreen))
        await loaded(pilot, "alarms")
        assert alarm_names(app) == {"alpha-cpu"}
        assert "111111111111" in screen_text(app)


async def test_a_switch_that_cannot_connect_stays_where_it_is(accounts, tmp_path):
    accounts.write_text(CONFIG + '\n[env.broken]\nprofile = "no-such-profile"\n')
    app = app_on(accounts, "alpha", AuditLog(tmp_path / "audit.jsonl"))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "alarms")
        first = app.screen
        await switch(pilot, "broken")
        await wait_for(pilot, lambda: len(app._notifications) == 2)
        said = [n.message for n in app._notifications]
        assert said == ["connecting to broken…", "not switched to broken: ProfileNotFound: The config profile "
                        "(no-such-profile) could not be found; still on alpha"]
        assert app.screen is first and alarm_names(app) == {"alpha-cpu"}


async def test_a_confirm_open_when_the_environment_switches_sends_nothing(accounts, tmp_path):
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = app_on(accounts, "alpha", audit)
    async with app.run_test(size=(120, 40)) as pilot:
        await silence_confirm(pilot)
        await wait_for(pilot, lambda: "environment alpha" in screen_text(app))  # the confirm names it, once painted
        app.switch_to(Environment(name="beta", profile="beta", region="us-east-1"))
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and app.backend.env.name == "beta")
        await loaded(pilot, "alarms")
        await pilot.press("Y")  # the confirm is gone with its environment: this Y reaches nothing
        await settled(pilot)
    alpha = Aws("alpha")
    assert alpha.client("cloudwatch").describe_alarms(AlarmNames=["alpha-cpu"])["MetricAlarms"][0]["ActionsEnabled"]
    alpha.close()
    assert list(audit.records()) == []


def test_the_runner_refuses_an_action_opened_in_another_environment(tmp_path):
    sent: list[str] = []

    async def run(_: object) -> str:
        sent.append("sent")
        return "request"

    action = Action(name="scale", title="Scale prod/api", target="prod/api", confirm_name="api", before="desired 2",
                    after="desired 5", cli=Command("aws ecs update-service"), current=run, run=run, follow=run)
    alpha = Identity("111111111111", "arn:aws:sts::111111111111:assumed-role/warroom/me", "us-east-1")
    beta = Identity("222222222222", "arn:aws:sts::222222222222:assumed-role/warroom/me", "us-east-1")

    def backend(name: str, identity: Identity) -> SimpleNamespace:
        return SimpleNamespace(env=Environment(name=name), identity=identity, run=run, credentials_expire=lambda: None)

    runner = ActionRunner(backend("alpha", alpha), AuditLog(tmp_path / "audit.jsonl"), read_only=False)  # type: ignore
    opened = runner.where
    runner.chosen = backend("beta", beta)  # type: ignore[assignment]
    result = asyncio.run(runner.send(action, opened))
    assert result.request_id is None and sent == []
    assert result.said == ("Scale prod/api refused: it was opened in alpha (111111111111, us-east-1), and warroom is "
                           "now on beta (222222222222, us-east-1); nothing was sent")
    runner.chosen = backend("alpha", alpha)  # type: ignore[assignment]  # back where it was
    assert asyncio.run(runner.send(action, Where("alpha", alpha))).request_id == "request" and sent == ["sent"]



async def test_the_overview_shows_each_account_and_enter_opens_one_0_comes_back(accounts, tmp_path):
    Aws("alpha").client("cloudwatch").set_alarm_state(AlarmName="alpha-cpu", StateValue="OK", StateReason="fine")
    app = WarroomApp(None, interval=30.0, audit=AuditLog(tmp_path / "audit.jsonl"),
                     environments=Environments(accounts))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen) and len(app.screen.summaries) == 2)
        await settled(pilot)
        text = screen_text(app)
        assert "2 environments · 1 need a look" in text
        rows = {line.split()[0]: line for line in text.splitlines()[2:] if line.split()[:1] in (["alpha"], ["beta"])}
        assert rows["alpha"].split() == ["alpha", "0/0", "0", "0", "0/0", "<10s", "111111111111", "us-east-1"]
        assert rows["beta"].split() == ["beta", "0/0", "0", "1", "0/0", "<10s", "222222222222", "us-east-1"]
        assert app.screen.summaries["alpha"].alarms_firing == 0 and app.screen.summaries["beta"].alarms_firing == 1
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await loaded(pilot, "alarms")
        assert alarm_names(app) == {"beta-cpu"} and "222222222222" in screen_text(app)
        await pilot.press("0")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen))
        assert len(app.screen_stack) == 2  # the main screen of beta is closed, its refreshes with it
