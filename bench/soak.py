"""Soak: the real app for MINUTES against 500 services refreshed every 2 s, a log tail of 1,000 lines/s, and a
fault injected every 30 s (connection resets, HTTP 500s, 30 % throttling, answers past the read timeout, in
turn, 10 s each). Prints JSON: peak RSS and its growth over the run, the longest UI loop stall, AWS requests
per minute, and crashes (must be 0), and what caused the stalls: for each one over STALL_MS, the event loop
thread's stacks sampled while it lasted, its CPU time and the collector's passes within it.

The AWS side (moto, the seeding, the log writer, the fault proxy) runs in a child process, so its CPU does not
count as the app's stalls.

    .venv/bin/python bench/soak.py [--minutes 10] [--services 20x25] [--nice 19]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import child  # noqa: E402

GROUP = "/ecs/soak"
FAULTS = ("reset", "500", "ThrottlingException", "delay")
STALL_MS = 40.0  # stalls longer than this are attributed


class StallWatch:
    """A watchdog thread: while the loop's heartbeat (`beat()`, every 5 ms) is late it samples the loop thread's
    stack every 2 ms; stalls over STALL_MS keep their samples, the loop thread's CPU time and the gc passes."""

    def __init__(self, started: float, child: int) -> None:
        self.started, self.child = started, child  # the world's clock (for the fault cycle) and process id
        self.last = time.monotonic(), time.thread_time()  # the loop's latest beat: when, and its CPU time then
        self.thread = threading.main_thread().ident
        self.gc: deque[tuple[float, float, float, int, int]] = deque(maxlen=500)  # start, wall, CPU, gen, freed
        self.gc_totals = [[0, 0.0, 0.0, 0.0] for _ in range(3)]  # per generation: passes, seconds, longest, its CPU
        self.stalls: list[dict[str, object]] = []
        self.stacks: Counter[str] = Counter()
        gc.callbacks.append(self._gc)
        threading.Thread(target=self._watch, daemon=True).start()

    def beat(self) -> None:
        self.last = time.monotonic(), time.thread_time()

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_start = time.monotonic(), time.thread_time()
        else:
            (start, cpu), totals = self._gc_start, self.gc_totals[info["generation"]]
            seconds, cpu = time.monotonic() - start, time.thread_time() - cpu
            self.gc.append((start, seconds, cpu, info["generation"], info["collected"]))
            totals[:] = totals[0] + 1, totals[1] + seconds, *max(totals[2:], [seconds, cpu])

    def _stack(self) -> str:
        frame, names = sys._current_frames().get(self.thread), []
        while frame is not None and len(names) < 30:
            code = frame.f_code
            if "asyncio" not in code.co_filename:
                names.append(f"{Path(code.co_filename).name}:{frame.f_lineno} {code.co_name}")
            frame = frame.f_back
        return " < ".join(names)

    def _cpu(self) -> tuple[float, float, float]:
        """CPU seconds used so far by this process, by the AWS child and by the whole machine (all its cores)."""
        child = Path(f"/proc/{self.child}/stat").read_text().rsplit(")", 1)[1].split()
        machine = [int(n) for n in Path("/proc/stat").read_text().split()[1:9]]  # user ... steal
        tick = os.sysconf("SC_CLK_TCK")
        return time.process_time(), (int(child[11]) + int(child[12])) / tick, (sum(machine) - sum(machine[3:5])) / tick

    def _watch(self) -> None:
        while True:
            time.sleep(0.002)
            begun, cpu = self.last
            if time.monotonic() - begun < 0.015:
                continue
            sampled, cpu_before, samples = time.monotonic(), self._cpu(), Counter[str]()
            while self.last[0] == begun:
                samples[self._stack()] += 1
                time.sleep(0.002)
            ended, ended_cpu = self.last
            stall, window = (ended - begun - 0.005) * 1000, time.monotonic() - sampled
            app, child, machine = (round((b - a) / max(window, 1e-3), 2) for a, b in zip(cpu_before, self._cpu()))
            cores = {"app": app, "aws_child": child, "others": round(max(0.0, machine - app - child), 2)}
            if stall > STALL_MS:
                gcs = [{"gen": g, "ms": round(s * 1000, 1), "cpu_ms": round(c * 1000, 1), "freed": n}
                       for t, s, c, g, n in list(self.gc) if begun <= t <= ended and s > 1e-3]
                self.stacks.update(samples)
                self.stalls.append({"ms": round(stall, 1), "loop_cpu_ms": round((ended_cpu - cpu) * 1000, 1),
                                    "at_s": round(begun - self.started, 1),
                                    "cycle_s": round((begun - self.started) % 30, 1),
                                    "cores_busy": cores if window > 0.01 else None,  # None: not seen running
                                    "gc_ms": gcs, "stack": samples.most_common(1)[0][0] if samples else ""})

    def report(self) -> dict[str, object]:
        return {"stalls_over_ms": STALL_MS, "stalls": sorted(self.stalls, key=lambda s: -s["ms"])[:15],
                "count": len(self.stalls), "top_stacks": self.stacks.most_common(8),
                "gc": [{"generation": g, "passes": n, "total_ms": round(s * 1000), "longest_ms": round(m * 1000, 1),
                        "longest_cpu_ms": round(c * 1000, 1)} for g, (n, s, m, c) in enumerate(self.gc_totals)],
                "tracked": census()}


