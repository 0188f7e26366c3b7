"""Log lines as text: the error quick filter, and one event as display or saved lines.

Shared by the log screen and `warroom logs`; every message goes through `tui.untrusted.clean` before it can
reach a terminal.
"""

from __future__ import annotations

import re
from datetime import timezone

from warroom.data.models import LogEvent
from warroom.untrusted import clean

LINE_LIMIT = 8192  # characters of one event shown before it is cut (the whole event opens on its own)
ERROR_WORDS = re.compile(r"ERROR|WARN|Exception|Traceback|FATAL|CRITICAL|panic", re.IGNORECASE)


def is_error(event: LogEvent) -> bool:
    return bool(ERROR_WORDS.search(event.message))


def tag(event: LogEvent, several_groups: bool) -> str:
    """The narrow group/stream column: the stream's last part, after the group's last part when several."""
    stream = event.stream.rsplit("/", 1)[-1][:12]
    if not several_groups:
        return stream
    return f"{event.group.rstrip('/').rsplit('/', 1)[-1][:14]}/{stream}"


def display_lines(event: LogEvent, *, times: bool, tag_text: str, tag_width: int, width: int = 0) -> list[str]:
    """One event as screen lines: time, tag, message; a multi-line message stays together, indented.

    With `width`, lines are cut into pieces of that many characters (wrap); every piece is safe for a terminal.
    """
    prefix = (event.timestamp.astimezone(timezone.utc).strftime("%H:%M:%S ") if times else "") + \
        f"{clean(tag_text):<{tag_width}} "
    body = clean(event.message.rstrip("\n"), multiline=True, limit=LINE_LIMIT).split("\n")
    lines = [prefix + body[0]] + [" " * len(prefix) + rest for rest in body[1:]]
    if width <= len(prefix) + 8:
        return lines
    wrapped: list[str] = []
    for line in lines:
        wrapped.append(line[:width])
        wrapped.extend(" " * len(prefix) + line[i:i + width - len(prefix)]
                       for i in range(width, len(line), width - len(prefix)))
    return wrapped


def saved_line(event: LogEvent) -> str:
    """One event as saved to a file: ISO time, group, stream, message (newlines as \\n), as received."""
    message = event.message.replace("\\", "\\\\").replace("\n", "\\n")
    return f"{event.timestamp.astimezone(timezone.utc).isoformat()}\t{event.group}\t{event.stream}\t{message}"


def plain_line(event: LogEvent, *, terminal: bool) -> str:
    """One event for `warroom logs`: like `aws logs tail`; made safe when stdout is a terminal."""
    stamp = event.timestamp.astimezone(timezone.utc).isoformat(timespec="milliseconds")
    line = f"{stamp} {event.stream} {event.message.rstrip(chr(10))}"
    return clean(line, multiline=True, limit=1 << 30) if terminal else line
