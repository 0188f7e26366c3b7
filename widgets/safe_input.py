"""`SafeInput`: the one Input for text that may come from outside. Textual's Input writes its value to the terminal
as it is, so a default taken from AWS (an alarm name, a snapshot id, a subnet group) could carry escapes that set
the title, write the clipboard or break the box. Its default value and placeholder pass `clean`; typed or pasted
text holding a control or invisible format character is refused (the field keeps its value)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from warroom.untrusted import clean

# Characters `clean` makes visible: C0, DEL, C1, and the invisible format characters it names.
NO_CONTROLS = "[^\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]*"


class SafeInput(Input):
    """An Input whose default and placeholder are cleaned, and which refuses control characters typed or pasted."""

    def __init__(self, value: str = "", placeholder: str = "", **kwargs: Any) -> None:
        super().__init__(value=clean(value), placeholder=clean(placeholder), restrict=NO_CONTROLS, **kwargs)
