"""First paint: seconds from starting the real app until its frame and header, and its first service row, show.

The AWS side (moto, seeded with 20 x 25 = 500 services, 30 alarms and 5 databases) runs in a child process, so
its CPU does not count as the app's. Each run starts the installed `warroom --refresh 10` on a new pty of 120x40
(TERM xterm-256color, HOME and XDG directories in a temporary folder) and reads the pty from the moment it is
spawned:

- first_bytes: anything written (the switch to the alternate screen);
- frame: the header (the environment's name) and the Services pane's border are on the screen;
- first_row: a seeded service's name is on the screen.

Prints JSON: each run's figures and their medians (seconds), the fleet, the date and the load average at the
start (another process on the same cores shows in the figures: compare runs made side by side).

    .venv/bin/python bench/first_paint.py [--runs 3] [--services 20x25] [--warroom PATH]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import child  # noqa: E402
from bench.idle import ALARMS, DATABASES, ESCAPE, seed  # noqa: E402

TIMEOUT = 60.0
ENV_NAME = b"default"  # no config file: the environment the credential chain finds
SERVICE = b"svc-"


def world(state: Path, clusters: int, services: int) -> None:
    """The child: moto and the fleet of bench/idle.py; writes the endpoint to `state`, then serves until killed."""
    from warroom.data.aws import Aws
    from warroom.demo import server

    moto = server.start()
    server.use_endpoint(moto.endpoint)
    seed(clusters, services)
    aws = Aws()
    aws.client("sts").get_caller_identity()  # moto loads each service's backend on its first request
    aws.close()
    child.tell(state, {"endpoint": moto.endpoint})
    while True:
        time.sleep(60)


def spawn(endpoint: str, warroom: Path, home: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`warroom --refresh 10` on a new pty of 120x40 as its controlling terminal; returns it and the master side."""
    master, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("AWS_", "XDG_")) and key != "COLORTERM"}
    env.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_DEFAULT_REGION="us-east-1", HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_STATE_HOME=str(home / "state"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_DATA_HOME=str(home / "data"), TERM="xterm-256color")
    process = subprocess.Popen([str(warroom), "--refresh", "10"], cwd=home, env=env, stdin=child, stdout=child,
                               stderr=child, start_new_session=True,
                               preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
    os.close(child)
    return process, master


def run(endpoint: str, warroom: Path) -> dict[str, float]:
    """One start: seconds from spawn to each milestone."""
    home = Path(tempfile.mkdtemp(prefix="warroom-first-paint-"))
    marks: dict[str, float] = {}
    seen = b""
    start = time.monotonic()
    process, master = spawn(endpoint, warroom, home)
    try:
        while "first_row" not in marks and time.monotonic() - start < TIMEOUT:
            if not select.select([master], [], [], 0.05)[0]:
                continue
            try:
                seen += os.read(master, 65536)
            except OSError:  # the app ended
                break
            now = time.monotonic() - start
            screen = ESCAPE.sub(b"", seen)
            marks.setdefault("first_bytes", now)
            if ENV_NAME in screen and b"Services" in screen:
                marks.setdefault("frame", now)
            if SERVICE in screen:
                marks.setdefault("frame", now)
                marks["first_row"] = now
    finally:
        process.send_signal(signal.SIGTERM)
        end = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < end:  # read on: the app never blocks writing
            if select.select([master], [], [], 0.05)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        if process.poll() is None:
            process.kill()
        process.wait()
        os.close(master)
        shutil.rmtree(home, ignore_errors=True)
    if "first_row" not in marks:
        raise SystemExit(f"bench/first_paint.py: no service row within {TIMEOUT:g} s:\n{seen[-2000:]!r}")
    return {name: round(marks[name], 3) for name in ("first_bytes", "frame", "first_row")}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=3)
    options.add_argument("--services", default="20x25", help="CLUSTERSxSERVICES")
    options.add_argument("--warroom", type=Path, default=ROOT / ".venv" / "bin" / "warroom",
                         help="the command to start (default: this repository's .venv/bin/warroom)")
    options.add_argument("--world", metavar="STATE", help=argparse.SUPPRESS)
    args = options.parse_args()
    clusters, services = (int(n) for n in args.services.split("x"))
    if args.world:
        world(Path(args.world), clusters, services)
        return
    load = os.getloadavg()[0]
    with child.world(__file__, "--services", args.services) as state:
        endpoint = child.read(state)["endpoint"]
        runs = [run(endpoint, args.warroom) for _ in range(args.runs)]
    print(json.dumps({
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "services": clusters * services,
        "alarms": ALARMS, "databases": DATABASES, "terminal": "120x40",
        "load_average": round(load, 2), "cpus": os.cpu_count(), "warroom": str(args.warroom),
        "median_s": {name: round(statistics.median(r[name] for r in runs), 3) for name in runs[0]},
        "runs_s": runs}, indent=2))


if __name__ == "__main__":
    main()
