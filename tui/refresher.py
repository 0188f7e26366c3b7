"""The one refresher: per pane, one read in flight, re-armed after each read, capped exponential backoff.

What is read is a `Source`: an object that the refresher and the widget showing it both hold (compared by
identity, so two detail screens of the same row are two sources). Its read is an async callable from the backend;
results go to the widget that shows them as `Refreshed` / `RefreshFailed` messages (they bubble on to its
screen, which may act on them too).

Panes failing on the same service (other than throttled) wait in one queue and take turns, so the service gets
one try per backoff period (at most 30 s) however many panes fail on it; when a read against it succeeds again,
every pane waiting on it reads at once. After an outage every pane is fresh within about 30 s of its end.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from time import monotonic
from typing import Any, Generic, TypeVar

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.timer import Timer

from warroom import clock
from warroom.backend import Read
from warroom.data.errors import AwsError, map_error

BACKOFF_CAP = 30.0  # errors other than throttling
THROTTLED_CAP = 120.0


T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Source:
    """One thing read on a schedule. `service` is what it is read from: sources failing on the same service take
    turns and recover together. By default "aws": the app reads one account and region, whose outages (network,
    credentials, a regional event) its panes share."""

    name: str
    service: str = "aws"


@dataclass
class Refreshed(Message, Generic[T]):
    """A source's read succeeded: `data` is the new immutable snapshot."""

    source: Source
    data: T
    at: datetime


@dataclass
class RefreshFailed(Message):
    """A source's read failed; its widget keeps the last good data and says why, and when the next try is."""

    source: Source
    error: AwsError
    failures: int
    retry_in: float


def backoff(interval: float, failures: int, throttled: bool = False) -> float:
    """Delay before the next try after `failures` consecutive failures: doubling from the interval, capped at
    30 s; when throttled capped at 120 s, then up to a quarter more at random so that throttled panes spread
    out. An interval longer than the cap is never shortened."""
    cap = THROTTLED_CAP if throttled else BACKOFF_CAP
    delay = min(interval * 2 ** min(failures, 16), max(cap, interval))
    return delay * (1 + random.random() / 4) if throttled else delay


@dataclass
class _Pane:
    read: Read
    target: MessagePump
    interval: float
    service: str
    failures: int = 0
    in_flight: bool = False
    timer: Timer | None = None


@dataclass
class _Service:
    """The panes failing on one service (not throttled) in turn order, and the service's failures since it last
    succeeded again: its turns come one backoff apart, so n panes failing at once make it 30 s at once."""

    waiting: list[Source] = field(default_factory=list)
    failures: int = 0
    turn: Timer | None = None
    turn_at: float = 0.0


class Refresher:
    """Schedules every pane's reads on the app's event loop."""

    def __init__(self, app: App[Any], interval: float) -> None:
        self.app = app
        self.interval = interval
        self._panes: dict[Source, _Pane] = {}
        self._services: dict[str, _Service] = {}

    def add(self, source: Source, read: Read, target: MessagePump, interval: float | None = None) -> None:
        """Read `source` now, then every interval, and tell `target`; replaces the source's read if it had one."""
        self.remove(source)
        self._panes[source] = _Pane(read, target, interval or self.interval, source.service)
        self._start(source)

    def remove(self, name: Source) -> None:
        pane = self._panes.pop(name, None)
        if pane:
            self._leave_queue(name, pane)
            if pane.timer:
                pane.timer.stop()

    def refresh_now(self, names: list[Source] | None = None) -> None:
        """Read these panes (default all) now, unless a read is already in flight; resets their backoff."""
        for name in names or list(self._panes):
            pane = self._panes.get(name)
            if pane and not pane.in_flight:
                self._start(name)
                pane.failures = 0  # after _start, which noted whether the pane was failing

    def _start(self, name: Source) -> None:
        pane = self._panes.get(name)
        if pane is None or pane.in_flight:
            return
        self._leave_queue(name, pane)
        if pane.timer:
            pane.timer.stop()
            pane.timer = None
        pane.in_flight = True
        self.app.run_worker(self._run(name, pane, pane.failures > 0), group=f"refresh:{name.name}",
                            exit_on_error=False)

    async def _run(self, name: Source, pane: _Pane, failing: bool) -> None:
        error: AwsError | None = None
        try:
            data = await pane.read()
        except Exception as exc:  # every failure becomes a pane error, never a crash
            error = map_error(exc)
            pane.failures += 1
        else:
            pane.failures = 0
        finally:
            pane.in_flight = False
        if self._panes.get(name) is not pane:  # a pane replaced or removed meanwhile gets nothing from its old read
            return
        if error is None:
            pane.target.post_message(Refreshed(name, data, clock.now()))
            pane.timer = self.app.set_timer(pane.interval, lambda: self._start(name))
            if failing:
                self._retry_waiting(pane.service)
        elif error.throttled:
            delay = backoff(pane.interval, pane.failures, throttled=True)
            pane.target.post_message(RefreshFailed(name, error, pane.failures, delay))
            pane.timer = self.app.set_timer(delay, lambda: self._start(name))
        else:
            pane.target.post_message(RefreshFailed(name, error, pane.failures, self._wait(name, pane)))

    # The panes failing on one service take turns ---------------------------------------------------------
    def _wait(self, name: Source, pane: _Pane) -> float:
        """Queue a pane behind the others failing on its service; returns the seconds until its turn."""
        service = self._services.setdefault(pane.service, _Service())
        service.failures += 1
        service.waiting.append(name)
        if service.turn is None:
            self._arm_turn(pane.service, service, name)
        later = sum(backoff(self._panes[n].interval, service.failures) for n in service.waiting[1:])
        return service.turn_at - monotonic() + later

    def _arm_turn(self, key: str, service: _Service, name: Source) -> None:
        delay = backoff(self._panes[name].interval, service.failures)
        service.turn = self.app.set_timer(delay, lambda: self._turn(key))
        service.turn_at = monotonic() + delay

    def _turn(self, key: str) -> None:
        """The service's turn: start the first pane waiting on it; the next one's turn comes a backoff later."""
        service = self._services[key]
        service.turn = None
        if service.waiting:
            head, *others = service.waiting
            if others:
                self._arm_turn(key, service, others[0])
            self._start(head)

    def _retry_waiting(self, key: str) -> None:
        """A read against the service succeeded again: every pane waiting on it reads now."""
        service = self._services.pop(key, None)
        if service:
            if service.turn:
                service.turn.stop()
            for name in service.waiting:
                self._start(name)

    def _leave_queue(self, name: Source, pane: _Pane) -> None:
        service = self._services.get(pane.service)
        if service and name in service.waiting:
            service.waiting.remove(name)