def census() -> dict[str, object]:
    """What a full collection walks: the tracked objects outside the frozen generation, the most common types."""
    kinds = Counter(type(o).__name__ for o in gc.get_objects())
    return {"objects": sum(kinds.values()), "frozen": gc.get_freeze_count(), "top": kinds.most_common(12)}


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
    child.tell(state, {"endpoint": proxy.endpoint, "requests": 0, "started": started, "cpu_s": 0.0,
                       "pid": os.getpid()})
    while True:
        elapsed = time.monotonic() - started
        cycle, within = divmod(elapsed, 30.0)
        fault = FAULTS[int(cycle) % len(FAULTS)] if within >= 20.0 else None
        proxy.fault, proxy.rate = fault, 0.3 if fault == "ThrottlingException" else 1.0
        child.tell(state, {"endpoint": proxy.endpoint, "requests": proxy.count(), "fault": fault,
                           "started": started, "cpu_s": time.process_time(), "pid": os.getpid()})
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
    cpu_stalls: list[float] = []  # the loop thread's CPU time within each: the stall without CPU contention
    samples: list[float] = []
    async with app.run_test(headless=True, size=(160, 50)) as pilot:
        await pilot.pause(STARTUP_SETTLED + 2)
        app.open_logs(LogTarget((GROUP,), label="soak"))
        first = child.read(state)
        watch, cpu = StallWatch(first["started"], first["pid"]), time.process_time()
        loop = asyncio.get_running_loop()
        start = last_sample = time.monotonic()
        samples.append(rss_mib())
        watch.beat()
        while time.monotonic() - start < minutes * 60:
            before, cpu_before = loop.time(), time.thread_time()
            await asyncio.sleep(0.005)
            watch.beat()
            stalls.append(loop.time() - before - 0.005)
            cpu_stalls.append(time.thread_time() - cpu_before - 0.005)
            if time.monotonic() - last_sample >= 10:
                samples.append(rss_mib())
                last_sample = time.monotonic()
        elapsed = time.monotonic() - start
        last = child.read(state)
        requests, cpu = last["requests"] - first["requests"], time.process_time() - cpu
        view = getattr(app.screen, "view", None)
        lines = len(view.lines) if view is not None else 0
        lag = (datetime.now(timezone.utc) - view.events[-1].timestamp).total_seconds() if lines else None
        crashed = app._exception is not None or not app.is_running
    aws.close()
    stalls.sort()
    cpu_stalls.sort()
    return {"date": time.strftime("%Y-%m-%d"), "minutes": round(elapsed / 60, 1), "ui_refresh_s": 2.0,
            "peak_rss_mib": round(max(samples), 1), "rss_start_mib": round(samples[0], 1),
            "rss_end_mib": round(samples[-1], 1), "rss_growth_mib": round(samples[-1] - samples[0], 1),
            "longest_stall_ms": round(stalls[-1] * 1000, 1), "p99_stall_ms": round(stalls[int(len(stalls) * .99)]
                                                                                 * 1000, 1),
            "stalls_over_50ms": sum(s > 0.05 for s in stalls), "longest_stall_cpu_ms": round(cpu_stalls[-1] * 1000, 1),
            "p99_stall_cpu_ms": round(cpu_stalls[int(len(cpu_stalls) * .99)] * 1000, 1),
            "stalls_over_50ms_cpu": sum(s > 0.05 for s in cpu_stalls),
            "requests_per_min": round(requests / (elapsed / 60)),
            "cpu_pct": {"app": round(100 * cpu / elapsed), "aws_child": round(100 * (last["cpu_s"] - first["cpu_s"])
                                                                              / elapsed)},
            "log_lines_kept": lines, "log_lag_s": lag and round(lag), "crashes": int(crashed),
            "causes": watch.report()}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--minutes", type=float, default=10.0)
    options.add_argument("--services", default="20x25")
    options.add_argument("--nice", type=int, default=0,
                         help="the AWS child's niceness (19: it yields the cores to warroom, as a remote AWS would)")
    options.add_argument("--world", metavar="STATE", help=argparse.SUPPRESS)
    args = options.parse_args()
    clusters, services = (int(n) for n in args.services.split("x"))
    if args.world:
        world(Path(args.world), clusters, services)
        return
    with child.world(__file__, "--services", args.services, nice=args.nice) as state:
        result = asyncio.run(soak(child.read(state)["endpoint"], state, args.minutes))
    print(json.dumps({"services": clusters * services, "aws_nice": args.nice,
                      "finished": datetime.now(timezone.utc).isoformat(), **result}, indent=2))


if __name__ == "__main__":
    main()
