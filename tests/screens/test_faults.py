"""Faults between the app and AWS, through a fault-injecting proxy in front of the moto server: the panes keep
their rows and say why, retries back off (requests are counted), and everything recovers by itself."""

from __future__ import annotations

import pytest

from tests.helpers import confirming, loaded, make_app, screen_text, settled, wait_for
from warroom.data.aws import Aws
from warroom.demo.world import ServiceSpec, create_services, put_alarm


@pytest.fixture
def world(seeder):
    create_services(seeder, [ServiceSpec("prod", "api", 2), ServiceSpec("prod", "web", 2)], tasks=False)
    put_alarm(seeder, "prod-cpu", "ALARM")


async def test_expired_credentials_say_so_and_ctrl_r_reloads_them(proxy, world):
    aws = Aws()
    app = make_app(aws, interval=1.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "services")
        pane = app.screen.pane("services")
        proxy.fault = "ExpiredTokenException"
        await wait_for(pilot, lambda: pane.fresh.error is not None)
        await settled(pilot)
        text = screen_text(app)
        assert "CREDENTIALS" in text and "ExpiredTokenException" in text and "ctrl+r reloads" in text
        assert " api " in text and " web " in text  # the last good rows stay
        assert "Traceback" not in text
        proxy.fault = None  # `aws sso login` in another pane
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "CREDENTIALS" not in screen_text(app) and pane.fresh.error is None)
    aws.close()


async def test_an_unreachable_endpoint_backs_off_and_recovers(proxy, world):
    aws = Aws(timeout=2.0)
    app = make_app(aws, interval=1.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        panes = [app.screen.pane(name) for name in ("services", "alarms", "databases")]
        proxy.fault = "reset"
        before = proxy.count()
        await wait_for(pilot, lambda: all(p.fresh.error is not None for p in panes))
        await pilot.pause(6.0)
        # Per pane, reads at about 0, 2 and 6 s, each at most 3 attempts (botocore's standard mode) of at most
        # 2 calls: a retry storm would be hundreds.
        assert proxy.count() - before <= 3 * 3 * 3 * 2 + 10
        await settled(pilot)
        text = screen_text(app)
        assert "refresh failed: EndpointUnreachable" in text and "retry in" in text and " api " in text
        proxy.fault = None
        await wait_for(pilot, lambda: all(p.fresh.error is None for p in panes), timeout=20)  # one backoff period
    aws.close()


async def test_throttling_on_30_percent_of_calls_is_absorbed(proxy, world):
    aws = Aws()
    app = make_app(aws, interval=1.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "services")
        pane = app.screen.pane("services")
        proxy.fault, proxy.rate = "ThrottlingException", 0.3
        before, reads = proxy.count("ListClusters"), pane.fresh.last_ok
        await wait_for(pilot, lambda: pane.fresh.last_ok > reads, timeout=15)  # retries absorb most throttles
        await pilot.pause(3.0)
        assert pane.fresh.last_ok > reads and "Traceback" not in screen_text(app)
        # at most one read a second, each at most 3 attempts: never a storm
        assert proxy.count("ListClusters") - before <= 18 * 3
    aws.close()


@pytest.mark.parametrize("fault, delay, codes", [
    pytest.param("delay", 2.5, {"ReadTimeout", "EndpointUnreachable"}, id="later-than-the-read-timeout"),
    pytest.param("500", 0.0, {"500"}, id="5xx"),
])
async def test_failed_answers_keep_the_rows_and_recover(proxy, world, fault, delay, codes):
    aws = Aws(timeout=1.0)
    app = make_app(aws, interval=1.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "services")
        pane = app.screen.pane("services")
        proxy.fault, proxy.delay = fault, delay
        await wait_for(pilot, lambda: pane.fresh.error is not None, timeout=20)
        assert pane.fresh.error.code in codes and len(pane.rows) == 2
        proxy.fault = None
        await wait_for(pilot, lambda: pane.fresh.error is None, timeout=20)
    aws.close()


async def test_a_redeploy_that_times_out_is_audited_and_never_sent_twice(proxy, world, tmp_path):
    from warroom.audit import AuditLog

    aws = Aws(timeout=1.0)
    app = make_app(aws, interval=30.0)
    app.runner.audit = AuditLog(tmp_path / "audit.jsonl")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "services")
        proxy.fault, proxy.delay, proxy.only = "delay", 2.0, {"UpdateService"}
        await pilot.press("D")
        await wait_for(pilot, lambda: confirming(app))
        await pilot.press("Y")
        await wait_for(pilot, lambda: len(list(app.runner.audit.records())) == 2, timeout=15)
    records = list(app.runner.audit.records())
    assert [r["phase"] for r in records] == ["intent", "outcome"]
    assert records[1]["outcome"] == "error" and records[1]["error_code"] == "ReadTimeout"
    assert proxy.count("UpdateService") == 1  # sent once: a retry could have started a second deployment
    aws.close()
