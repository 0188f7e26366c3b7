"""The services' dependencies against the moto server over HTTP: ElastiCache replication groups, Lambda functions
and DynamoDB tables read back with their metrics, the scope, a refused source, `warroom check`, the demo's three."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from tests.hostile import as_message, corpus
from warroom.cli import main
from warroom.data.aws import Aws
from warroom.data.dependencies import read_dependencies
from warroom.data.dependency_models import Cache, DependencyScope, Function, Table, Unread, matches
from warroom.demo import fleet
from warroom.demo.server import ACCOUNT, REGION
from warroom.demo.world import create_cache, create_function, create_table


def put_counts(aws: Aws, namespace: str, dimension: str, name: str, **counts: list[float]) -> None:
    """Datapoints of each metric a few minutes apart, the last five minutes ago."""
    now = datetime.now(timezone.utc)
    aws.client("cloudwatch").put_metric_data(Namespace=namespace, MetricData=[
        {"MetricName": metric, "Dimensions": [{"Name": dimension, "Value": name}], "Unit": "Count", "Value": value,
         "Timestamp": now - timedelta(minutes=5 + 3 * index)}
        for metric, values in counts.items() for index, value in enumerate(values)])


def world(seeder: Aws) -> None:
    create_cache(seeder, "prod-redis", "Sessions", replicas=2)
    create_function(seeder, "prod-worker", "Builds reports")
    create_function(seeder, "prod-mailer")
    create_table(seeder, "prod-sessions")
    create_table(seeder, "prod-orders")
    put_counts(seeder, "AWS/Lambda", "FunctionName", "prod-worker", Errors=[2, 1], Throttles=[0])
    put_counts(seeder, "AWS/DynamoDB", "TableName", "prod-sessions", ReadThrottleEvents=[3],
               WriteThrottleEvents=[1, 3])


def now() -> datetime:
    return datetime.now(timezone.utc)


async def test_the_three_kinds_read_back_with_their_metrics_in_one_call(aws, seeder, calls):
    world(seeder)
    found = await read_dependencies(aws, DependencyScope(), now())
    assert found.caches == (Cache("prod-redis", "Sessions", "available", ("prod-redis-001", "prod-redis-002",
                                  "prod-redis-003"), "enabled", "enabled", "cache.t4g.small"),)
    functions = {f.name: f for f in found.functions}
    assert functions["prod-worker"] == Function("prod-worker", "Builds reports", "python3.12", "Active", "",
                                                "Successful", "", 3.0, 0.0)
    assert functions["prod-mailer"].errors == 0.0 and functions["prod-mailer"].problems == ()
    tables = {t.name: t for t in found.tables}
    assert tables == {"prod-sessions": Table("prod-sessions", "ACTIVE", "PAY_PER_REQUEST", 7.0),
                      "prod-orders": Table("prod-orders", "ACTIVE", "PAY_PER_REQUEST", 0.0)}
    assert found.unread == () and found.unread_line == ""
    assert calls.count("GetMetricData") == 1 and len(calls.named("GetMetricData")[0]["MetricDataQueries"]) == 8
    assert (calls.count("DescribeReplicationGroups"), calls.count("ListFunctions"), calls.count("ListTables")) == (
        1, 1, 1)
    assert calls.count("GetFunctionConfiguration") == 2 and calls.count("DescribeTable") == 2


async def test_summaries_and_problems_as_a_pane_and_the_check_say_them(aws, seeder):
    world(seeder)
    found = await read_dependencies(aws, DependencyScope(), now())
    by_key = {item.key: item for item in found.items}
    assert by_key["prod-redis"].summary == "available · 3 members · failover enabled"
    assert by_key["prod-worker"].summary == "Active · Successful · 3 errors, 0 throttles (last hour)"
    assert by_key["prod-worker"].problems == ("3 errors in the last hour",)
    assert by_key["prod-sessions"].summary == "ACTIVE · 7 throttled requests (last hour)"
    assert by_key["prod-sessions"].problems == ("7 throttled requests in the last hour",)
    assert by_key["prod-orders"].problems == () and by_key["prod-redis"].problems == ()


def test_states_that_moto_never_reaches_are_problems():
    """moto's tables are always ACTIVE and its functions never fail an update: the models alone."""
    assert Table("t", "UPDATING", "PROVISIONED", None).problems == ("status UPDATING",)
    assert Table("t", "UPDATING", "PROVISIONED", None).summary == "UPDATING · throttled requests not read"
    failed = Function("f", "", "python3.12", "Failed", "bad role", "Failed", "bad zip", None, None)
    assert failed.problems == ("state Failed: bad role", "last update failed: bad zip")
    assert failed.summary == "Failed · Failed · errors and throttles not read"
    idle = Function("f", "", "python3.12", "Inactive", "idle", "Successful", "", 0.0, 0.0)
    assert idle.problems == ()  # Lambda's own state for a function not called for weeks: the next call wakes it
    assert Function("f", "", "", "Active", "", "", "", 1_234_567.0, 0.0).problems == (
        "1,234,567 errors in the last hour",)


