"""SafeInput: a default from outside reaches the terminal cleaned; typed or pasted control characters are refused."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult

from tests.hostile import corpus
from warroom.untrusted import clean
from warroom.widgets.safe_input import SafeInput

CONTROLS = {*range(0x20), 0x7F, *range(0x80, 0xA0)}


class OneInput(App[None]):
    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value

    def compose(self) -> ComposeResult:
        yield SafeInput(value=self.value, placeholder=self.value)


def no_controls(text: str) -> bool:
    return not any(ord(char) in CONTROLS for char in text)


@pytest.mark.parametrize("name,value", corpus(), ids=[name for name, _ in corpus()])
async def test_a_hostile_default_is_shown_cleaned(name, value):
    text = value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value
    app = OneInput(text)
    async with app.run_test(size=(80, 5)):
        field = app.query_one(SafeInput)
        assert field.value == clean(text) and field.placeholder == clean(text)
        assert no_controls(field.value)


async def test_typed_and_pasted_controls_are_refused():
    app = OneInput("api")
    async with app.run_test(size=(80, 5)) as pilot:
        field = app.query_one(SafeInput)
        field.focus()
        await pilot.press("end", "-", "x")
        field.post_message(events.Paste("\x1b]2;owned\x1b\\title"))
        await pilot.pause()
        field.post_message(events.Paste("\x9b2J"))
        await pilot.pause()
        assert field.value == "api-x"
        field.post_message(events.Paste("-ok"))
        await pilot.pause()
        assert field.value == "api-x-ok"
