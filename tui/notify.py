"""Opt-in terminal notifications (`notify` in an environment's config): the bell, OSC 9 (iTerm2, Windows
Terminal, kitty…) or OSC 777 (rxvt, foot, Ghostty…). They travel in the terminal's own stream, so they work over
SSH; inside tmux they are wrapped in its passthrough (it needs `set -g allow-passthrough on`). Their text is
cleaned like any other: no control character of AWS's reaches the terminal, and no `;` can start a field."""

from __future__ import annotations

from warroom.untrusted import clean

KINDS = ("off", "bell", "osc9", "osc777")
LIMIT = 200


def _field(text: str) -> str:
    return clean(text, limit=LIMIT).replace(";", ",")


def sequence(kind: str, title: str, body: str, *, tmux: bool = False) -> str:
    """What to write to the terminal for one notification ("" when off)."""
    if kind == "bell":
        raw = "\a"
    elif kind == "osc9":
        raw = f"\x1b]9;{_field(title)}: {_field(body)}\x07"
    elif kind == "osc777":
        raw = f"\x1b]777;notify;{_field(title)};{_field(body)}\x07"
    else:
        return ""
    return f"\x1bPtmux;{raw.replace(chr(27), chr(27) * 2)}\x1b\\" if tmux else raw