NAMES = {"orders.v2", "ordersXv2", "orders-archive", "billing"}


@pytest.mark.parametrize("patterns, names", [
    ((), NAMES),
    (("orders.v2",), {"orders.v2"}),  # an exact name: the dot is no wildcard
    (("orders*",), {"orders.v2", "ordersXv2", "orders-archive"}),
    (("billing", "orders-*"), {"billing", "orders-archive"}),
    (("*",), NAMES),
    (("o*s.v2",), set()),  # only a trailing * is one
])
def test_scope_entries_are_names_or_trailing_star_prefixes(patterns, names):
    assert {name for name in NAMES if matches(patterns, name)} == names


async def test_the_scope_reads_named_and_prefixed_ones_only(aws, seeder, calls):
    for name in ("redis-a", "redis-ab", "other"):
        create_cache(seeder, name, replicas=0)
    for name in ("api-a", "api-b", "worker"):
        create_function(seeder, name)
    for name in ("orders.v2", "ordersXv2", "billing"):
        create_table(seeder, name)
    scope = DependencyScope(caches=("redis-a",), functions=("api-*",), tables=("orders.v2", "billing"))
    found = await read_dependencies(aws, scope, now())
    assert [c.id for c in found.caches] == ["redis-a"] and found.caches[0].summary == (
        "available · 1 member · failover disabled")
    assert sorted(f.name for f in found.functions) == ["api-a", "api-b"]
    assert sorted(t.name for t in found.tables) == ["billing", "orders.v2"]
    assert sorted(p["FunctionName"] for p in calls.named("GetFunctionConfiguration")) == ["api-a", "api-b"]
    assert sorted(p["TableName"] for p in calls.named("DescribeTable")) == ["billing", "orders.v2"]


async def test_nothing_in_scope_makes_no_metric_call(aws, seeder, calls):
    create_function(seeder, "worker")
    found = await read_dependencies(aws, DependencyScope(functions=("api-*",)), now())
    assert found.items == () and found.unread == () and calls.count("GetMetricData") == 0


async def test_at_most_the_cap_is_read_and_the_table_listing_pages(aws, seeder, calls, monkeypatch):
    """ListTables pages by LastEvaluatedTableName (100 names a page); a prefix matching on the second page is found,
    and no more than CAP of a kind are described."""
    for index in range(100):
        create_table(seeder, f"a-{index:03}")
    create_table(seeder, "z-last")
    found = await read_dependencies(aws, DependencyScope(functions=("none",), caches=("none",), tables=("z-*",)),
                                    now())
    assert [t.name for t in found.tables] == ["z-last"] and calls.count("ListTables") == 2
    calls.clear()
    monkeypatch.setattr("warroom.data.dependencies.CAP", 3)
    found = await read_dependencies(aws, DependencyScope(functions=("none",), caches=("none",)), now())
    assert [t.name for t in found.tables] == ["a-000", "a-001", "a-002"] and calls.count("DescribeTable") == 3


async def test_hostile_descriptions_come_back_unchanged(aws, seeder):
    """Function and table names are restricted ([a-zA-Z0-9-_], [a-zA-Z0-9_.-]); descriptions are free text. A
    replication group's travels in XML, which cannot carry C0 controls: those get the texts without one."""
    texts = [as_message(value)[:256] for _, value in corpus()]
    for index, description in enumerate(texts):
        create_function(seeder, f"hostile-{index}", description)
    xml_safe = [t for t in texts if t and not any(ord(c) < 0x20 for c in t)]
    for index, description in enumerate(xml_safe):
        create_cache(seeder, f"hostile-{index}", description, replicas=0)
    found = await read_dependencies(aws, DependencyScope(), now())
    assert {f.name: f.description for f in found.functions} == {f"hostile-{i}": t for i, t in enumerate(texts)}
    assert {c.id: c.description for c in found.caches} == {f"hostile-{i}": t for i, t in enumerate(xml_safe)}


@pytest.mark.parametrize("fault, operation, kind, source", [
    ("AccessDenied", "DescribeReplicationGroups", "cache", "ElastiCache"),
    ("AccessDeniedException", "ListTables", "table", "DynamoDB"),
])
async def test_a_refused_source_is_named_and_the_others_read(seeder, proxy, fault, operation, kind, source):
    world(seeder)
    proxy.fault, proxy.only = fault, {operation}
    aws = Aws()
    try:
        found = await read_dependencies(aws, DependencyScope(), now())
    finally:
        aws.close()
    why = f"{fault} ({operation}): injected {fault}"
    assert found.unread == (Unread(kind, source, why),) and found.unread_line == f"{source} not read: {why}"
    assert {item.kind for item in found.items} == {"cache", "function", "table"} - {kind}
    assert next(f for f in found.functions if f.name == "prod-worker").errors == 3.0


