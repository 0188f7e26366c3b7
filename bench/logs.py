"""Benchmark the log screen: lines/s appended while the UI loop's longest stall stays under 50 ms; peak RSS.

Runs the real app headless with the log screen open on a synthetic tail that delivers RATE lines/s (in the
batches the 2 s poll would bring, multi-line stack traces and long lines among them) for SECONDS per rate, and
prints JSON: per rate, the lines appended per second, the longest and the 99th-percentile event-loop stall
(a 5 ms sleeper's lateness), the backlog left, and the process's peak RSS.

    .venv/bin/python bench/logs.py [--rates 1000,2000,5000] [--seconds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from warroom.screens.logs import LogScreen  # noqa: E402
from warroom.app import STARTUP_SETTLED, WarroomApp  # noqa: E402
from warroom.data.models import LogBatch, LogEvent, LogTarget  # noqa: E402
from tests.snapshot_app import FixtureBackend  # noqa: E402

MESSAGES = (
    "INFO GET /api/v1/orders/{i} 200 12ms",
    "WARN slow query took 1840ms: SELECT * FROM sessions WHERE id = {i}",
    "ERROR Traceback (most recent call last):\n  File \"/app/x.py\", line {i}\nValueError: bad {i}",
    "INFO payload " + "x" * 600 + " {i}",
)


class BenchBackend(FixtureBackend):
    """Empty panes and a synthetic log tail at `rate` lines/s."""

    def __init__(self, rate: int) -> None:
        super().__init__()
        self.rate = rate
        self.produced = 0

    async def services(self) -> tuple[()]:
        return ()

    alarms = databases = services  # type: ignore[assignment]

    def log_tail(self, target: LogTarget, since: datetime, pattern: str) -> Any:
        return SyntheticTail(self, target)


class SyntheticTail:
    """Delivers the app's `rate` lines/s since the previous read, made off the loop as the data layer does."""

    def __init__(self, app: BenchBackend, target: LogTarget) -> None:
        self.app = app
        self.target = target
        self.last = time.monotonic()

    def close(self) -> None:
        pass

    async def read(self) -> LogBatch:
        app, target = self.app, self.target

        def make(count: int, first: int) -> tuple[LogEvent, ...]:
            stamp = datetime.now(timezone.utc)
            return tuple(
                LogEvent(str(first + i), stamp - timedelta(milliseconds=count - i), target.groups[0],
                         "app/app/bench", MESSAGES[i % len(MESSAGES)].format(i=first + i))
                for i in range(count))

        now = time.monotonic()
        count, self.last = int((now - self.last) * app.rate), now
        first, app.produced = app.produced, app.produced + count
        events = await asyncio.to_thread(make, count, first)
        return LogBatch(events, "poll", datetime.now(timezone.utc))


async def measure(rate: int, seconds: float) -> dict[str, Any]:
    backend = BenchBackend(rate)
    app = WarroomApp(backend, interval=3600)
    stalls: list[float] = []
    async with app.run_test(headless=True, size=(160, 50)) as pilot:
        app.open_logs(LogTarget(("/bench/group",), label="bench"))
        await pilot.pause(STARTUP_SETTLED + 0.5)  # as in real use: measured after the app's startup settled
        screen = app.screen
        assert isinstance(screen, LogScreen)
        loop = asyncio.get_running_loop()
        start_produced, start = backend.produced, time.monotonic()
        while time.monotonic() - start < seconds:
            before = loop.time()
            await asyncio.sleep(0.005)
            stalls.append(loop.time() - before - 0.005)
        elapsed = time.monotonic() - start
        lines = len(screen.view.lines)
        newest = screen.view.event_at(lines - 1)  # the last event written; the tail numbers events from 0
        written = int(newest.id) + 1 if newest else 0
        appended, backlog = written - start_produced, backend.produced - written
    stalls.sort()
    return {
        "rate_offered": rate,
        "lines_per_s_appended": round(appended / elapsed),
        "longest_stall_ms": round(stalls[-1] * 1000, 1),
        "p99_stall_ms": round(stalls[int(len(stalls) * 0.99)] * 1000, 1),
        "median_stall_ms": round(statistics.median(stalls) * 1000, 2),
        "backlog_at_end": backlog,
        "lines_kept": lines,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="1000,2000,5000")
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    results = [asyncio.run(measure(int(rate), args.seconds)) for rate in args.rates.split(",")]
    print(json.dumps({"date": time.strftime("%Y-%m-%d"), "seconds": args.seconds, "results": results}, indent=2))


if __name__ == "__main__":
    main()
