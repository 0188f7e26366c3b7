"""SIGHUP, SIGTERM or the terminal going away end warroom within 5 s, whatever is in flight.

Each test runs the real `warroom` in a pty against 20×25 services behind a proxy that delays every request, so
reads are in flight when it is told to leave; before that, the proxy's delay is raised so that they hang.
Closing the pty's master is what an SSH drop or `tmux kill-session` does: the session gets SIGHUP, writes to
the terminal fail with EIO and reads from it end. Tests with stdin on a pipe see each of the last two alone.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.fault_proxy import FaultProxy
from warroom.demo.world import ServiceSpec, create_services

ROOT = Path(__file__).resolve().parents[2]
FLEET = [ServiceSpec(f"cluster-{c:02d}", f"svc-{c:02d}-{s:02d}", 2, revisions=1) for c in range(20) for s in range(25)]
DELAY = 0.03  # seconds each request waits in the proxy while the app runs
UNDER_LOAD = 8.0  # seconds the app refreshes the fleet before it is told to leave
HANG = 60.0  # the delay once reads should be hanging: longer than any test
GONE_WITHIN = 5.0
LEFT_ALT_SCREEN = b"\x1b[?1049l"


@dataclass
class Warroom:
    """A `warroom` process in a pty; `master` is the terminal's side, `audit` its audit log."""

    process: subprocess.Popen[bytes]
    master: int
    audit: Path

    def read(self, needle: bytes = b"", timeout: float = 30.0) -> bytes:
        """The output until `needle` shows (an empty needle: all of it for `timeout` seconds)."""
        seen = b""
        deadline = time.monotonic() + timeout
        while (not needle or needle not in seen) and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(self.master, 65536)
                except OSError:
                    break
        return seen

    def press(self, keys: bytes) -> None:
        if self.process.stdin:
            self.process.stdin.write(keys)
            self.process.stdin.flush()
        else:
            os.write(self.master, keys)

    def drop_terminal(self) -> None:
        os.close(self.master)
        self.master = -1

    def gone_within(self, seconds: float) -> bool:
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.audit.read_text().splitlines()] if self.audit.exists() else []


@pytest.fixture
def proxy(moto_server, seeder) -> Iterator[FaultProxy]:
    """The seeded fleet behind a proxy that delays every request by DELAY."""
    create_services(seeder, FLEET, tasks=False)
    running = FaultProxy(moto_server.endpoint)
    running.fault, running.delay = "delay", DELAY
    yield running
    running.close()


@pytest.fixture
def start(proxy: FaultProxy, tmp_path: Path) -> Iterator[Callable[..., Warroom]]:
    """start() runs `warroom --refresh 6` in a new session with a new pty as its controlling terminal and its
    stdin, stdout and stderr (as in tmux); start(tty_input=False) with stdin a pipe instead (`process.stdin`).
    It returns once the app has drawn its panes."""
    started: list[Warroom] = []

    def run(tty_input: bool = True) -> Warroom:
        master, child = pty.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**os.environ, "AWS_ENDPOINT_URL": proxy.endpoint, "XDG_CONFIG_HOME": str(tmp_path),
               "XDG_STATE_HOME": str(tmp_path), "TERM": "xterm-256color"}
        process = subprocess.Popen(
            [sys.executable, "-m", "warroom.cli", "--refresh", "6"], cwd=ROOT, env=env,
            stdin=child if tty_input else subprocess.PIPE, stdout=child, stderr=child, start_new_session=True,
            preexec_fn=(lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0)) if tty_input else None)
        os.close(child)
        app = Warroom(process, master, tmp_path / "warroom" / "log" / "audit.jsonl")
        started.append(app)
        assert b"Services" in app.read(b"Services"), "the app never drew its panes"
        return app

    yield run
    for app in started:
        if app.process.poll() is None:
            app.process.kill()
            app.process.wait()
        if app.master >= 0:
            os.close(app.master)
        if app.process.stdin:
            app.process.stdin.close()


