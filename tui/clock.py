"""The app's one clock, so ages on screen can be frozen for snapshot tests."""

from __future__ import annotations

from datetime import datetime, timezone

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen or datetime.now(timezone.utc)


def freeze(at: datetime | None) -> None:
    """Freeze `now()` at `at` (an aware datetime), or unfreeze with None."""
    global _frozen
    _frozen = at
