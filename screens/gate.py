"""The one action gate, on screen: read-only refusal → confirm (twice when warned; typed in production) → the
target re-read (changed: say so and ask again; already done: end with the reason) → the runner (audit intent,
the call, audit outcome) → the result followed on screen. Every mutation goes through here; the headless part is
warroom.runner."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from warroom.actions import Action
from warroom.data.errors import map_error
from warroom.runner import ActionRunner, Where
from warroom.screens.confirm import ConfirmScreen, FreshPresses
from warroom.screens.flow import say_stopped
from warroom.screens.follow import FollowScreen


class ActionGate:
    """Runs one action at a time for the app; a second request while one is in flight is refused."""

    def __init__(self, app: Any, runner: ActionRunner) -> None:
        self.app = app
        self.runner = runner
        self.busy = False
        self.presses = FreshPresses()  # shared by every confirm screen, so one press never confirms two

    def refuses(self, title: str) -> bool:
        """In read-only mode: say so in one line and return True (flows ask this before their own prompts)."""
        refusal = self.runner.refusal(title)
        if refusal:
            self.app.notify(refusal, severity="warning")
        return bool(refusal)

    async def run(self, action: Action) -> str:
        """Take `action` through the gate; returns how it ended: refused, busy, cancelled, moot, error or ok."""
        app = self.app
        if self.refuses(action.title):
            return "refused"
        if self.busy:
            app.notify("another action is still being submitted", severity="warning")
            return "busy"
        self.busy = True
        try:
            return await self._run(action)
        except Exception as exc:  # a bug, not AWS: said in one line (the runner wrote any outcome it owed)
            say_stopped(app, action.title, exc)
            return "error"
        finally:
            self.busy = False

    def _confirm(self, action: Action, where: Where, **extra: str) -> Any:
        return self.app.push_screen_wait(ConfirmScreen(action, where.environment, where.identity,
                                                       production=where.production, presses=self.presses, **extra))

    async def _run(self, action: Action) -> str:
        app = self.app
        where = self.runner.where
        note = ""
        while True:
            chosen = await self._confirm(action, where, note=note)
            if chosen is None:
                return "cancelled"
            action = chosen  # the action, or the variant its confirm screen offered
            if action.warning and not await self._confirm(replace(action, variant=None), where,
                                                          again=f"Asking again: {action.warning}"):
                return "cancelled"
            moved = self.runner.moved(action, where)  # the re-read would ask the environment warroom is on now
            if moved:
                app.notify(moved, severity="error", timeout=15)
                return "refused"
            try:
                recheck = await self.runner.recheck(action)
            except Exception as caught:  # nothing was sent yet: say why, change nothing
                app.notify(f"{action.title}: {map_error(caught).one_line()}", severity="error", timeout=10)
                return "error"
            if recheck.verdict == "same":
                break
            if recheck.verdict == "moot":  # what it would do is done: nothing to ask again
                app.notify(f"{action.title}: nothing to do, {action.target} is now {recheck.now}",
                           severity="warning", timeout=10)
                return "moot"
            note = f"{action.target} changed while the screen was open: {action.before} is now {recheck.now}"
            action = replace(action, before=recheck.now)
        sent = await self.runner.send(action, where)
        while self.runner.audit.notices:  # the log's mode was tightened: say so once
            app.notify(self.runner.audit.notices.pop(0), severity="warning", timeout=10)
        if sent.request_id is None:
            app.notify(sent.said, severity="error", timeout=15)
            return "error"
        if sent.said:
            app.notify(sent.said, severity="warning", timeout=15)
        app.refresher.refresh_now()
        app.push_screen(FollowScreen(action, sent.request_id))
        return "ok"
