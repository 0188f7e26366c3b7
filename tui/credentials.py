"""Temporary credentials running out: the header's time left, the warning 10 minutes before the end, and the
refusal of actions in the last 2 minutes (a call could fail halfway). botocore renews what it can by itself
(assumed roles, credential_process) before then; what it cannot renew (an SSO session that ended) needs the user."""

from __future__ import annotations

from datetime import datetime, timedelta

WARN_BEFORE = timedelta(minutes=10)
REFUSE_BEFORE = timedelta(minutes=2)
RENEW = "renew them (aws sso login for an SSO profile), then ctrl+r"


def left(expires: datetime | None, now: datetime) -> str:
    """The time left in whole minutes ("14m", "<1m", "ended"); "" for credentials that do not end."""
    if expires is None:
        return ""
    seconds = (expires - now).total_seconds()
    if seconds <= 0:
        return "ended"
    return f"{int(seconds // 60)}m" if seconds >= 60 else "<1m"


def running_out(expires: datetime | None, now: datetime, within: timedelta = WARN_BEFORE) -> bool:
    return expires is not None and expires - now <= within


def refusal(title: str, expires: datetime | None, now: datetime) -> str:
    """Why `title` may not be sent now because the credentials end within REFUSE_BEFORE ("" when it may)."""
    if not running_out(expires, now, REFUSE_BEFORE):
        return ""
    when = "have ended" if left(expires, now) == "ended" else f"end in {left(expires, now)}"
    return f"{title} refused: the credentials {when}, and a call could fail halfway: {RENEW}"
