"""A real terminal for the acceptance suite: the installed `warroom` in tmux, typed at and read like a person.

Each Terminal has a tmux server of its own (its own socket, no user config), so scenarios run in parallel and a
stray session never outlives its test. Keys go in with `send-keys` and are counted; the screen comes back with
`capture-pane -p`. Waits are on screen text, polled, never fixed sleeps.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from pathlib import Path
from typing import Callable, Sequence

TMUX_MISSING = "tmux is missing: the real-terminal suite needs it (apt-get install tmux)"
NAMED = frozenset({"Enter", "Escape", "Tab", "BTab", "BSpace", "Up", "Down", "Left", "Right", "Home", "End",
                   "PPage", "NPage", "Space"})


def tmux_binary() -> str:
    found = shutil.which("tmux")
    if found is None:
        raise RuntimeError(TMUX_MISSING)
    return found


class Terminal:
    """One tmux window of `width`×`height` running `command` with exactly `env` (TERM=xterm-256color)."""

    def __init__(self, command: Sequence[str], env: dict[str, str], *, width: int = 80, height: int = 24,
                 cwd: Path | None = None) -> None:
        self.tmux = tmux_binary()
        self.socket = f"warroom-e2e-{uuid.uuid4().hex[:10]}"
        self.width, self.height = width, height
        self.keys = 0
        environment = ["env", "-i", *(f"{k}={v}" for k, v in {**env, "TERM": "xterm-256color"}.items())]
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", str(width), "-y", str(height),
                   *(["-c", str(cwd)] if cwd else []), "--", *environment, *command)
        self._tmux("set-option", "-t", "e2e", "remain-on-exit", "on")

    def _tmux(self, *args: str) -> str:
        done = subprocess.run([self.tmux, "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        if done.returncode:
            raise RuntimeError(f"tmux {' '.join(args[:2])}: {done.stderr.strip()}")
        return done.stdout

    def press(self, *keys: str) -> None:
        """Send keys one by one: tmux key names (`Enter`, `Down`, `C-p`) or single characters."""
        for key in keys:
            if key not in NAMED and len(key) != 1 and not key.startswith(("C-", "M-")):
                raise ValueError(f"{key!r}: use type() for text")
            self._tmux("send-keys", "-t", "e2e", *(["-l", "--", key] if len(key) == 1 else [key]))
            self.keys += 1

    def burst(self, *keys: str) -> None:
        """Send keys in one write, as a fast typist or a slow link delivers them: tmux key names or characters."""
        self._tmux("send-keys", "-t", "e2e", *keys)
        self.keys += len(keys)

    def type(self, text: str) -> None:
        """Type text literally, one key per character."""
        self._tmux("send-keys", "-t", "e2e", "-l", "--", text)
        self.keys += len(text)

    def screen(self, scrollback: bool = False) -> str:
        return self._tmux("capture-pane", "-p", "-t", "e2e", *(["-S", "-"] if scrollback else []))

    def wait(self, predicate: str | Callable[[str], bool], timeout: float = 30.0) -> str:
        """The screen once `predicate` (a text that must appear, or a test of the screen) holds."""
        test = (lambda screen: predicate in screen) if isinstance(predicate, str) else predicate
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if test(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout:.0f}s for {predicate!r}; the screen:\n{screen}")
            time.sleep(0.15)

    def gone(self, predicate: str, timeout: float = 30.0) -> str:
        """The screen once `predicate` no longer appears on it."""
        return self.wait(lambda screen: predicate not in screen, timeout)

    def dead(self) -> int | None:
        """The command's exit status once it has ended, else None."""
        status = self._tmux("display-message", "-p", "-t", "e2e", "#{pane_dead} #{pane_dead_status}").split()
        return int(status[1]) if status and status[0] == "1" and len(status) > 1 else None

    def close(self) -> None:
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], capture_output=True, timeout=20)

    def title(self) -> str:
        """The pane's title, as an escape (OSC 0/2) may have set it."""
        return self._tmux("display-message", "-p", "-t", "e2e", "#{pane_title}").rstrip("\n")

    def allow_clipboard(self) -> None:
        """Let the program write tmux's clipboard with OSC 52 (`set-clipboard on`): each copy becomes a buffer."""
        self._tmux("set-option", "-g", "set-clipboard", "on")

    def buffers(self) -> list[str]:
        """The names of tmux's paste buffers, newest first (OSC 52 copies land here with allow_clipboard)."""
        return self._tmux("list-buffers", "-F", "#{buffer_name}").splitlines()

    def clipboard(self) -> bytes | None:
        """The newest paste buffer's bytes exactly as the program wrote them, or None when there is none."""
        if not self.buffers():
            return None
        done = subprocess.run([self.tmux, "-L", self.socket, "show-buffer"], capture_output=True, timeout=20,
                              check=False)
        if done.returncode:
            raise RuntimeError(f"tmux show-buffer: {done.stderr.decode(errors='replace').strip()}")
        return done.stdout

    def paste(self, text: str) -> None:
        """Paste text as a terminal does (bracketed when the program asked for it) through a tmux buffer that is
        deleted as it is pasted, so no buffer is left behind."""
        self._tmux("set-buffer", "-b", "e2e-paste", "--", text)
        self._tmux("paste-buffer", "-p", "-d", "-r", "-b", "e2e-paste", "-t", "e2e")