async def test_metrics_not_read_leave_the_rows_without_counts(seeder, proxy):
    world(seeder)
    proxy.fault, proxy.only = "500", {"GetMetricData"}
    aws = Aws()
    try:
        found = await read_dependencies(aws, DependencyScope(caches=("none",), tables=("prod-sessions",)), now())
    finally:
        aws.close()
    assert [u.kind for u in found.unread] == ["function", "table"] and {u.source for u in found.unread} == {
        "CloudWatch"}
    assert found.unread_line.startswith("CloudWatch not read: ") and ";" not in found.unread_line
    assert all(f.errors is None and f.throttles is None and f.problems == () for f in found.functions)
    assert found.tables[0].throttled is None and found.tables[0].summary == "ACTIVE · throttled requests not read"


@pytest.fixture
def config(tmp_path):
    def write(*lines: str) -> str:
        path = tmp_path / "config.toml"
        path.write_text("\n".join(["[env.prod]", *lines]) + "\n")
        return str(path)
    return write


def check(capsys, config: str) -> tuple[int, dict]:
    code = main(["check", "--config", config, "--json"])
    return code, json.loads(capsys.readouterr().out)


def details(report: dict, status: str) -> dict[tuple[str, str], str]:
    return {(f["check"], f["resource"]): f["detail"] for f in report["findings"] if f["status"] == status
            and f["check"] in ("cache", "function", "table")}


ALL = ('caches = ["prod-*"]', 'functions = ["prod-*"]', 'tables = ["prod-*"]')


def test_check_finds_caches_functions_and_tables(moto_server, seeder, config, capsys):
    create_cache(seeder, "prod-redis", replicas=1)
    create_function(seeder, "prod-worker")
    create_table(seeder, "prod-sessions")
    code, report = check(capsys, config())
    assert code == 0 and not {"cache", "function", "table"} & set(report["summary"])  # none named: none judged
    code, report = check(capsys, config(*ALL))
    assert code == 0 and details(report, "ok") == {
        ("cache", "prod-redis"): "available · 2 members · failover enabled",
        ("function", "prod-worker"): "Active · Successful · 0 errors, 0 throttles (last hour)",
        ("table", "prod-sessions"): "ACTIVE · 0 throttled requests (last hour)"}
    assert list(report["summary"]) == ["cache", "function", "table"]


def test_check_problems_of_each_kind(moto_server, seeder, config, capsys):
    from moto.awslambda.models import lambda_backends
    from moto.elasticache.models import elasticache_backends

    world(seeder)
    elasticache_backends[ACCOUNT][REGION].replication_groups["prod-redis"].status = "modifying"
    lambda_backends[ACCOUNT][REGION].get_function("prod-mailer").state = "Failed"
    code, report = check(capsys, config(*ALL))
    assert code == 1 and details(report, "problem") == {
        ("cache", "prod-redis"): "status modifying",
        ("function", "prod-worker"): "3 errors in the last hour",
        ("function", "prod-mailer"): "state Failed",
        ("table", "prod-sessions"): "7 throttled requests in the last hour"}
    assert report["summary"]["function"] == {"checked": 2, "problems": 2}


def test_check_a_named_source_not_read_is_a_problem_an_unnamed_one_not_read(seeder, proxy, config, capsys):
    world(seeder)
    proxy.fault, proxy.only = "AccessDenied", {"DescribeReplicationGroups"}
    problems = {("function", "prod-worker"): "3 errors in the last hour",
                ("table", "prod-sessions"): "7 throttled requests in the last hour"}
    code, report = check(capsys, config(*ALL[1:]))
    assert code == 1 and details(report, "problem") == problems and "cache" not in report["summary"]
    assert proxy.requests["DescribeReplicationGroups"] == 0  # not named: not asked
    code, report = check(capsys, config(*ALL))
    assert code == 1 and details(report, "problem") == problems | {
        ("cache", "ElastiCache"): "not read: AccessDenied (DescribeReplicationGroups): injected AccessDenied"}


async def test_the_demo_world_has_a_cache_a_function_and_a_table(aws, seeder):
    fleet.seed(seeder)
    found = await read_dependencies(aws, DependencyScope(), now())
    assert [(item.kind, item.key, item.problems) for item in found.items] == [
        ("cache", "omnirapeutic-production-redis", ()), ("function", "omnirapeutic-production-report-worker", ()),
        ("table", "omnirapeutic-production-sessions", ())]
