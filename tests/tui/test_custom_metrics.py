"""Custom metrics per environment: the config's [[env.NAME.metrics]] tables (and errors that name their line), one
GetMetricData call for all of them, judging the latest datapoint, and `warroom check`'s `metric` findings read from
the moto server over HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest

from tests.hostile import as_message, corpus
from warroom.check import KINDS, run_check
from warroom.config import ConfigError, Environment, load
from warroom.data.custom_metrics import CustomMetric, MetricReading
from warroom.data.metrics import read_custom
from warroom.data.models import Identity, MetricQuery, MetricSeries
from warroom.demo.metrics import CUSTOM_METRICS, Metrics
from warroom.demo.world import create_function, create_table

NOW = datetime.now(timezone.utc).replace(second=0, microsecond=0)
END = NOW + timedelta(minutes=1)  # the last hour's periods fall on whole minutes
IDENTITY = Identity("123456789012", "arn:aws:iam::123456789012:user/oncall", "us-east-1")
ERRORS = CustomMetric("Axon errors", "axon-orbit/Axon", "ErrorCount", threshold=10, unit="count")
FREE = CustomMetric("Free memory", "app/Workers", "FreeMemory", (("Pool", "a"),), "Minimum", 5, above=False,
                    unit="%")

CONFIG = """\
default_env = "prod"

[env.prod]
region = "us-east-1"

[[env.prod.metrics]]
label = "Axon errors"
namespace = "axon-orbit/Axon"
name = "ErrorCount"
dimensions = { Service = "axon", Stage = "prod" }
threshold = 10
unit = "count"

[[env.prod.metrics]]
namespace = "axon-orbit/Governance"
name = "DenialCount"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def minute(n: int) -> datetime:
    return NOW - timedelta(minutes=n)


