"""The METRICS line against moto over HTTP: hidden without custom metrics; with them, each one's latest value, the
one over its threshold marked with it, a label from the config shown literally, one GetMetricData a read."""

from __future__ import annotations

from datetime import timedelta

import boto3

from tests.helpers import loaded, make_app, screen_text, wait_for
from warroom import clock
from warroom.data.custom_metrics import CustomMetric
from warroom.screens.main import METRICS_SECONDS
from warroom.widgets.metrics_line import MetricsLine

HOSTILE = "denials \x1b[2J[bold]x[/]"


def put(namespace: str, name: str, *values: float) -> None:
    now = clock.now().replace(second=0, microsecond=0)
    boto3.client("cloudwatch").put_metric_data(Namespace=namespace, MetricData=[
        {"MetricName": name, "Timestamp": now - timedelta(minutes=len(values) - i), "Value": value}
        for i, value in enumerate(values)])


async def test_no_metrics_no_line(aws):
    app = make_app(aws, interval=1.0)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert not app.screen.query_one(MetricsLine).display and "METRICS" not in screen_text(app)


async def test_the_line_shows_each_latest_value_and_the_one_over(aws, calls):
    put("axon-orbit/Axon", "ErrorCount", 1, 5, 3)
    put("axon-orbit/Governance", "DenialCount", 2, 14)
    metrics = (CustomMetric("Axon errors", "axon-orbit/Axon", "ErrorCount", threshold=10),
               CustomMetric(HOSTILE, "axon-orbit/Governance", "DenialCount", threshold=10),
               CustomMetric("checkout", "shop", "Latency", statistic="Average", unit="ms"))
    app = make_app(aws, interval=1.0, metrics=metrics)
    async with app.run_test(size=(120, 30)) as pilot:
        line = app.screen.query_one(MetricsLine)
        await wait_for(pilot, lambda: line.fresh.last_ok is not None)
        await loaded(pilot)
        text = screen_text(app)
        assert "METRICS Axon errors 3 · denials ␛[2J[bold]x[/] 14 > 10 · checkout no data" in text
        bad = [span for span in line._line.spans if "14 > 10" in line._line.plain[span.start:span.end]]
        assert bad, "the value over its threshold is styled apart"
        assert app.refresher._panes[app.screen.metrics_source].interval == METRICS_SECONDS
    assert sum(1 for name, params in calls.items if name == "GetMetricData"
               and any(q["Id"].startswith("custom") for q in params["MetricDataQueries"])) == 1