def hang_reads(app: Warroom, proxy: FaultProxy) -> None:
    """Let the app refresh the fleet for a while, then make its requests hang and ask for a refresh (`r`);
    returns once requests are waiting in the proxy."""
    app.read(timeout=UNDER_LOAD)
    assert proxy.count() > len(FLEET) / 10, "the app did not read the fleet"
    proxy.delay = HANG
    before = proxy.count()
    app.press(b"r")
    deadline = time.monotonic() + 10
    while proxy.count() <= before and time.monotonic() < deadline:
        app.read(timeout=0.2)
    assert proxy.count() > before, "no read went out"


@pytest.mark.parametrize("tty_input", [True, False], ids=["SSH-drop", "EIO-on-write-only"])
def test_a_dropped_terminal_ends_the_app_within_5s(start, proxy, tty_input):
    app = start(tty_input)
    hang_reads(app, proxy)
    app.drop_terminal()
    assert app.gone_within(GONE_WITHIN), "the app outlived its terminal"
    assert app.process.returncode == 0  # it left the way `q` does, not cut off at the deadline


def test_its_input_closing_ends_the_app_within_5s_with_the_terminal_restored(start, proxy):
    app = start(tty_input=False)
    hang_reads(app, proxy)
    app.process.stdin.close()
    rest = app.read(LEFT_ALT_SCREEN, GONE_WITHIN)
    assert app.gone_within(0.5), "the app outlived its input"
    assert app.process.returncode == 0
    assert LEFT_ALT_SCREEN in rest


@pytest.mark.parametrize("hangup", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_signal_ends_the_app_within_5s_with_the_terminal_restored(start, proxy, hangup):
    app = start()
    hang_reads(app, proxy)
    app.process.send_signal(hangup)
    rest = app.read(LEFT_ALT_SCREEN, GONE_WITHIN)
    assert app.gone_within(0.5), "the app outlived the signal"
    assert app.process.returncode == 0
    assert LEFT_ALT_SCREEN in rest  # left the alternate screen: the shell gets its terminal back
    assert b"Traceback" not in rest


def test_sigterm_ends_the_app_within_5s_when_its_terminal_takes_no_output(start, proxy):
    """A stalled SSH connection: nothing reads the terminal, so the app's output blocks, its event loop with it;
    then `kill`."""
    app = start()
    hang_reads(app, proxy)
    for _ in range(150):  # keys the app redraws for, while nothing reads what it draws
        app.press(b"\x1b[B\x1b[B\x1b[A")
        time.sleep(0.01)
    app.process.send_signal(signal.SIGTERM)
    assert app.gone_within(GONE_WITHIN), "the app outlived the signal"


def test_an_action_in_flight_when_the_terminal_drops_is_audited_unknown(start, proxy):
    app = start()
    app.read(b"svc-", 30)
    app.read(timeout=2)
    proxy.only, proxy.delay = {"UpdateService"}, HANG  # the redeploy's request hangs; nothing else waits
    app.press(b"D")
    assert b"Back (Esc)" in app.read(b"Back (Esc)", 15), "no confirm screen"
    app.read(timeout=0.5)  # the screen's keys work once it has the focus
    app.press(b"Y")
    deadline = time.monotonic() + 10
    while not app.records() and time.monotonic() < deadline:
        app.read(timeout=0.2)
    assert [r["phase"] for r in app.records()] == ["intent"], "the action never started"
    proxy.only = set()  # and now every read hangs too
    app.press(b"r")
    app.read(timeout=0.5)
    app.drop_terminal()
    assert app.gone_within(GONE_WITHIN), "the app outlived its terminal"
    intent, outcome = app.records()
    assert outcome["phase"] == "outcome" and outcome["outcome"] == "unknown"
    assert (outcome["action"], outcome["target"]) == (intent["action"], intent["target"])