def put(namespace: str, name: str, values: dict[int, float], dimensions: tuple[tuple[str, str], ...] = ()) -> None:
    """Datapoints with plain boto3, `values` by how many minutes before NOW."""
    boto3.client("cloudwatch").put_metric_data(Namespace=namespace, MetricData=[
        {"MetricName": name, "Timestamp": minute(n), "Value": value,
         "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions]} for n, value in values.items()])


def reading(metric: CustomMetric, *values: float) -> MetricReading:
    """A reading at END of the values, one a minute, the last in the minute before NOW."""
    stamps = tuple(minute(len(values) - i) for i in range(len(values)))
    return MetricReading(metric, MetricSeries(metric.query(0), values, stamps), END)


def test_metrics_tables_become_custom_metrics_with_defaults(tmp_path):
    env = load(write(tmp_path, CONFIG), None)
    assert env.metrics == (
        CustomMetric("Axon errors", "axon-orbit/Axon", "ErrorCount", (("Service", "axon"), ("Stage", "prod")), "Sum",
                     10.0, True, "count"),
        CustomMetric("DenialCount", "axon-orbit/Governance", "DenialCount"))
    assert env.metrics[1].query(1) == MetricQuery("custom1", "DenialCount", "axon-orbit/Governance", "DenialCount", (),
                                                  "Sum", "")


@pytest.mark.parametrize("statistic", ["Average", "Sum", "Minimum", "Maximum", "SampleCount", "p99", "p99.9", "p100"])
def test_statistics_and_percentiles_are_taken(tmp_path, statistic):
    env = load(write(tmp_path, CONFIG + f'statistic = "{statistic}"\nabove = false\nthreshold = 0.5\n'), None)
    assert (env.metrics[1].statistic, env.metrics[1].above, env.metrics[1].threshold) == (statistic, False, 0.5)


def test_dimensions_as_a_sub_table_of_the_entry(tmp_path):
    text = CONFIG + '[env.prod.metrics.dimensions]\nPolicy = "default"\n\n[[env.prod.metrics]]\nnamespace = "x"\n' \
                    'name = "Third"\nthreshold = "high"\n'
    with pytest.raises(ConfigError) as caught:
        load(write(tmp_path, text), None)
    assert str(caught.value).startswith(f"{tmp_path / 'config.toml'}:23: env.prod.metrics[2].threshold must be")
    env = load(write(tmp_path, CONFIG + '[env.prod.metrics.dimensions]\nPolicy = "default"\n'), None)
    assert env.metrics[1].dimensions == (("Policy", "default"),)


@pytest.mark.parametrize("extra, words", [
    ('threshold = "ten"', "env.prod.metrics[1].threshold must be a number"),
    ("threshold = nan", "env.prod.metrics[1].threshold must be a number"),
    ("threshold = true", "env.prod.metrics[1].threshold must be a number"),
    ('statistic = "avg"', "statistic must be Average, Sum, Minimum, Maximum, SampleCount or a percentile"),
    ('statistic = "p101"', "statistic must be"),
    ("dimensions = { Service = 1 }", "dimensions must be a table of at most 30 dimension names to non-empty strings"),
    ('above = "yes"', "env.prod.metrics[1].above must be true or false"),
    ('colour = "red"', "unknown key env.prod.metrics[1].colour (known: label, namespace, name,"),
    ('label = 7', "env.prod.metrics[1].label must be a string"),
])
def test_a_bad_key_of_the_second_metric_names_its_own_line(tmp_path, extra, words):
    path = write(tmp_path, CONFIG + 'unit = "count"\n' + extra + "\n")  # the first table has them on lines 11, 12
    with pytest.raises(ConfigError) as caught:
        load(path, None)
    assert str(caught.value).startswith(f"{path}:18: ") and words in str(caught.value)


def test_a_metric_without_namespace_or_name_names_its_header(tmp_path):
    path = write(tmp_path, CONFIG + '\n[[env.prod.metrics]]\nlabel = "what"\n\n[[env.prod.metrics]]\nname = ""\n')
    with pytest.raises(ConfigError, match=r"config.toml:18: env.prod.metrics\[2\] needs namespace and name"):
        load(path, None)


def test_metrics_must_be_an_array_of_tables(tmp_path):
    path = write(tmp_path, '[env.prod]\nregion = "us-east-1"\nmetrics = "ErrorCount"\n')
    with pytest.raises(ConfigError, match=r"config.toml:3: env.prod.metrics must be an array of tables"):
        load(path, None)


def test_the_latest_datapoint_is_judged_above_or_below_its_threshold():
    assert reading(ERRORS, 30, 12).problem == "Axon errors 12 above 10"
    assert reading(ERRORS, 12).detail == "12 (Sum per minute, 2 min ago) · threshold > 10"
    assert reading(ERRORS, 30, 10).problem == ""  # at the threshold is not over it
    assert reading(FREE, 2.5).problem == "Free memory 2.5% below 5%"
    assert reading(FREE, 2.5).detail == "2.5% (Minimum per minute, 2 min ago) · threshold < 5%"
    assert reading(FREE, 1, 7.25).problem == ""


def test_no_data_or_no_threshold_is_not_a_problem():
    assert (reading(ERRORS).problem, reading(ERRORS).detail) == ("", "no data in the last hour · threshold > 10")
    unjudged = CustomMetric("DenialCount", "axon-orbit/Governance", "DenialCount")
    assert (reading(unjudged, 1e9).problem, reading(unjudged, 1234567.5).detail) == (
        "", "1234568 (Sum per minute, 2 min ago)")


async def test_one_get_metric_data_call_reads_every_custom_metric(aws, calls):
    metrics = [CustomMetric(f"queue {i}", "app/Queues", "Depth", (("Queue", f"q{i}"),), "Maximum", 100, unit="count")
               for i in range(40)]
    for i in range(40):
        put("app/Queues", "Depth", {3: i * 5, 2: i * 10}, (("Queue", f"q{i}"),))
    readings = await read_custom(aws, metrics, END)
    assert calls.count("GetMetricData") == 1 and calls.count() == 1
    assert [r.metric for r in readings] == metrics
    assert [r.latest for r in readings] == [i * 10.0 for i in range(40)]
    assert [r.metric.label for r in readings if r.problem] == [f"queue {i}" for i in range(11, 40)]
    calls.clear()
    assert await read_custom(aws, [], END) == () and calls.count() == 0


async def test_check_has_a_metric_finding_for_each_custom_metric(aws):
    put("axon-orbit/Axon", "ErrorCount", {4: 2, 2: 12}, (("Service", "axon"),))
    put("app/Workers", "FreeMemory", {3: 40}, (("Pool", "a"),))
    quiet = CustomMetric("Denials", "axon-orbit/Governance", "DenialCount", threshold=10)
    errors = CustomMetric("Axon errors", "axon-orbit/Axon", "ErrorCount", (("Service", "axon"),), threshold=10)
    env = Environment(name="prod", metrics=(errors, FREE, quiet))
    report = await run_check(aws, env, IDENTITY, minute(60), END, 10)
    found = [(f.resource, f.status, f.detail) for f in report.findings if f.check == "metric"]
    assert found == [("Axon errors", "problem", "12 (Sum per minute, 3 min ago) · threshold > 10"),
                     ("Denials", "ok", "no data in the last hour · threshold > 10"),
                     ("Free memory", "ok", "40% (Minimum per minute, 4 min ago) · threshold < 5%")]
    assert report.summary()["metric"] == {"checked": 3, "problems": 1}
    assert KINDS.index("table") < KINDS.index("metric") < KINDS.index("log_errors")


async def test_hostile_labels_and_dimension_values_reach_the_findings_unchanged(aws):
    texts = [as_message(value) for _, value in corpus()]
    metrics = tuple(CustomMetric(text, "app/Hostile", "Count", (("Case", text),), threshold=0) for text in texts)
    boto3.client("cloudwatch").put_metric_data(Namespace="app/Hostile", MetricData=[
        {"MetricName": "Count", "Timestamp": minute(2), "Value": index + 1,
         "Dimensions": [{"Name": "Case", "Value": text}]} for index, text in enumerate(texts)])
    report = await run_check(aws, Environment(name="prod", metrics=metrics), IDENTITY, minute(60), END, 10)
    found = {f.resource: f.detail for f in report.findings if f.check == "metric"}
    assert found == {text: f"{index + 1} (Sum per minute, 3 min ago) · threshold > 0"
                     for index, text in enumerate(texts)}


async def test_the_demo_puts_the_custom_metrics_and_its_functions_and_tables_counts(aws, seeder):
    create_function(seeder, "axon-orbit-governance")
    create_table(seeder, "axon-orbit-governance-policies")
    Metrics(seeder, seed=5).backfill(NOW, minutes=10)
    readings = await read_custom(aws, CUSTOM_METRICS, END)
    assert [(r.metric.namespace, r.metric.name, r.metric.statistic) for r in readings] == [
        ("axon-orbit/Axon", "ErrorCount", "Sum"), ("axon-orbit/Governance", "DenialCount", "Sum")]
    assert all(len(r.series.values) == 10 for r in readings)
    assert not readings[0].problem and max(readings[0].series.values) <= 6
    counts = [CustomMetric(name, namespace, name, ((key, value),)) for namespace, key, value, names in (
        ("AWS/Lambda", "FunctionName", "axon-orbit-governance", ("Errors", "Throttles")),
        ("AWS/DynamoDB", "TableName", "axon-orbit-governance-policies", ("ReadThrottleEvents", "WriteThrottleEvents")))
        for name in names]
    assert all(len(r.series.values) == 10 and r.series.values.count(0) >= 8
               for r in await read_custom(aws, counts, END))
