"""The hostile-text corpus (tests/data/hostile.jsonl): escape sequences, markup, bidi, invalid UTF-8, and more."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from warroom.untrusted import clean

CORPUS = Path(__file__).with_name("data") / "hostile.jsonl"
MEGABYTE_LINE = "M" * (1 << 20)


def corpus() -> list[tuple[str, str | bytes]]:
    cases: list[tuple[str, str | bytes]] = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        cases.append((item["name"], base64.b64decode(item["b64"]) if "b64" in item else item["text"]))
    return cases


def as_message(value: str | bytes) -> str:
    """What a boto3 response would hold for it: bytes that are not UTF-8 arrive replaced."""
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value


def shown(value: str | bytes) -> str:
    """How the screen must show it: the sanitiser's output, literally."""
    return clean(value)
