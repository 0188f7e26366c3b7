"""Screens that close once: `dismiss` pops the app's top screen, whatever it is, so a second dismiss (an Enter or
Esc typed ahead while a screen closes) would close the screen below it too. `DismissOnce` acts only the first
time, and only while its screen is on top."""

from __future__ import annotations

from typing import Any, TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

from warroom.screens.hosted import Hosted

ResultT = TypeVar("ResultT")


class DismissOnce:
    """Mixed into a Screen (before it): dismissed once, and only while on top; `escape` bound to `dismiss`."""

    _dismissed = False

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self._dismissed or self.app.screen is not self:  # type: ignore[attr-defined]
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)  # type: ignore[misc]


class Modal(DismissOnce, Hosted, ModalScreen[ResultT]):
    """A modal screen that is dismissed once."""
