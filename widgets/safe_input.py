"""`SafeInput`: the one Input for text that may come from outside. Textual's Input writes its value to the terminal
as it is, so a default taken from AWS (an alarm name, a snapshot id, a subnet group) could carry escapes that set
the title, write the clipboard or break the box. Its default value and placeholder pass `clean`; typed or pasted
text holding a control or invisible format character is refused (the field keeps its value); and its editing keys
act in the order typed."""

from __future__ import annotations

from typing import Any, Awaitable

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from warroom.untrusted import clean

OWN_KEYS = {key: b.action for b in Input.BINDINGS if isinstance(b, Binding) for key in b.key.split(",")}

# Characters `clean` makes visible: C0, DEL, C1, and the invisible format characters it names.
NO_CONTROLS = "[^\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]*"


class SafeInput(Input):
    """An Input whose default and placeholder are cleaned, and which refuses control characters typed or pasted."""

    def __init__(self, value: str = "", placeholder: str = "", **kwargs: Any) -> None:
        super().__init__(value=clean(value), placeholder=clean(placeholder), restrict=NO_CONTROLS, **kwargs)

    def _on_key(self, event: events.Key) -> Awaitable[None]:
        """Input's own keys (Enter, Backspace, the arrows...) act in the order they were typed. Through Textual's
        bindings they ran after the characters typed just behind them in one burst (a fast typist, a slow link):
        `12⌫345` gave `1234`, and Enter then `s` submitted `s`."""
        action = OWN_KEYS.get(event.key)
        if action is None:
            return super()._on_key(event)
        event.stop()
        event.prevent_default()
        return self.run_action(action)  # Textual awaits what a handler returns
