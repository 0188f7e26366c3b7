"""A dropped SSH session (SIGHUP) or `kill` (SIGTERM) ends warroom cleanly: exit 0 and the terminal restored."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tui.demo.world import ServiceSpec, create_services

ROOT = Path(__file__).resolve().parents[2]


def read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


@pytest.mark.parametrize("hangup", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_hangup_ends_the_app_with_the_terminal_restored(moto_server, seeder, tmp_path, hangup):
    create_services(seeder, [ServiceSpec("prod", "api", 2)], tasks=False)
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path), "TERM": "xterm-256color"}
    app = subprocess.Popen([sys.executable, "-m", "tui.cli"], cwd=ROOT, env=env, stdin=child, stdout=child,
                           stderr=child, start_new_session=True)
    os.close(child)
    try:
        assert b"Services" in read_until(main, b"Services", 30), "the app never drew its panes"
        app.send_signal(hangup)
        assert app.wait(timeout=15) == 0
        rest = read_until(main, b"\x1b[?1049l", 5)
        assert b"\x1b[?1049l" in rest  # left the alternate screen: the shell gets its terminal back
        assert b"Traceback" not in rest
    finally:
        if app.poll() is None:
            app.kill()
        os.close(main)
