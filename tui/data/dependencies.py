"""The services' dependencies in an environment's scope: ElastiCache replication groups, Lambda functions (each
one's GetFunctionConfiguration: ListFunctions leaves out State and LastUpdateStatus) and DynamoDB tables (each
one's DescribeTable), the three read at once; then, in one GetMetricData call, each function's Errors and Throttles
and each table's ReadThrottleEvents and WriteThrottleEvents, summed over the last hour. A source that cannot be
read (no permission, not offered) is named in `unread` with why, and the others are shown."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime
from typing import Any, Awaitable, Callable, Sequence

from warroom.data.aws import Aws
from warroom.data.dependency_models import CAP, Cache, Dependencies, DependencyScope, Function, Table, Unread, matches
from warroom.data.errors import AwsError
from warroom.data.metrics import read_metrics
from warroom.data.models import MetricQuery
from warroom.data.parse import text

IN_FLIGHT = 8  # GetFunctionConfiguration or DescribeTable calls at once, leaving the pool to the other reads
# kind: (namespace, dimension, the metrics its rows count)
METRICS = {"function": ("AWS/Lambda", "FunctionName", ("Errors", "Throttles")),
           "table": ("AWS/DynamoDB", "TableName", ("ReadThrottleEvents", "WriteThrottleEvents"))}


def parse_cache(raw: dict[str, Any]) -> Cache:
    return Cache(text(raw.get("ReplicationGroupId")), text(raw.get("Description")), text(raw.get("Status")),
                 tuple(text(m) for m in raw.get("MemberClusters") or ()), text(raw.get("AutomaticFailover")),
                 text(raw.get("MultiAZ")), text(raw.get("CacheNodeType")))


def parse_function(raw: dict[str, Any]) -> Function:
    return Function(text(raw.get("FunctionName")), text(raw.get("Description")),
                    text(raw.get("Runtime")) or text(raw.get("PackageType")).lower(), text(raw.get("State")),
                    text(raw.get("StateReason")), text(raw.get("LastUpdateStatus")),
                    text(raw.get("LastUpdateStatusReason")))


def parse_table(raw: dict[str, Any]) -> Table:
    billing = text((raw.get("BillingModeSummary") or {}).get("BillingMode")) or "PROVISIONED"
    return Table(text(raw.get("TableName")), text(raw.get("TableStatus")), billing)


async def _listed(aws: Aws, service: str, operation: str, key: str, patterns: tuple[str, ...],
                  name: Callable[[Any], str] = text) -> list[Any]:
    """The first CAP items of a listing whose names the patterns match (no page read after the CAPth)."""
    found: list[Any] = []
    async for page in aws.pages(service, operation):
        found += [item for item in page.get(key) or () if matches(patterns, name(item))]
        if len(found) >= CAP:
            break
    return found[:CAP]


async def _each(names: Sequence[str], read: Callable[[str], Awaitable[dict[str, Any]]]) -> list[dict[str, Any]]:
    """`read` of every name, IN_FLIGHT at a time, in order; a name deleted since it was listed is left out."""
    slots = asyncio.Semaphore(IN_FLIGHT)

    async def one(name: str) -> dict[str, Any] | None:
        async with slots:
            try:
                return await read(name)
            except AwsError as exc:
                if exc.code == "ResourceNotFoundException":
                    return None
                raise

    return [found for found in await asyncio.gather(*(one(n) for n in names)) if found is not None]


async def _caches(aws: Aws, patterns: tuple[str, ...]) -> tuple[Cache, ...]:
    raws = await _listed(aws, "elasticache", "describe_replication_groups", "ReplicationGroups", patterns,
                         lambda raw: text(raw.get("ReplicationGroupId")))
    return tuple(parse_cache(raw) for raw in raws)


async def _functions(aws: Aws, patterns: tuple[str, ...]) -> tuple[Function, ...]:
    listed = await _listed(aws, "lambda", "list_functions", "Functions", patterns,
                           lambda raw: text(raw.get("FunctionName")))
    configs = await _each([text(raw.get("FunctionName")) for raw in listed], lambda name: aws.call(
        "lambda", "get_function_configuration", FunctionName=name))
    return tuple(parse_function(raw) for raw in configs)


async def _tables(aws: Aws, patterns: tuple[str, ...]) -> tuple[Table, ...]:
    names = await _listed(aws, "dynamodb", "list_tables", "TableNames", patterns)
    described = await _each(names, lambda name: aws.call("dynamodb", "describe_table", TableName=name))
    return tuple(parse_table(raw.get("Table") or {}) for raw in described)


SOURCES = (("cache", "ElastiCache", _caches), ("function", "Lambda", _functions), ("table", "DynamoDB", _tables))


def _id(metric: str, index: int) -> str:
    return f"{metric.lower()}{index}"  # unique: no metric name is in two kinds


def _queries(rows: dict[str, tuple[Function, ...] | tuple[Table, ...]]) -> list[MetricQuery]:
    return [MetricQuery(_id(metric, index), row.key, namespace, metric, ((dimension, row.key),), "Sum",
                        "count")
            for kind, (namespace, dimension, metrics) in METRICS.items()
            for index, row in enumerate(rows[kind]) for metric in metrics]


async def _with_metrics(aws: Aws, functions: tuple[Function, ...], tables: tuple[Table, ...],
                        now: datetime) -> tuple[tuple[Function, ...], tuple[Table, ...]]:
    """The rows with their METRICS summed over the last hour (0 without datapoints), in one GetMetricData call."""
    series = await read_metrics(aws, _queries({"function": functions, "table": tables}), now)
    totals = {s.query.id: sum(s.values) for s in series}

    def summed(index: int, *metrics: str) -> float:
        return sum(totals[_id(metric, index)] for metric in metrics)

    return (tuple(replace(f, errors=summed(i, "Errors"), throttles=summed(i, "Throttles"))
                  for i, f in enumerate(functions)),
            tuple(replace(t, throttled=summed(i, "ReadThrottleEvents", "WriteThrottleEvents"))
                  for i, t in enumerate(tables)))


async def read_dependencies(aws: Aws, scope: DependencyScope, now: datetime, named_only: bool = False
                            ) -> Dependencies:
    """The caches, functions and tables the scope names, with the last hour's errors and throttles up to `now`;
    with `named_only`, a kind the scope does not name is not read (rather than the first CAP of the region)."""
    async def nothing(aws: Aws, patterns: tuple[str, ...]) -> tuple[()]:
        return ()

    results = await asyncio.gather(*((read if scope.patterns(kind) or not named_only else nothing)(
        aws, scope.patterns(kind)) for kind, _, read in SOURCES), return_exceptions=True)
    found: dict[str, Any] = {}
    unread = []
    for (kind, source, _), result in zip(SOURCES, results):
        if isinstance(result, AwsError):
            unread.append(Unread(kind, source, result.one_line()))
            result = ()
        elif isinstance(result, BaseException):
            raise result
        found[kind] = result
    caches, functions, tables = found["cache"], found["function"], found["table"]
    if functions or tables:
        try:
            functions, tables = await _with_metrics(aws, functions, tables, now)
        except AwsError as exc:
            unread += [Unread(kind, "CloudWatch", exc.one_line())
                       for kind, rows in (("function", functions), ("table", tables)) if rows]
    return Dependencies(caches, functions, tables, tuple(unread))
