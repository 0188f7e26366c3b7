"""Leaving on time: once warroom is told to go (SIGHUP, SIGTERM, its terminal gone) or quits, the process ends
within DEADLINE seconds, whatever is in flight.

The app exits the way `q` does: its workers are cancelled, so an action in flight writes its `unknown` outcome
to the audit log, and the terminal is restored if it is still there. Reads still waiting on AWS in the pool
threads are abandoned: `finish` does not join them. Should leaving itself get stuck (an event loop blocked on a
terminal that takes no more output), SIGALRM, at its default action, has the kernel end the process at the
deadline (killed by SIGALRM: a shell shows exit status 142).
"""

from __future__ import annotations

import atexit
import os
import select
import signal
import sys
import threading
from contextlib import suppress
from typing import Any, Callable, NoReturn, TextIO

from textual.drivers.linux_driver import LinuxDriver

DEADLINE = 4.0  # seconds from the reason to leave to the process gone


def arm() -> None:
    """Have the kernel end the process DEADLINE seconds after the first call; safe in any thread and in a
    signal handler (later calls keep the first deadline)."""
    if signal.getitimer(signal.ITIMER_REAL)[0] == 0:
        signal.setitimer(signal.ITIMER_REAL, DEADLINE)


def finish(code: int) -> NoReturn:
    """End the process once the app has exited: the exit functions run (the demo's PostgreSQL stops) and stdio
    is flushed, but the threads still waiting on AWS are not joined as interpreter shutdown would."""
    arm()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # the terminal is gone
            stream.flush()
    os._exit(code)


class TerminalDriver(LinuxDriver):
    """Textual's Linux driver for a terminal that may go away. SIGHUP, SIGTERM, output failing (EIO) and input
    hanging up each arm the deadline and ask the app to exit. Output after a failure is dropped, so Textual's
    writer thread lives on and the event loop never blocks on its full queue."""

    def __init__(self, app: Any, **options: Any) -> None:
        super().__init__(app, **options)
        self._leaving = False
        self._file = _Output(self._file, self.leave)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the deadline's: even if the parent left it ignored
        for signum in (signal.SIGHUP, signal.SIGTERM):
            signal.signal(signum, lambda *_: self.leave())
        threading.Thread(target=self._watch_input, name="terminal-hangup", daemon=True).start()

    def leave(self) -> None:
        """Arm the deadline and ask the app to exit; from any thread or a signal handler."""
        arm()
        if not self._leaving:
            self._leaving = True
            with suppress(RuntimeError):  # the loop is closed: the app has exited already
                self._loop.call_soon_threadsafe(self._app.exit)

    def close(self) -> None:
        """The app is ending (however it was asked to): from here it has until the deadline."""
        arm()
        super().close()

    def suspend_application_mode(self) -> None:
        """Ctrl+Z (SIGTSTP) closes the driver too, without leaving: no deadline."""
        self.stop_application_mode()
        super().close()

    def _watch_input(self) -> None:
        poller = select.poll()
        poller.register(self.fileno, 0)  # hang-ups and errors only
        (_, events), = poller.poll()
        if not events & select.POLLNVAL:  # a tty that cannot be polled (macOS): output errors still tell
            self.leave()


class _Output:
    """The terminal's output as Textual's writer thread uses it: the first error calls `gone`; that write and
    every later one is dropped."""

    def __init__(self, file: TextIO, gone: Callable[[], None]) -> None:
        self._file = file
        self._gone = gone
        self._failed = False

    def write(self, text: str) -> None:
        self._do(self._file.write, text)

    def flush(self) -> None:
        self._do(self._file.flush)

    def fileno(self) -> int:
        return self._file.fileno()

    def _do(self, operation: Callable[..., Any], *args: Any) -> None:
        if self._failed:
            return
        try:
            operation(*args)
        except (OSError, ValueError):  # EIO: the terminal is gone (ValueError: its file was closed)
            self._failed = True
            self._gone()
