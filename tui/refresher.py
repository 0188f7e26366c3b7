"""The one refresher: per pane, one read in flight, re-armed after each read, capped exponential backoff.

A pane's read is an async callable from the data layer (its blocking boto3 calls run in the data layer's
thread pool). Results go to the pane's owner as `PaneUpdated` / `PaneFailed` messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Awaitable, Callable

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.timer import Timer

from tui import clock
from tui.data.errors import AwsError, map_error

Read = Callable[[], Awaitable[Any]]
BACKOFF_CAP = 120.0


class PaneUpdated(Message):
    """A pane's read succeeded: `data` is the new immutable snapshot."""

    def __init__(self, pane: str, data: Any, at: datetime) -> None:
        super().__init__()
        self.pane = pane
        self.data = data
        self.at = at


class PaneFailed(Message):
    """A pane's read failed; the pane keeps its last good rows and says why."""

    def __init__(self, pane: str, error: AwsError, failures: int, retry_in: float) -> None:
        super().__init__()
        self.pane = pane
        self.error = error
        self.failures = failures
        self.retry_in = retry_in


def backoff(interval: float, failures: int) -> float:
    """Delay before the next try after `failures` consecutive failures: doubling from the interval, capped."""
    return min(interval * 2 ** min(failures, 16), max(BACKOFF_CAP, interval))


@dataclass
class _Pane:
    read: Read
    target: MessagePump
    interval: float
    failures: int = 0
    in_flight: bool = False
    timer: Timer | None = None


class Refresher:
    """Schedules every pane's reads on the app's event loop."""

    def __init__(self, app: App[Any], interval: float) -> None:
        self.app = app
        self.interval = interval
        self._panes: dict[str, _Pane] = {}

    def add(self, name: str, read: Read, target: MessagePump, interval: float | None = None) -> None:
        """Start refreshing `name` now, then every interval; replaces a pane of the same name."""
        self.remove(name)
        self._panes[name] = _Pane(read, target, interval or self.interval)
        self._start(name)

    def remove(self, name: str) -> None:
        pane = self._panes.pop(name, None)
        if pane and pane.timer:
            pane.timer.stop()

    def refresh_now(self, names: list[str] | None = None) -> None:
        """Read these panes (default all) now, unless a read is already in flight; resets their backoff."""
        for name in names or list(self._panes):
            pane = self._panes.get(name)
            if pane and not pane.in_flight:
                pane.failures = 0
                self._start(name)

    def in_flight(self, name: str) -> bool:
        pane = self._panes.get(name)
        return bool(pane and pane.in_flight)

    def _start(self, name: str) -> None:
        pane = self._panes.get(name)
        if pane is None or pane.in_flight:
            return
        if pane.timer:
            pane.timer.stop()
            pane.timer = None
        pane.in_flight = True
        self.app.run_worker(self._run(name, pane), group=f"refresh:{name}", exit_on_error=False)

    async def _run(self, name: str, pane: _Pane) -> None:
        try:
            data = await pane.read()
        except Exception as exc:  # every failure becomes a pane error, never a crash
            pane.failures += 1
            delay = backoff(pane.interval, pane.failures)
            message: Message = PaneFailed(name, map_error(exc), pane.failures, delay)
        else:
            pane.failures = 0
            delay = pane.interval
            message = PaneUpdated(name, data, clock.now())
        finally:
            pane.in_flight = False
        if self._panes.get(name) is pane:  # a pane replaced or removed meanwhile gets nothing from its old read
            pane.target.post_message(message)
            pane.timer = self.app.set_timer(delay, lambda: self._start(name))
