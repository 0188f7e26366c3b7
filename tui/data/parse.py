"""Small coercions from boto3 response values to the types the models hold."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def when(value: Any) -> datetime | None:
    return value if isinstance(value, datetime) else None


def integer(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def text(value: Any) -> str:
    return "" if value is None else str(value)


def optional_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
