"""Alarm actions: silence for a duration (a mute rule that ends by itself where offered, else disabled actions
that the main screen keeps listing) and re-enable. Made of the one Action the gate runs."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Sequence

from warroom import clock
from warroom.actions import Action, Progress, aws_cli
from warroom.data.aws import Aws
from warroom.data.cloudwatch_changes import (
    alarms_actions, mute_rule_statuses, mute_start, put_mute_rules, set_alarm_actions,
)
from warroom.data.models import Alarm

ALARM_PREVIEW = 5  # alarm names listed on a silence's confirm screen


def _alarm_list(names: Sequence[str]) -> tuple[str, ...]:
    shown = tuple(names[:ALARM_PREVIEW])
    rest = len(names) - len(shown)
    return shown + ((f"… and {rest} more",) if rest else ())


def _notifying(count: int, total: int) -> str:
    return f"{count} of {total} alarm(s) with actions on"


async def _count_on(aws: Aws, names: Sequence[str]) -> int:
    return sum(1 for on in (await alarms_actions(aws, names)).values() if on)


def silence(alarms: Sequence[Alarm], minutes: int, *, label: str, start: datetime, unavailable: str) -> Action:
    """Silence alarms for `minutes`: an alarm mute rule that ends by itself where the endpoint offers them
    (`unavailable` is ""), else DisableAlarmActions, which lasts until re-enabled (the main screen lists it)."""
    names = tuple(a.name for a in alarms)
    on = sum(1 for a in alarms if a.actions_enabled)
    until = start + timedelta(minutes=minutes)
    total = len(names)

    async def current(aws: Aws) -> str:
        return _notifying(await _count_on(aws, names), total)

    if not unavailable:
        rule = f"warroom-{re.sub(r'[^A-Za-z0-9_.-]+', '-', label)[:160].strip('-')}-{start:%Y%m%d-%H%M}"
        window = mute_start(start)

        async def mute(aws: Aws) -> str:
            nonlocal window
            window = mute_start(clock.now())  # from the minute after the confirm, not after the prompt
            return await put_mute_rules(aws, rule, names, window, minutes)

        async def follow(aws: Aws) -> Progress:
            statuses = await mute_rule_statuses(aws, rule, total)
            expired = "EXPIRED" in statuses  # at once: the window never opened
            return Progress(f"mute rule {rule}: {', '.join(statuses)} (window from {window:%H:%M} UTC)",
                            settled=expired or all(s == "ACTIVE" for s in statuses), failed=expired)

        return Action(
            name="mute", title=f"Mute {label} for {minutes} min", target=label, confirm_name=label,
            before=_notifying(on, total),
            after=f"muted from {window:%H:%M} until about {window + timedelta(minutes=minutes):%H:%M} UTC",
            cli=aws_cli("aws", "cloudwatch", "put-alarm-mute-rule", "--name", rule, "--rule",
                        f"Schedule={{Expression=at({window:%Y-%m-%dT%H:%M}),Duration=PT{minutes}M,Timezone=UTC}}",
                        "--mute-targets", f"AlarmNames={','.join(names)}", "--expire-date",
                        f"{window + timedelta(minutes=minutes):%Y-%m-%dT%H:%M:%SZ}"),
            current=current, run=mute, follow=follow,
            details=_alarm_list(names) + ("An alarm mute rule from the next whole minute: the alarms keep changing "
                                          "state, nobody is paged, and it ends by itself (u/U do not end it early; "
                                          "`aws cloudwatch delete-alarm-mute-rule` does).",),
            targets=names, until=(window + timedelta(minutes=minutes)).isoformat(), verb="Mute",
        )

    async def follow_disabled(aws: Aws) -> Progress:
        still = await _count_on(aws, names)
        return Progress(f"{total - still} of {total} alarm(s) with actions off", settled=still == 0)

    return Action(
        name="silence", title=f"Silence {label} ({minutes} min planned)", target=label, confirm_name=label,
        before=_notifying(on, total), after="actions disabled until re-enabled",
        cli=aws_cli("aws", "cloudwatch", "disable-alarm-actions", "--alarm-names", *names),
        current=current, run=lambda aws: set_alarm_actions(aws, names, False), follow=follow_disabled,
        details=_alarm_list(names) + (
            f"No alarm mute rules here ({unavailable}): actions are disabled and stay off until re-enabled "
            f"(u / U). The main screen lists them with their age; after {minutes} min they show OVERDUE.",),
        targets=names, until=until.isoformat(), verb="Silence",
    )


def unsilence(alarms: Sequence[Alarm], label: str) -> Action:
    """EnableAlarmActions: the alarms page again."""
    names = tuple(a.name for a in alarms)
    total = len(names)

    async def current(aws: Aws) -> str:
        return _notifying(await _count_on(aws, names), total)

    async def follow(aws: Aws) -> Progress:
        now_on = await _count_on(aws, names)
        return Progress(_notifying(now_on, total), settled=now_on == total)

    return Action(
        name="alarm-actions-on", title=f"Re-enable the actions of {label}", target=label, confirm_name=label,
        before=_notifying(sum(1 for a in alarms if a.actions_enabled), total),
        after=_notifying(total, total),
        cli=aws_cli("aws", "cloudwatch", "enable-alarm-actions", "--alarm-names", *names),
        current=current, run=lambda aws: set_alarm_actions(aws, names, True), follow=follow,
        details=_alarm_list(names), targets=names, verb="Re-enable",
    )
