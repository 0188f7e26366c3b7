"""Log lines as text: display lines (multi-line, wrap, safe), saved and plain lines."""

from __future__ import annotations

from datetime import datetime, timezone


from warroom.data.models import LogEvent
from warroom.logtext import display_lines, is_error, plain_line, saved_line



def event(message: str) -> LogEvent:
    return LogEvent("1", datetime(2026, 11, 23, 2, 59, 58, tzinfo=timezone.utc), "/ecs/api", "app/app/abc", message)


def test_multiline_message_stays_together_indented():
    lines = display_lines(event("Traceback:\n  File x\nValueError"), times=True, tag_text="abc", tag_width=5)
    assert lines == ["02:59:58 abc   Traceback:", "                 File x", "               ValueError"]


def test_wrap_cuts_at_width_and_indents():
    lines = display_lines(event("x" * 50), times=False, tag_text="t", tag_width=2, width=30)
    assert lines == ["t  " + "x" * 27, "   " + "x" * 23]
    assert all(len(line) <= 30 for line in lines)


def test_display_lines_are_safe():
    (line,) = display_lines(event("\x1b]0;owned\x07 [b]x[/b]\r"), times=False, tag_text="\x1b[2J", tag_width=4)
    assert line == "␛[2J ␛]0;owned␇ [b]x[/b]␍"


def test_error_quick_filter():
    assert is_error(event("java.lang.NullPointerException"))
    assert is_error(event("WARN disk"))
    assert not is_error(event("INFO ok"))


def test_saved_and_plain_lines():
    e = event("a\nb \x1b[2J")
    assert saved_line(e) == "2026-11-23T02:59:58+00:00\t/ecs/api\tapp/app/abc\ta\\nb \x1b[2J"
    assert plain_line(e, terminal=False) == "2026-11-23T02:59:58.000+00:00 app/app/abc a\nb \x1b[2J"
    assert plain_line(e, terminal=True) == "2026-11-23T02:59:58.000+00:00 app/app/abc a\nb ␛[2J"
