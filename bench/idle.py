"""Bytes the real app writes to its terminal: at idle (the fleet unchanged) and during one refresh of 500 services.

Starts a moto server (in this process) behind the test suite's counting proxy, seeds a fixed fleet that nothing
changes afterwards (no simulator), runs the installed `warroom --refresh 10` on a pty of 120x40 (TERM
xterm-256color, HOME and XDG directories in a temporary folder), waits until the first paint has settled, then
reads the pty's master side and counts every byte the app writes:

- idle: SECONDS with the fleet unchanged (the panes still refresh every 10 s; the log pane polls every 2 s);
- refresh: a second app on 20 x 25 = 500 services; one alarm's reason is changed, then the bytes from the first
  request of the next refresh until Services, Alarms and Databases have each read once, plus a second.

For each phase it prints as JSON: bytes, bytes/s, writes (bursts of output 20 ms apart: about one per frame), the
screen rows the cursor was moved to (rewritten at least in part) and their share of the terminal's rows, and the
printable cells written. `--keep DIR` also writes each phase's bytes to DIR/PHASE.bin, to see what was written.

    .venv/bin/python bench/idle.py [--seconds 60] [--size 120x40] [--phases idle,refresh] [--keep DIR]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fault_proxy import FaultProxy  # noqa: E402
from warroom.data.aws import Aws  # noqa: E402
from warroom.demo import server  # noqa: E402
from warroom.demo.world import ServiceSpec, create_instance, create_services, put_alarm, put_logs  # noqa: E402

REFRESH = 10.0  # the app's --refresh
SETTLE = REFRESH + 2  # seconds after the first data before counting: the first refresh after start is startup
GROUP = "/ecs/idle"
ALARMS = 30
DATABASES = 5
CUP = re.compile(rb"\x1b\[(\d+);(\d+)H")  # cursor position: where Textual starts each run of changed cells
ESCAPE = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])")
GAP = 0.02  # seconds of silence that end a burst of output


def reset(endpoint: str) -> None:
    for path in ("/moto-api/reset", "/moto-api/seed?a=42"):
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}{path}", method="POST")).read()


def seed(clusters: int, services: int) -> int:
    """A fleet that stays as it is: every 9th service one task short, events minutes to hours old, alarms (every
    6th in ALARM), databases and a log group with a few lines. Returns the number of services."""
    aws = Aws()
    specs = [ServiceSpec(f"cluster-{c:02d}", f"svc-{c:02d}-{s:03d}", 2, revisions=1, log_group=GROUP,
                         running=1 if (c * services + s) % 9 == 0 else None,
                         events=[(600 + 397 * ((c * services + s) % 17), "has reached a steady state.")])
             for c in range(clusters) for s in range(services)]
    create_services(aws, specs, tasks=False)
    for index in range(ALARMS):
        put_alarm(aws, f"alarm-{index:03d}", "ALARM" if index % 6 == 0 else "OK")
    for index in range(DATABASES):
        create_instance(aws, f"db-{index:02d}")
    put_logs(aws, GROUP, "app/app/idle", [f"INFO request {i} served in {i % 90} ms" for i in range(40)])
    aws.close()
    return len(specs)


class Terminal:
    """The installed `warroom` on a new pty of `columns` x `rows`, as its controlling terminal."""

    def __init__(self, endpoint: str, columns: int, rows: int) -> None:
        self.home = home = Path(tempfile.mkdtemp(prefix="warroom-idle-"))
        master, child = pty.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "XDG_"))}
        env.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                   AWS_DEFAULT_REGION=server.REGION, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
                   XDG_STATE_HOME=str(home / "state"), XDG_CACHE_HOME=str(home / "cache"),
                   XDG_DATA_HOME=str(home / "data"), TERM="xterm-256color")
        env.pop("COLORTERM", None)
        installed = Path(sys.executable).parent / "warroom"
        command = [str(installed)] if installed.exists() else [sys.executable, "-m", "warroom.cli"]
        self.process = subprocess.Popen(
            [*command, "--refresh", f"{REFRESH:g}"], cwd=home, env=env, stdin=child, stdout=child, stderr=child,
            start_new_session=True, preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(child)
        self.master = master
        self.seen = b""
        self.writes = 0  # bursts of output at least GAP apart: about one per frame Textual draws
        self._last = 0.0

    def pump(self, seconds: float) -> bytes:
        """Everything the app writes in the next `seconds` (the pty is read all along, so the app never blocks)."""
        out = b""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], min(left, 0.05))
            if ready:
                try:
                    out += os.read(self.master, 65536)
                except OSError:
                    break
                if time.monotonic() - self._last > GAP:
                    self.writes += 1
                self._last = time.monotonic()
        self.seen += out
        return out

    def wait_for(self, needle: bytes, timeout: float) -> None:
        """Read until `needle` has been written (or exit the benchmark saying what the app wrote instead)."""
        deadline = time.monotonic() + timeout
        while needle not in self.seen[-200_000:] and time.monotonic() < deadline:
            self.pump(0.2)
        if needle not in self.seen:
            raise SystemExit(f"bench/idle.py: the app never showed {needle!r}:\n{self.seen[-2000:]!r}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                end = time.monotonic() + 5
                while self.process.poll() is None and time.monotonic() < end:
                    self.pump(0.1)
            finally:
                if self.process.poll() is None:
                    self.process.kill()
                self.process.wait()
        os.close(self.master)
        shutil.rmtree(self.home, ignore_errors=True)


def figures(out: bytes, seconds: float, rows: int, writes: int) -> dict[str, object]:
    """Bytes, bytes/s, bursts of output, distinct rows the cursor was moved to (share of the screen) and the
    printable cells written."""
    touched = {int(row) for row, _ in CUP.findall(out)}
    cells = len(ESCAPE.sub(b"", out).decode("utf-8", "replace").replace("\r", "").replace("\n", ""))
    return {"seconds": round(seconds, 1), "bytes": len(out), "bytes_per_s": round(len(out) / seconds, 1),
            "writes": writes, "rows_rewritten": len(touched),
            "rows_rewritten_share": round(len(touched) / rows, 2), "cells_written": cells}


def started(endpoint: str, columns: int, rows: int) -> Terminal:
    """The app, once its first paint has settled: a pane has data, then SETTLE seconds more."""
    terminal = Terminal(endpoint, columns, rows)
    try:
        terminal.wait_for(b"updated", 60)
        terminal.pump(SETTLE)
    except BaseException:
        terminal.close()
        raise
    return terminal


def dump(path: str | None, phase: str, out: bytes) -> None:
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
        (Path(path) / f"{phase}.bin").write_bytes(out)


def idle(proxy: FaultProxy, seconds: float, columns: int, rows: int, keep: str | None) -> dict[str, object]:
    terminal = started(proxy.endpoint, columns, rows)
    try:
        before, writes = proxy.count(), terminal.writes
        start = time.monotonic()
        out = terminal.pump(seconds)
        dump(keep, "idle", out)
        result = figures(out, time.monotonic() - start, rows, terminal.writes - writes)
        result["aws_requests"] = proxy.count() - before
        return result
    finally:
        terminal.close()


READS = {"services": "ListClusters", "alarms": "DescribeAlarms", "databases": "DescribeDBInstances"}


def refresh_requests(proxy: FaultProxy) -> int:
    """Requests of the Services, Alarms and Databases reads (not the log pane's polls)."""
    return sum(proxy.count(op) for op in ("ListClusters", "ListServices", "DescribeServices", "DescribeAlarms",
                                          "DescribeDBInstances", "DescribeDBClusters"))


NEW_REASON = "Threshold Crossed: CPUUtilization at 97.50"  # as wide as the old one: the columns keep their widths


def refresh(proxy: FaultProxy, columns: int, rows: int, keep: str | None) -> dict[str, object]:
    """One alarm in ALARM (on screen) gets a new reason of the same width; then the bytes from the first request of
    the next read of any pane until Services, Alarms and Databases have each read once and a second has passed
    since the last of their requests (each pane's timer is re-armed after its own read, so their reads drift)."""
    terminal = started(proxy.endpoint, columns, rows)
    try:
        aws = Aws()
        aws.client("cloudwatch").set_alarm_state(AlarmName="alarm-000", StateValue="ALARM",
                                                 StateReason=NEW_REASON)
        aws.close()
        before = {pane: proxy.count(op) for pane, op in READS.items()}

        def read() -> set[str]:
            return {pane for pane, op in READS.items() if proxy.count(op) > before[pane]}

        deadline = time.monotonic() + REFRESH + 5
        while not read() and time.monotonic() < deadline:
            terminal.pump(0.01)
        start, writes, out = time.monotonic(), terminal.writes, b""
        last_request, count = start, refresh_requests(proxy)
        while (read() != set(READS) or time.monotonic() - last_request < 1.0) and time.monotonic() < deadline + 5:
            out += terminal.pump(0.05)
            if refresh_requests(proxy) != count:
                count, last_request = refresh_requests(proxy), time.monotonic()
        if read() != set(READS):
            raise SystemExit(f"bench/idle.py: only {sorted(read())} refreshed within {REFRESH + 10:g} s")
        dump(keep, "refresh", out)
        result = figures(out, time.monotonic() - start, rows, terminal.writes - writes)
        result["reads_s"] = round(last_request - start, 2)
        return result
    finally:
        terminal.close()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--seconds", type=float, default=60.0, help="length of the idle phase")
    options.add_argument("--size", default="120x40", help="terminal COLUMNSxROWS")
    options.add_argument("--idle-fleet", default="4x10", help="CLUSTERSxSERVICES at idle")
    options.add_argument("--refresh-fleet", default="20x25", help="CLUSTERSxSERVICES for the refresh phase")
    options.add_argument("--phases", default="idle,refresh")
    options.add_argument("--keep", metavar="DIR", help="write each phase's bytes to DIR/PHASE.bin")
    args = options.parse_args()
    columns, rows = (int(n) for n in args.size.split("x"))
    moto = server.start()
    server.use_endpoint(moto.endpoint)
    proxy = FaultProxy(moto.endpoint)
    report: dict[str, object] = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
                                 "terminal": f"{columns}x{rows}", "refresh_s": REFRESH, "alarms": ALARMS,
                                 "databases": DATABASES}
    try:
        for phase in args.phases.split(","):
            reset(moto.endpoint)
            server.use_endpoint(moto.endpoint)
            fleet = args.idle_fleet if phase == "idle" else args.refresh_fleet
            services = seed(*(int(n) for n in fleet.split("x")))
            if phase == "idle":
                report["idle"] = {"services": services, **idle(proxy, args.seconds, columns, rows, args.keep)}
            else:
                report["refresh"] = {"services": services, **refresh(proxy, columns, rows, args.keep)}
    finally:
        proxy.close()
        moto.stop()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
