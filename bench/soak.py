"""Soak: the real app for MINUTES against 500 services refreshed every 2 s, a log tail of 1,000 lines/s, and a
fault injected every 30 s (connection resets, HTTP 500s, 30 % throttling, answers past the read timeout, in
turn, 10 s each). Prints JSON: peak RSS and its growth over the run, the longest UI loop stall, AWS requests
per minute, and crashes (must be 0).

The AWS side (moto, the seeding, the log writer, the fault proxy) runs in a child process, so its CPU does not
count as the app's stalls.

    .venv/bin/python bench/soak.py [--minutes 10] [--services 20x25]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GROUP = "/ecs/soak"
FAULTS = ("reset", "500", "ThrottlingException", "delay")


def world(state: Path, clusters: int, services: int) -> None:
    """The child: moto, the fleet, 1,000 log lines/s, the fault proxy and its schedule; counts to `state`."""
    from tests.fault_proxy import FaultProxy
    from warroom.data.aws import Aws
    from warroom.demo import server
    from warroom.demo.world import ServiceSpec, create_instance, create_services, put_alarm, put_logs

    moto = server.start()
    server.use_endpoint(moto.endpoint)
    aws = Aws()
    create_services(aws, [ServiceSpec(f"soak-{c:02d}", f"svc-{c:02d}-{s:02d}", 2, log_group=GROUP)
                          for c in range(clusters) for s in range(services)], tasks=False)
    for index in range(50):
        put_alarm(aws, f"soak-alarm-{index:02d}", "ALARM" if index % 9 == 0 else "OK")
    for index in range(10):
        create_instance(aws, f"soak-db-{index}")
    proxy = FaultProxy(moto.endpoint)
    proxy.delay = 12.0  # past the app's 10 s read timeout

    def logs() -> None:
        count = 0
        while True:
            start = time.monotonic()
            put_logs(aws, GROUP, "app/app/soak", [f"INFO request {count + i} served in {i % 90} ms"
                                                  for i in range(500)])
            count += 500
            time.sleep(max(0.0, 0.5 - (time.monotonic() - start)))

    threading.Thread(target=logs, daemon=True).start()
    started = time.monotonic()
    state.write_text(json.dumps({"endpoint": proxy.endpoint, "requests": 0}))
    while True:
        elapsed = time.monotonic() - started
        cycle, within = divmod(elapsed, 30.0)
        fault = FAULTS[int(cycle) % len(FAULTS)] if within >= 20.0 else None
        proxy.fault, proxy.rate = fault, 0.3 if fault == "ThrottlingException" else 1.0
        state.write_text(json.dumps({"endpoint": proxy.endpoint, "requests": proxy.count(), "fault": fault}))
        time.sleep(1.0)


def rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


async def soak(endpoint: str, state: Path, minutes: float) -> dict[str, object]:
    from warroom.demo import server

    server.use_endpoint(endpoint)  # the fault proxy in front of the child's moto, with its fake credentials
    from warroom.app import STARTUP_SETTLED, WarroomApp
    from warroom.audit import AuditLog
    from warroom.aws_backend import AwsBackend
    from warroom.config import Environment
    from warroom.data.aws import Aws
    from warroom.data.identity import whoami
    from warroom.data.models import LogTarget

    aws = Aws()
    app = WarroomApp(AwsBackend(aws, Environment(name="soak", log_groups=(GROUP,)), whoami(aws)), interval=2.0,
                     audit=AuditLog(Path(tempfile.mkdtemp()) / "audit.jsonl"))
    stalls: list[float] = []
    samples: list[float] = []
    async with app.run_test(headless=True, size=(160, 50)) as pilot:
        await pilot.pause(STARTUP_SETTLED + 2)
        app.open_logs(LogTarget((GROUP,), label="soak"))
        first = json.loads(state.read_text())["requests"]
        loop = asyncio.get_running_loop()
        start = last_sample = time.monotonic()
        samples.append(rss_mib())
        while time.monotonic() - start < minutes * 60:
            before = loop.time()
            await asyncio.sleep(0.005)
            stalls.append(loop.time() - before - 0.005)
            if time.monotonic() - last_sample >= 10:
                samples.append(rss_mib())
                last_sample = time.monotonic()
        elapsed = time.monotonic() - start
        requests = json.loads(state.read_text())["requests"] - first
        view = getattr(app.screen, "view", None)
        lines = len(view.lines) if view is not None else 0
        crashed = app._exception is not None or not app.is_running
    aws.close()
    stalls.sort()
    return {"date": time.strftime("%Y-%m-%d"), "minutes": round(elapsed / 60, 1), "ui_refresh_s": 2.0,
            "peak_rss_mib": round(max(samples), 1), "rss_start_mib": round(samples[0], 1),
            "rss_end_mib": round(samples[-1], 1), "rss_growth_mib": round(samples[-1] - samples[0], 1),
            "longest_stall_ms": round(stalls[-1] * 1000, 1), "p99_stall_ms": round(stalls[int(len(stalls) * .99)]
                                                                                 * 1000, 1),
            "requests_per_min": round(requests / (elapsed / 60)), "log_lines_kept": lines, "crashes": int(crashed)}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--minutes", type=float, default=10.0)
    options.add_argument("--services", default="20x25")
    options.add_argument("--world", metavar="STATE", help=argparse.SUPPRESS)
    args = options.parse_args()
    clusters, services = (int(n) for n in args.services.split("x"))
    if args.world:
        world(Path(args.world), clusters, services)
        return
    state = Path(tempfile.mkdtemp()) / "world.json"
    child = subprocess.Popen([sys.executable, __file__, "--world", str(state), "--services", args.services],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not state.exists():
            time.sleep(0.5)
        result = asyncio.run(soak(json.loads(state.read_text())["endpoint"], state, args.minutes))
        print(json.dumps({"services": clusters * services, "finished": datetime.now(timezone.utc).isoformat(),
                          **result}, indent=2))
    finally:
        child.kill()


if __name__ == "__main__":
    main()
