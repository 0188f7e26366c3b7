"""The AWS connection: one boto3 session, clients made once, a bounded thread pool and per-service throttles.

Every boto3 call in warroom goes through `Aws.call` or `Aws.pages`, which run it in the pool (never on the
event loop), wait on that AWS service's asyncio-throttle first, and map failures to `AwsError`.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable

from asyncio_throttle import Throttler

from warroom.data.errors import map_error

if TYPE_CHECKING:
    import boto3

# Requests per window for each AWS service, a sliding-window stand-in for AWS's token buckets
# (e.g. ECS read actions: a burst of 100 then 20/s; CloudWatch DescribeAlarms about 9/s; RDS Describe* ~10/s).
RATES: dict[str, tuple[int, float]] = {
    "ecs": (100, 5.0),
    "cloudwatch": (9, 1.0),
    "rds": (10, 1.0),
    "sts": (5, 1.0),
    "logs": (5, 1.0),
    "elbv2": (10, 1.0),
    "secretsmanager": (10, 1.0),
    "cloudtrail": (2, 1.0),
    "application-autoscaling": (10, 1.0),  # LookupEvents: 2 per second per account and region
    "elasticache": (10, 1.0),
    "lambda": (15, 1.0),
    "dynamodb": (20, 1.0),
}
POOL_SIZE = 16
# the output tokens of the paginators used (DynamoDB ListTables: LastEvaluatedTableName)
NEXT_TOKENS = ("nextToken", "NextToken", "Marker", "NextMarker", "LastEvaluatedTableName")

Hook = Callable[..., None]


_loader: Any = None  # botocore's data loader, shared by every session (see _session)


def _session(profile: str | None, region: str | None) -> boto3.Session:
    """A boto3 session (boto3 is imported here, on first use: importing the data layer does not load it).

    Every session uses the first one's data loader: each botocore session otherwise parses the same service models
    (JSON) into its own cache, ~20 MiB per environment for the overview's ECS, CloudWatch, RDS and STS. The loader
    only reads files and caches them; credentials, config and clients stay each session's own."""
    import boto3

    global _loader
    try:
        session = boto3.Session(profile_name=profile or None, region_name=region or None)
    except Exception as exc:  # ProfileNotFound and friends
        raise map_error(exc) from None
    if _loader is None:
        _loader = session._session.get_component("data_loader")
    else:
        session._session.register_component("data_loader", _loader)
    session._session.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=_utc)
    return session


def _utc(value: Any) -> datetime:
    """botocore's timestamp parsing, in UTC: its own gives each time a `tzlocal()` object of its own (thousands of
    them held by the models, each one more object for every full pass of the garbage collector)."""
    from botocore.utils import parse_timestamp

    return parse_timestamp(value).astimezone(timezone.utc)


def api_name(operation: str) -> str:
    """`describe_services` -> `DescribeServices`, as AWS and its error messages name it."""
    return "".join(part[:1].upper() + part[1:] for part in operation.split("_"))


class Aws:
    """Clients for one profile and region; safe to share between concurrent reads."""

    def __init__(self, profile: str | None = None, region: str | None = None, *, timeout: float = 10.0,
                 hooks: tuple[Hook, ...] = (), host_prefix: bool = True) -> None:
        from botocore.config import Config

        self.session = _session(profile, region)
        self.region = self.session.region_name or "us-east-1"
        self.profile = profile
        self._config = Config(
            region_name=self.region,
            retries={"mode": "standard", "total_max_attempts": 3},  # the first try and two retries
            connect_timeout=min(5.0, timeout),
            read_timeout=timeout,
            max_pool_connections=POOL_SIZE,
            inject_host_prefix=host_prefix,  # AWS serves StartLiveTail on `stream-` hosts; a local endpoint has none
            user_agent_appid="warroom",  # CloudTrail's userAgent then says which writes were warroom's
        )
        self._config_once = self._config.merge(Config(retries={"mode": "standard", "total_max_attempts": 1}))
        self._hooks = hooks
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=POOL_SIZE, thread_name_prefix="aws")
        self._throttlers: dict[str, Throttler] = {}

    def reload_credentials(self) -> None:
        """Read the credential chain again (after `aws sso login` elsewhere): a new session, new clients."""
        session = _session(self.profile, self.region)
        with self._lock:
            self.session = session
            self._clients = {}

    def expiry(self) -> datetime | None:
        """When the credentials in use end: temporary ones (an assumed role, SSO, credential_process, an
        AWS_CREDENTIAL_EXPIRATION) as botocore last fetched them; None for long-term keys or before any call
        loaded them. Makes no call: botocore has no public accessor, so this reads its `_expiry_time`."""
        credentials = self.session._session._credentials  # loaded by the first call (STS at start), else None
        expiry = getattr(credentials, "_expiry_time", None)
        return expiry if isinstance(expiry, datetime) else None

    def client(self, service: str, *, once: bool = False) -> Any:
        """The one client for `service`, created on first use (thread-safe); `once`: a client that never
        retries, for calls that must not be sent twice. The calls below get it in the pool, never on the event
        loop: a new client reads botocore's models from disk (30-70 ms), under the lock."""
        key = f"{service}/once" if once else service
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self.session.client(service, config=self._config_once if once else self._config)
                for hook in self._hooks:
                    client.meta.events.register("before-parameter-build.*.*", hook)
                self._clients[key] = client
            return client

    def _throttler(self, service: str) -> Throttler:
        throttler = self._throttlers.get(service)
        if throttler is None:
            limit, period = RATES.get(service, (10, 1.0))
            throttler = self._throttlers[service] = Throttler(rate_limit=limit, period=period)
        return throttler

    async def _run(self, service: str, operation: str, fn: Callable[[], Any]) -> Any:
        async with self._throttler(service):
            try:
                return await asyncio.get_running_loop().run_in_executor(self._pool, fn)
            except Exception as exc:
                raise map_error(exc, api_name(operation)) from None

    async def call(self, service: str, operation: str, /, **params: Any) -> dict[str, Any]:
        """One API call, e.g. `await aws.call("ecs", "describe_services", cluster=..., services=[...])`."""
        return await self._run(service, operation, lambda: getattr(self.client(service), operation)(**params))

    async def call_once(self, service: str, operation: str, /, **params: Any) -> dict[str, Any]:
        """One API call sent at most once: no retry after a timeout or a 5xx (its outcome is then unknown)."""
        return await self._run(service, operation,
                               lambda: getattr(self.client(service, once=True), operation)(**params))

    async def pages(self, service: str, operation: str, /, **params: Any) -> AsyncIterator[dict[str, Any]]:
        """Each page of a botocore paginator, one throttled call per page (none after the last page)."""
        pages = await asyncio.get_running_loop().run_in_executor(
            self._pool, lambda: iter(self.client(service).get_paginator(operation).paginate(**params)))
        while True:
            page = await self._run(service, operation, lambda: next(pages, None))
            if page is None:
                return
            yield page
            if not any(page.get(token) for token in NEXT_TOKENS):
                return

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        for client in self._clients.values():
            client.close()

