"""Fixtures of the real-terminal suite: a seeded, moving world on the test's moto server and PostgreSQL, and
`warroom` started in tmux against it with HOME in a temporary folder."""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

from warroom.screens.confirm import REPRESS_SECONDS
from tests.e2e.runbook import record
from tests.e2e.terminal import Terminal, tmux_binary
from warroom.data.aws import Aws
from warroom.demo import fleet
from warroom.demo.pg_workload import Sessions
from warroom.demo.postgres import PostgresServer
from warroom.demo.server import MotoServer
from warroom.demo.simulator import Simulator

WARROOM = Path(sys.executable).with_name("warroom")
SIZES = {"80x24": (80, 24), "200x50": (200, 50)}


@pytest.fixture(scope="session", autouse=True)
def _tmux() -> None:
    """The suite needs tmux: without it every scenario fails with the one line saying how to install it."""
    try:
        tmux_binary()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def world(moto_server: MotoServer, seeder: Aws) -> Iterator[Simulator]:
    """The runbook-shaped demo fleet on the test's moto server, kept moving by the demo's simulator."""
    fleet.seed(seeder)
    simulator = Simulator(seeder, period=1.0, seed=11)
    simulator.start()
    yield simulator
    simulator.stop()


@dataclass
class Warroom:
    """A running `warroom` in tmux; `home` is its HOME (config, audit log), `terminal` types and reads."""

    terminal: Terminal
    home: Path
    task: str = ""
    production: bool = False
    confirmed_at: float = float("-inf")  # when `Y` was last pressed (a second `Y` within 1 s is not a fresh press)

    def audit(self) -> list[dict]:
        path = self.home / ".local" / "state" / "warroom" / "log" / "audit.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def config_text(database: dict[str, str] | None, production: bool) -> str:
    lines = ["[env.e2e]", f"production = {str(production).lower()}"]
    if database:
        lines.append("[env.e2e.database]")
        lines += [f'{key} = "{value}"' for key, value in database.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def start(moto_server: MotoServer, tmp_path: Path) -> Iterator[Callable[..., Warroom]]:
    """start(task, size="80x24", production=False, database=None, args=(), endpoint="", config="", aws_config="")
    runs warroom in tmux (against `endpoint`, default the moto server; `config`: the config file's text instead of
    one `e2e` environment; `aws_config`: ~/.aws/config); the keys it is sent are recorded under `task` for the
    keystroke table when the test passes."""
    started: list[Warroom] = []

    def run(task: str, *, size: str = "80x24", production: bool = False, database: dict[str, str] | None = None,
            args: tuple[str, ...] = (), command: tuple[str, ...] | None = None, endpoint: str = "",
            config: str = "", aws_config: str = "") -> Warroom:
        home = tmp_path / f"home{len(started)}"
        (home / ".config" / "warroom").mkdir(parents=True)
        (home / ".config" / "warroom" / "config.toml").write_text(config or config_text(database, production))
        if aws_config:
            (home / ".aws").mkdir()
            (home / ".aws" / "config").write_text(aws_config)
        env = {"HOME": str(home), "PATH": f"{WARROOM.parent}:/usr/bin:/bin", "LANG": "C.UTF-8",
               "AWS_ENDPOINT_URL": endpoint or moto_server.endpoint, "AWS_ACCESS_KEY_ID": "testing",
               "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1", "PS1": "e2e$ "}
        width, height = SIZES[size]
        terminal = Terminal(command or (str(WARROOM), "--env", "e2e", "--refresh", "2", *args), env,
                            width=width, height=height, cwd=home)
        app = Warroom(terminal, home, task, production)
        started.append(app)
        return app

    yield run
    for app in started:
        if app.terminal.dead() is None:
            app.terminal.press("C-c")
        app.terminal.close()


@pytest.fixture
def keys(request: pytest.FixtureRequest) -> Callable[[Warroom, int], None]:
    """keys(app, before) records the keys sent since `before` for the app's task (call it at the task's end)."""
    def note(app: Warroom, before: int = 0) -> None:
        record(app.task, app.terminal.keys - before, production=app.production)
    return note


@pytest.fixture
def pg(postgres_server: PostgresServer) -> Iterator[tuple[dict[str, str], Sessions]]:
    """The test PostgreSQL's settings for the config file, and a helper that opens sessions on it."""
    opened = Sessions(postgres_server.conninfo)
    yield postgres_server.conninfo, opened
    opened.close()


def main_screen(app: Warroom) -> str:
    """Wait until the first read of every pane is on the screen."""
    return app.terminal.wait(lambda s: "Services 9" in s and "Alarms 9" in s and "Databases" in s, 40)



def confirm(app: Warroom) -> None:
    """Confirm the screen on the terminal: `Y`, or in production the code it shows, then Enter."""
    screen = app.terminal.wait(lambda s: "Back (Esc)" in s or "and press Enter to confirm" in s, 20)
    if not app.production:
        time.sleep(max(0.0, app.confirmed_at + REPRESS_SECONDS + 0.1 - time.monotonic()))  # as a person would
        app.terminal.press("Y")
        app.confirmed_at = time.monotonic()
        return
    code = re.search(r"type ([a-z]{4}) or", app.terminal.wait(lambda s: re.search(r"type [a-z]{4} or", s)))
    assert code, screen
    app.terminal.type(code.group(1))
    app.terminal.press("Enter")


def box_text(screen: str, marker: str, end: str) -> str:
    """The text of the box (a modal) holding `marker`, from its row to the row holding `end`, lines joined: what a
    person reads there, however it wrapped."""
    rows = screen.splitlines()
    first = next(i for i, row in enumerate(rows) if marker in row)
    column = rows[first].index(marker)
    left = rows[first].rindex("│", 0, column) + 1
    right = rows[first].find("│", column)
    right = right if right > 0 else len(rows[first])
    text = []
    for row in rows[first:]:
        text.append(row[left:right].strip())
        if end in row:
            break
    return " ".join(text)


def settled(app: Warroom, timeout: float = 90.0) -> tuple[str, str]:
    """Once the follow screen's action has settled: the settled line and the follow log above it, each read whole
    (they wrap, they are never cut)."""
    screen = app.terminal.wait(lambda s: re.search(r"(settled|FAILED|stopped looking) after \d", s) is not None
                               and "closes)" in s, timeout)
    whole = box_text(screen, "request ", "closes)")
    return whole[re.search(r"(settled|FAILED|still going[^\n]*) after \d", whole).start():], whole


def scale(app: Warroom, desired: int, count: int) -> None:
    """`s` on the selected service (desired `desired` now), the new count, Enter, then confirm."""
    app.terminal.press("s")
    prompt(app, "desired count")
    app.terminal.type(str(count))
    app.terminal.press("Enter")
    app.terminal.wait(f"desired {desired} → desired {count}")
    confirm(app)


def only(app: Warroom, text: str) -> None:
    """Filter the focused pane down to rows holding `text` (`/`, the text, Enter)."""
    app.terminal.press("/")
    prompt(app, "Enter keeps, Esc clears")
    app.terminal.type(text)
    app.terminal.press("Enter")
    app.terminal.wait(f"filter: {text}")


def focus(app: Warroom, key: str, footer: str) -> None:
    """Press a pane's number key and wait until the footer shows that pane's own keys (`footer`)."""
    app.terminal.press(key)
    app.terminal.wait(lambda s: footer in s.splitlines()[-1])


def prompt(app: Warroom, text: str) -> str:
    """Wait for a prompt's `text`, then a moment for its field to take the focus: keys typed between a prompt
    being drawn and its field being focused go elsewhere (a known typeahead gap, noted for part 8)."""
    screen = app.terminal.wait(text)
    time.sleep(0.3)
    return screen
