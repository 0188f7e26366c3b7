"""The alarm silencing keys: silence the selected alarm (m) or every alarm with a name prefix (M) for a duration,
re-enable the selected (u) or every silenced one (U). The main screen has all four, the alarm screen m and u.
Every change goes through the gate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from warroom.screens.flow import action_flow
from warroom.screens.prompt import Prompt, ask_value
from warroom import clock, inputs
from warroom.alarm_actions import silence, unsilence
from warroom.data.errors import AwsError
from warroom.data.models import Alarm

if TYPE_CHECKING:
    from warroom.app import WarroomApp

DEFAULT_DURATION = "1h"


class SilenceKeys:
    """Mixed into a screen (which holds the bindings): `selected_alarm()` is the alarm m and u act on; M and U
    (main screen only) use `pane(name)` and `silenced_names()`."""

    warroom: WarroomApp
    notify: Any

    def pane(self, name: str) -> Any:
        raise NotImplementedError

    def silenced_names(self) -> tuple[str, ...]:
        raise NotImplementedError

    def selected_alarm(self) -> Alarm | None:
        raise NotImplementedError

    def _selected_alarm(self) -> Alarm | None:
        alarm = self.selected_alarm()
        if alarm is None:
            self.notify("Select an alarm first (Alarms pane).", timeout=3)
        return alarm

    async def _silence(self, alarms: Sequence[Alarm], label: str) -> None:
        app = self.warroom
        if app.gate.refuses(f"Silence {label}"):
            return
        minutes = await ask_value(app, f"Silence {label} for how long? (30m, 2h, 1d)", DEFAULT_DURATION,
                                  inputs.duration)
        if minutes is None:
            return
        unavailable = await app.backend.mute_rules_unavailable()
        await app.gate.run(silence(alarms, minutes, label=label, start=clock.now(), unavailable=unavailable))

    def action_silence(self) -> None:
        alarm = self._selected_alarm()
        if alarm is not None:
            self.silence_alarm(alarm)

    @action_flow
    async def silence_alarm(self, alarm: Alarm) -> None:
        """Ask for how long, then silence one alarm through the gate."""
        await self._silence((alarm,), alarm.name)

    @action_flow
    async def action_silence_prefix(self) -> None:
        """Every alarm whose name starts with a prefix (a maintenance window): listed before confirming."""
        app = self.warroom
        if app.gate.refuses("Silence alarms by prefix"):
            return
        selected = self.selected_alarm()
        default = app.backend.env.alarm_prefix or (selected.name.rsplit("-", 1)[0] + "-" if selected else "")
        prefix = await app.push_screen_wait(Prompt("Silence every alarm whose name starts with:", default))
        if not prefix or not prefix.strip():
            return
        try:
            alarms = await app.backend.alarms(prefix.strip())
        except AwsError as exc:
            self.notify(exc.one_line(), severity="error")
            return
        if not alarms:
            self.notify(f"No alarm name starts with {prefix.strip()!r}.", severity="warning")
            return
        await self._silence(alarms, f"{prefix.strip()}*")

    def action_unsilence(self) -> None:
        alarm = self._selected_alarm()
        if alarm is not None:
            self.unsilence_alarm(alarm)

    def unsilence_alarm(self, alarm: Alarm) -> None:
        self.warroom.run_worker(self.warroom.gate.run(unsilence((alarm,), alarm.name)), group="action",
                                exit_on_error=False)

    def action_unsilence_all(self) -> None:
        names = set(self.silenced_names())
        alarms = [a for a in self.pane("alarms").rows if a.name in names]
        if not alarms:
            self.notify("No alarm has its actions off.", timeout=3)
            return
        self.warroom.run_worker(self.warroom.gate.run(unsilence(alarms, f"{len(alarms)} silenced alarm(s)")),
                                group="action", exit_on_error=False)
