"""The one action gate: read-only check → confirm (twice when warned; typed in production) → unchanged-target
check → audit intent (fsync) → run → audit outcome (fsync) → follow on screen. Every mutation goes through here.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from warroom.screens.confirm import ConfirmScreen, FreshPresses
from warroom.screens.follow import FollowScreen
from warroom.actions import Action
from warroom.audit import AuditLog
from warroom.data.errors import map_error
from warroom.untrusted import clean


class ActionGate:
    """Runs one action at a time for the app; a second request while one is in flight is refused."""

    def __init__(self, app: Any, audit: AuditLog) -> None:
        self.app = app
        self.audit = audit
        self.busy = False
        self.presses = FreshPresses()  # shared by every confirm screen, so one press never confirms two

    def _confirm(self, action: Action, **extra: str) -> Any:
        app = self.app
        return app.push_screen_wait(ConfirmScreen(action, app.env.name, app.identity,
                                                  production=app.env.production, presses=self.presses,
                                                  **extra))

    def refuses(self, title: str) -> bool:
        """In read-only mode: say so in one line and return True (flows ask this before their own prompts)."""
        if self.app.read_only:
            self.app.notify(f"read-only: {title} refused (start without --read-only to act)", severity="warning",
                            markup=False)
        return bool(self.app.read_only)

    async def run(self, action: Action) -> str:
        """Take `action` through the gate; returns how it ended: refused, busy, cancelled, moot, error or ok."""
        app = self.app
        if self.refuses(action.title):
            return "refused"
        if self.busy:
            app.notify("another action is still being submitted", severity="warning", markup=False)
            return "busy"
        self.busy = True
        try:
            return await self._run(action)
        except Exception as exc:  # a bug, not AWS: said in one line; the outcome record was written (see _send)
            app.notify(clean(f"{action.title} stopped: {type(exc).__name__}: {exc}"), severity="error", timeout=15)
            return "error"
        finally:
            self.busy = False

    async def _run(self, action: Action) -> str:
        app = self.app
        note = ""
        while True:
            if not await self._confirm(action, note=note):
                return "cancelled"
            if action.warning and not await self._confirm(action, again=f"Asking again: {action.warning}"):
                return "cancelled"
            try:
                now = await action.current(app.aws)
            except Exception as caught:  # nothing was sent yet: say why, change nothing
                app.notify(f"{action.title}: {map_error(caught).one_line()}", severity="error", markup=False,
                           timeout=10)
                return "error"
            if now == action.before:
                break
            if now == action.after or now in action.moot:  # what it would do is done: nothing to ask again
                app.notify(clean(f"{action.title}: nothing to do, {action.target} is now {now}"), severity="warning",
                           markup=False, timeout=10)
                return "moot"
            note = f"{action.target} changed while the screen was open: {action.before} is now {now}"
            action = replace(action, before=now)
        record: dict[str, Any] = {
            "caller": app.identity.arn, "environment": app.env.name, "account": app.identity.account,
            "region": app.identity.region, "action": action.name, "target": action.target,
            "before": action.before, "after": action.after, "cli": action.cli.text}
        if action.targets:
            record["targets"] = list(action.targets)
        if action.until:
            record["until"] = action.until
        try:
            await asyncio.to_thread(self.audit.write, {**record, "phase": "intent"})
        except OSError as exc:
            app.notify(f"{action.title} not sent: the audit log cannot be written ({exc})", severity="error")
            return "error"
        while self.audit.notices:  # the log's mode was tightened: say so once
            app.notify(self.audit.notices.pop(0), severity="warning", timeout=10)
        request_id = await self._send(action, record)
        if request_id is None:
            return "error"
        app.refresher.refresh_now()
        app.push_screen(FollowScreen(action, request_id))
        return "ok"

    async def _send(self, action: Action, record: dict[str, Any]) -> str | None:
        """Run the action after its intent record; whatever ends it (an answer, an AWS error, the flow cancelled
        or the app closing), an outcome record follows. Returns the request id, or None when it failed (said)."""
        app = self.app
        try:
            request_id = await action.run(app.aws)
        except Exception as caught:
            exc = map_error(caught)
            await asyncio.to_thread(self._write_outcome, action, {
                **record, "phase": "outcome", "outcome": "error", "error_code": exc.code,
                "error_message": exc.message})
            app.notify(f"{action.title} failed: {exc.one_line()}", severity="error", timeout=15)
            return None
        except BaseException as caught:  # cancelled or interrupted: whether AWS did it is not known
            self._write_outcome(action, {**record, "phase": "outcome", "outcome": "unknown", "error_message":
                                         f"interrupted ({type(caught).__name__}) before AWS answered"})
            raise
        await asyncio.to_thread(self._write_outcome, action, {**record, "phase": "outcome", "outcome": "ok",
                                                              "request_id": request_id})
        return request_id

    def _write_outcome(self, action: Action, record: dict[str, Any]) -> None:
        """Write an outcome record; when the log cannot take it, say so (the action has happened or not)."""
        try:
            self.audit.write(record)
        except OSError as exc:
            self.app.notify(f"{action.title}: its outcome ({record['outcome']}) could not be written to the audit "
                            f"log: {exc}", severity="warning", timeout=15)
