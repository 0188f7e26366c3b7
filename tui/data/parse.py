"""Small coercions from boto3 response values to the types the models hold."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def when(value: Any) -> datetime | None:
    return value if isinstance(value, datetime) else None


def iso_time(value: Any) -> datetime | None:
    """An ISO 8601 time written by warroom or PostgreSQL (six fraction digits, an offset); None if not one."""
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def integer(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def text(value: Any) -> str:
    return "" if value is None else str(value)


def optional_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
