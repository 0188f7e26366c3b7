"""Start moto's HTTP server in-process on a free loopback port (the demo, the tests and the benchmark use it)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"


@dataclass
class MotoServer:
    """A running moto server and its endpoint URL."""

    server: Any
    endpoint: str

    def stop(self) -> None:
        self.server.stop()


def start(port: int = 0) -> MotoServer:
    """A ThreadedMotoServer on 127.0.0.1 (port 0 picks a free one); its request and error logs are silenced
    (they would draw over the TUI)."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").disabled = True
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    return MotoServer(server, f"http://{host}:{bound}")


def use_endpoint(endpoint: str) -> None:
    """Point the standard AWS credential chain at a moto endpoint, with fake credentials, as boto3 reads them."""
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
    os.environ["AWS_DEFAULT_REGION"] = REGION
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        os.environ.pop(name, None)
