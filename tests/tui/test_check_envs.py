"""`warroom check --all-envs` and `--env A --env B`: every environment at once, two accounts in one moto server
reached through role profiles; the JSON's `environments`, and the worst exit status of all."""

from __future__ import annotations

import json

import pytest

from tests.accounts import role_profiles
from warroom.cli import main
from warroom.data.aws import Aws
from warroom.demo.world import put_alarm

CONFIG = """
[env.alpha]
profile = "alpha"

[env.beta]
profile = "beta"
"""


@pytest.fixture
def config(moto_server, tmp_path, monkeypatch):
    """alpha has an alarm in ALARM, beta's is OK; the config file's path."""
    role_profiles(tmp_path, monkeypatch)
    for profile, state in (("alpha", "ALARM"), ("beta", "OK")):
        aws = Aws(profile)
        put_alarm(aws, f"{profile}-cpu", state)
        aws.close()
    path = tmp_path / "warroom.toml"
    path.write_text(CONFIG)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_all_envs_json_has_each_environment_and_exits_with_the_worst(config, capsys):
    code, out, _ = run(capsys, "--config", str(config), "--all-envs", "--json")
    report = json.loads(out)
    assert code == 1 and report["schema"] == "warroom.check/1" and report["ok"] is False
    assert {"schema", "ok", "environment", "account", "region", "checked_at", "since", "summary",
            "findings"} < set(report)
    assert [(e["environment"], e["ok"], e["account"]) for e in report["environments"]] == [
        ("alpha", False, "111111111111"), ("beta", True, "222222222222")]
    assert report["summary"]["alarm"] == {"checked": 2, "problems": 1}
    assert {(f["environment"], f["resource"], f["status"]) for f in report["findings"]} == {
        ("alpha", "alpha-cpu", "problem"), ("beta", "beta-cpu", "ok")}


def test_an_environment_that_cannot_be_checked_makes_it_exit_2(config, capsys):
    config.write_text(CONFIG + '\n[env.broken]\nprofile = "no-such-profile"\n')
    code, out, err = run(capsys, "--config", str(config), "--all-envs", "--json")
    report = json.loads(out)
    assert code == 2 and report["ok"] is False
    assert report["environments"][2] == {"environment": "broken", "ok": False, "error": (
        "could not check: The config profile (no-such-profile) could not be found")}
    assert "warroom check · broken · could not check: " in err
    code, out, _ = run(capsys, "--config", str(config), "--env", "beta", "--env", "alpha")
    assert code == 1
    assert out.index("warroom check · beta · 222222222222") < out.index("warroom check · alpha · 111111111111")
    assert "NOT as expected: alarm 1 (1 not as expected)" in out and "all as expected: alarm 1 ok" in out


def test_several_environments_refuse_one_profile_or_an_unknown_name(config, capsys):
    code, _, err = run(capsys, "--config", str(config), "--all-envs", "--profile", "alpha")
    assert code == 2 and "--profile and --region choose one environment" in err
    code, _, err = run(capsys, "--config", str(config), "--env", "alpha", "--env", "gamma")
    assert code == 2 and "no environment 'gamma' in the config file (have: alpha, beta)" in err
    code, out, _ = run(capsys, "--config", str(config), "--env", "beta")  # one --env: as before
    assert code == 0 and "warroom check · beta · 222222222222" in out
