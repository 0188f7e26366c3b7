"""A fault-injecting HTTP proxy on loopback, between the app and the moto server.

`fault` decides what each request meets: None (forwarded; after `latency` seconds, a far region), "reset" (the
connection is dropped unanswered), "delay" (forwarded after `delay` seconds), "500" (an empty HTTP 500), or an
AWS error code such as "ExpiredTokenException" or "ThrottlingException" (answered as the service's protocol says
errors look, for the JSON and query protocols; others are forwarded). `rate` applies the fault to that share of
requests, `only` (when set) to those operations alone. Every request is counted by operation.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class FaultProxy:
    """Start with `FaultProxy(upstream)`; point AWS_ENDPOINT_URL at `.endpoint`; `close()` at the end."""

    def __init__(self, upstream: str, seed: int = 7) -> None:
        self.upstream = urlsplit(upstream)
        self.fault: str | None = None
        self.rate = 1.0
        self.delay = 0.0
        self.latency = 0.0  # seconds every forwarded request waits first (a far region)
        self.only: set[str] = set()
        self.requests: Counter[str] = Counter()
        self.random = random.Random(seed)
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                proxy._handle(self)

            do_GET = do_PUT = do_DELETE = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}"

    def count(self, prefix: str = "") -> int:
        with self._lock:
            return sum(n for op, n in self.requests.items() if op.startswith(prefix))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _operation(self, handler: BaseHTTPRequestHandler, body: bytes) -> tuple[str, str]:
        target = handler.headers.get("X-Amz-Target", "")
        if target:
            return "json", target.split(".")[-1]
        action = parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
        return ("query", action) if action else ("other", handler.path.rsplit("/", 1)[-1])

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        protocol, operation = self._operation(handler, body)
        with self._lock:
            self.requests[operation] += 1
            fault = self.fault if self.fault and (not self.only or operation in self.only) and \
                self.random.random() < self.rate else None
        if fault == "reset":
            handler.close_connection = True
            handler.connection.close()
            return
        if fault == "500":
            self._answer(handler, 500, b"", "text/plain")
            return
        if fault and fault != "delay" and protocol == "json":
            self._answer(handler, 400, f'{{"__type":"{fault}","message":"injected {fault}"}}'.encode(),
                         "application/x-amz-json-1.1")
            return
        if fault and fault != "delay" and protocol == "query":
            xml = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{fault}</Code><Message>injected {fault}"
                   "</Message></Error><RequestId>injected</RequestId></ErrorResponse>")
            self._answer(handler, 400, xml.encode(), "text/xml")
            return
        if fault == "delay" or self.latency:
            time.sleep(self.delay if fault == "delay" else self.latency)
        upstream = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=30)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP}
            upstream.request(handler.command, handler.path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            self._answer(handler, response.status, data, response.getheader("Content-Type") or "text/plain",
                         [(k, v) for k, v in response.getheaders() if k.lower() not in HOP | {"content-type"}])
        except OSError:
            handler.connection.close()
        finally:
            upstream.close()

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, status: int, data: bytes, kind: str,
                extra: list[tuple[str, str]] = ()) -> None:  # type: ignore[assignment]
        try:
            handler.send_response(status)
            for key, value in extra:
                handler.send_header(key, value)
            handler.send_header("Content-Type", kind)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the client gave up (a read timeout)
