"""Test fixtures: a real moto server over HTTP per test session (reset between tests), a call recorder, and a
real PostgreSQL server per test session with a helper that opens sessions of every kind."""

from __future__ import annotations

import os
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.e2e.runbook import KEYS_FILE, table
from tests.fault_proxy import FaultProxy
from warroom.data.aws import Aws
from warroom.demo import server
from warroom.demo.pg_workload import Sessions
from warroom.demo.postgres import PostgresServer
from warroom.demo.responder import Responder


def pytest_configure(config: pytest.Config) -> None:
    """The real-terminal scenarios note their keys in one file (set here before xdist starts its workers)."""
    if KEYS_FILE not in os.environ:
        os.environ[KEYS_FILE] = str(Path(tempfile.mkdtemp(prefix="warroom-e2e-")) / "keys.jsonl")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    path = Path(os.environ[KEYS_FILE])
    if path.exists() and "PYTEST_XDIST_WORKER" not in os.environ:
        terminalreporter.write_sep("-", "keys in warroom against the runbooks' commands (tests/e2e)")
        for line in table(path):
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def moto_server() -> Iterator[server.MotoServer]:
    running = server.start()
    server.use_endpoint(running.endpoint)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _fresh_world(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that uses the moto server starts from an empty account with seeded randomness."""
    if "moto_server" in request.fixturenames:
        endpoint = request.getfixturevalue("moto_server").endpoint
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")).read()
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/seed?a=42", method="POST")).read()
    yield


@dataclass
class Calls:
    """Every AWS call the data layer made: (operation name, parameters)."""

    items: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def __call__(self, model: Any = None, params: Any = None, **_: Any) -> None:
        self.items.append((model.name, dict(params or {})))

    def named(self, name: str) -> list[dict[str, Any]]:
        return [params for op, params in self.items if op == name]

    def count(self, name: str | None = None) -> int:
        return len(self.items) if name is None else len(self.named(name))

    def clear(self) -> None:
        self.items.clear()


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def aws(moto_server: server.MotoServer, calls: Calls) -> Iterator[Aws]:
    """The data layer's AWS connection to the moto server, recording every call."""
    connection = Aws(hooks=(calls,))
    yield connection
    connection.close()


@pytest.fixture
def front(moto_server: server.MotoServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Responder]:
    """The demo's responder in front of moto (CloudTrail, alarm history, scaling activities: what moto does not
    serve); every AWS connection the test makes after it goes through it."""
    responder = Responder(moto_server.endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL", responder.endpoint)
    yield responder
    responder.close()


@pytest.fixture
def seeder(moto_server: server.MotoServer) -> Iterator[Aws]:
    """A separate connection for building worlds, so its calls are not recorded."""
    connection = Aws()
    yield connection
    connection.close()


@pytest.fixture
def proxy(moto_server: server.MotoServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:
    """The fault proxy in front of the moto server, as the app's endpoint."""
    running = FaultProxy(moto_server.endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL", running.endpoint)
    yield running
    running.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL on a free loopback port in a temporary directory, one per test process."""
    running = PostgresServer()
    running.start()
    yield running
    running.close()


@pytest.fixture
def sessions(postgres_server: PostgresServer) -> Iterator[Sessions]:
    """Opens idle, busy, idle-in-transaction and lock-waiting sessions; closes them all after the test."""
    opened = Sessions(postgres_server.conninfo)
    yield opened
    opened.close()
