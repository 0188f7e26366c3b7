"""The headless action runner: read-only, the target's current value, audit intent, the call, audit outcome. It
imports no screen and says nothing itself: it returns what happened in words the caller shows. The confirm and
follow screens (screens/gate.py) are its face; another face (a CLI, a recorder's replay) can use it as it is.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from typing import Any

from warroom import clock, credentials
from warroom.actions import Action
from warroom.audit import AuditLog
from warroom.backend import Backend
from warroom.data.errors import map_error
from warroom.data.models import Identity


@dataclass(frozen=True)
class Where:
    """Where an action acts, as the confirm screen shows it and the audit record holds it."""

    environment: str
    identity: Identity
    production: bool = False


@dataclass(frozen=True)
class Recheck:
    """The target as it is now: `same` as the action's before, `moot` (what it would do is done), or `changed`."""

    verdict: str
    now: str


@dataclass(frozen=True)
class Sent:
    """How sending ended: `request_id` when it was sent (None when it was not, or failed), and a line to show
    (why it failed or was not sent; or that it was sent but its outcome could not be recorded)."""

    request_id: str | None
    said: str = ""


class ActionRunner:
    """Runs actions against one backend and one audit log; read-only is decided here and only here."""

    def __init__(self, backend: Backend | None, audit: AuditLog, *, read_only: bool) -> None:
        self.chosen = backend  # None on the overview before an environment is chosen: nothing to act on
        self.audit = audit
        self.read_only = read_only
        self.sending = False  # between an action's intent record and its outcome: the environment stays

    @property
    def backend(self) -> Backend:
        if self.chosen is None:
            raise RuntimeError("no environment is chosen yet")
        return self.chosen

    def refusal(self, title: str) -> str:
        """Why `title` may not run here ("" when it may): read-only, or credentials about to end."""
        if self.read_only:
            return f"read-only: {title} refused (start without --read-only to act)"
        return credentials.refusal(title, self.backend.credentials_expire(), clock.now())

    @property
    def where(self) -> Where:
        """The environment and identity actions act in now."""
        env = self.backend.env
        return Where(env.name, self.backend.identity, env.production)

    def moved(self, action: Action, where: Where) -> str:
        """Why an action opened in `where` may not run now: warroom was switched to another environment, account
        or region since ("" when it is still there)."""
        now = self.where
        if _place(now) == _place(where):  # the caller's ARN may change (a session renewed by ctrl+r): not the place
            return ""
        return (f"{action.title} refused: it was opened in {_place(where)}, and warroom is now on {_place(now)}; "
                "nothing was sent")

    async def recheck(self, action: Action) -> Recheck:
        """Read the target's current value (an AWS error propagates: nothing was sent)."""
        now = await self.backend.current(action)
        if now == action.before:
            return Recheck("same", now)
        return Recheck("moot" if now == action.after or now in action.moot else "changed", now)

    async def send(self, action: Action, where: Where) -> Sent:
        """Audit the intent (nothing is sent when it cannot be written), run, audit the outcome. Whatever ends it
        after the intent (an answer, an AWS error, cancellation, the app closing), an outcome record follows."""
        refused = self.moved(action, where) or self.refusal(action.title)  # as it is now, after the confirm
        if refused:
            return Sent(None, refused)
        self.sending = True
        try:
            return await self._send(action, self._record(action, where))
        finally:
            self.sending = False

    async def _send(self, action: Action, record: dict[str, Any]) -> Sent:
        try:
            await asyncio.to_thread(self.audit.write, {**record, "phase": "intent"})
        except OSError as exc:
            return Sent(None, f"{action.title} not sent: the audit log cannot be written ({exc})")
        try:
            request_id = await self.backend.run(action)
        except Exception as caught:
            exc = map_error(caught)
            problem = await asyncio.to_thread(self._outcome, record, {
                "outcome": "error", "error_code": exc.code, "error_message": exc.message})
            return Sent(None, f"{action.title} failed: {exc.one_line()}" + (f" ({problem})" if problem else ""))
        except BaseException as caught:  # cancelled or interrupted: whether AWS did it is not known
            self._outcome(record, {"outcome": "unknown",
                                   "error_message": f"interrupted ({type(caught).__name__}) before AWS answered"})
            raise
        problem = await asyncio.to_thread(self._outcome, record, {"outcome": "ok", "request_id": request_id})
        return Sent(request_id, f"{action.title} was sent (request {request_id}), but {problem}" if problem else "")

    def _outcome(self, record: dict[str, Any], outcome: dict[str, Any]) -> str:
        """Write the outcome record; "" or why it could not be written."""
        try:
            self.audit.write({**record, "phase": "outcome", **outcome})
        except OSError as exc:
            return f"its outcome could not be written to the audit log: {exc}"
        return ""

    @staticmethod
    def _record(action: Action, where: Where) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": secrets.token_hex(6),  # the same in the intent and its outcome: `warroom audit` pairs them
            "caller": where.identity.arn, "environment": where.environment, "account": where.identity.account,
            "region": where.identity.region, "action": action.name, "target": action.target,
            "before": action.before, "after": action.after, "cli": action.cli.text}
        if action.targets:
            record["targets"] = list(action.targets)
        if action.until:
            record["until"] = action.until
        return record


def _place(where: Where) -> str:
    return f"{where.environment} ({where.identity.account}, {where.identity.region})"
