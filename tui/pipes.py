"""The command-line tools end quietly when the reader of their output goes away (`warroom audit | head -1`)."""

from __future__ import annotations

import functools
import os
import sys
from typing import Callable, Sequence

CLOSED = 141  # what a shell reports for a writer killed by SIGPIPE (128 + 13), as for `yes | head -1`

Command = Callable[[Sequence[str]], int]


def quiet_when_closed(command: Command) -> Command:
    """`command`, ending with status CLOSED and nothing on stderr when stdout's reader closes the pipe."""
    @functools.wraps(command)
    def run(argv: Sequence[str]) -> int:
        try:
            code = command(argv)
            sys.stdout.flush()
            return code
        except BrokenPipeError:
            # What is still buffered would fail again at the interpreter's exit: drop it into /dev/null instead.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return CLOSED
    return run
