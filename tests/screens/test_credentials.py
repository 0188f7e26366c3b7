"""Temporary credentials running out: a credential_process profile whose credentials end at a fixed time, read
through botocore as the app reads them; the app's clock frozen to walk towards the end."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone

import pytest

from tests.helpers import loaded, screen_text, settled, wait_for
from warroom import clock
from warroom.app import WarroomApp
from warroom.audit import AuditLog
from warroom.aws_backend import AwsBackend
from warroom.config import Environment
from warroom.data.aws import Aws
from warroom.data.identity import whoami
from warroom.demo.world import put_alarm


@pytest.fixture
def ends(moto_server, tmp_path, monkeypatch) -> datetime:
    """A `temporary` profile whose credential_process gives credentials ending in 20 minutes (so botocore does
    not renew them during the test); when they end."""
    end = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(minutes=20)
    answer = tmp_path / "credentials.json"
    answer.write_text(json.dumps({"Version": 1, "AccessKeyId": "testing", "SecretAccessKey": "testing",
                                  "SessionToken": "session", "Expiration": end.isoformat()}))
    config = tmp_path / "aws-config"
    config.write_text(f"[profile temporary]\ncredential_process = {sys.executable} -c "
                      f"\"print(open('{answer}').read())\"\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    yield end
    clock.freeze(None)


async def test_the_header_counts_down_warns_at_10_minutes_and_actions_stop_at_2(ends, tmp_path):
    aws = Aws("temporary")
    put_alarm(aws, "prod-cpu", "ALARM")
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = WarroomApp(AwsBackend(aws, Environment(name="prod"), whoami(aws)), interval=30.0, audit=audit)
    clock.freeze(ends - timedelta(minutes=15))
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot, "alarms")
        await wait_for(pilot, lambda: "creds 15m left" in screen_text(app))
        assert not app._notifications
        clock.freeze(ends - timedelta(minutes=9, seconds=30))
        await wait_for(pilot, lambda: "CREDENTIALS END IN 9m" in screen_text(app))
        assert [n.message for n in app._notifications] == [
            "the credentials of prod end in 9m: renew them (aws sso login for an SSO profile), then ctrl+r; actions "
            "are refused in the last 2 minutes"]
        clock.freeze(ends - timedelta(seconds=90))
        await wait_for(pilot, lambda: "CREDENTIALS END IN <1m" not in screen_text(app) and
                       "CREDENTIALS END IN 1m" in screen_text(app))
        await pilot.press("2", "m")
        await wait_for(pilot, lambda: len(app._notifications) == 2)
        assert list(app._notifications)[-1].message == (
            "Silence prod-cpu refused: the credentials end in 1m, and a call could fail halfway: renew them (aws sso "
            "login for an SSO profile), then ctrl+r")
        clock.freeze(ends + timedelta(seconds=1))
        await wait_for(pilot, lambda: "CREDENTIALS ENDED" in screen_text(app))
        await settled(pilot)
    assert aws.client("cloudwatch").describe_alarms(AlarmNames=["prod-cpu"])["MetricAlarms"][0]["ActionsEnabled"]
    assert list(audit.records()) == []
    aws.close()
