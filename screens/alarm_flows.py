"""The alarm silencing flows (registry acts silence, silence_prefix, unsilence, unsilence_all): silence one alarm
or every alarm with a name prefix for a duration, re-enable one or every silenced one. Every change goes through
the gate."""

from __future__ import annotations

from typing import Sequence

from warroom import clock, inputs
from warroom.alarm_actions import silence as silence_action
from warroom.alarm_actions import unsilence as unsilence_action
from warroom.data.errors import AwsError
from warroom.data.models import Alarm
from warroom.screens.hosted import Hosted
from warroom.screens.prompt import Prompt, ask_value

DEFAULT_DURATION = "1h"


async def _silence(host: Hosted, alarms: Sequence[Alarm], label: str) -> None:
    app = host.warroom
    if app.gate.refuses(f"Silence {label}"):
        return
    minutes = await ask_value(app, f"Silence {label} for how long? (30m, 2h, 1d)", DEFAULT_DURATION, inputs.duration)
    if minutes is None:
        return
    unavailable = await host.backend.mute_rules_unavailable()
    await app.gate.run(silence_action(alarms, minutes, label=label, start=clock.now(), unavailable=unavailable))


async def silence(host: Hosted, alarm: Alarm, rows: Sequence[Alarm]) -> None:
    """Ask for how long, then silence one alarm through the gate."""
    await _silence(host, (alarm,), alarm.name)


async def silence_prefix(host: Hosted, selected: Alarm | None, rows: Sequence[Alarm]) -> None:
    """Every alarm whose name starts with a prefix (a maintenance window): listed before confirming."""
    app = host.warroom
    if app.gate.refuses("Silence alarms by prefix"):
        return
    default = host.backend.env.alarm_prefix or (selected.name.rsplit("-", 1)[0] + "-" if selected else "")
    prefix = await app.push_screen_wait(Prompt("Silence every alarm whose name starts with:", default))
    if not prefix or not prefix.strip():
        return
    try:
        alarms = await host.backend.alarms(prefix.strip())
    except AwsError as exc:
        app.notify(exc.one_line(), severity="error")
        return
    if not alarms:
        app.notify(f"No alarm name starts with {prefix.strip()!r}.", severity="warning")
        return
    await _silence(host, alarms, f"{prefix.strip()}*")


async def unsilence(host: Hosted, alarm: Alarm, rows: Sequence[Alarm]) -> None:
    await host.warroom.gate.run(unsilence_action((alarm,), alarm.name))


async def unsilence_all(host: Hosted, selected: Alarm | None, rows: Sequence[Alarm]) -> None:
    """Re-enable the actions of every alarm shown with its actions off."""
    alarms = [a for a in rows if not a.actions_enabled]
    if not alarms:
        host.warroom.notify("No alarm has its actions off.", timeout=3)
        return
    await host.warroom.gate.run(unsilence_action(alarms, f"{len(alarms)} silenced alarm(s)"))
