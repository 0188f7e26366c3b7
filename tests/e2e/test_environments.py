"""Several environments in a real terminal: two accounts behind role profiles in ~/.aws/config; warroom without
--env opens on the overview; Enter opens one, `e` switches to the other, `0` comes back."""

from __future__ import annotations

from tests.accounts import profiles_text, role_profiles
from tests.e2e.conftest import WARROOM
from warroom.data.aws import Aws
from warroom.demo.world import put_alarm

CONFIG = """
[env.alpha]
profile = "alpha"

[env.beta]
profile = "beta"
"""


def test_overview_open_switch_and_back(moto_server, start, keys, tmp_path, monkeypatch):
    role_profiles(tmp_path, monkeypatch)  # the same profiles for the seeding here
    for profile, state in (("alpha", "OK"), ("beta", "ALARM")):
        aws = Aws(profile)
        put_alarm(aws, f"{profile}-cpu", state)
        aws.close()
    app = start("see every environment, open one, switch", size="200x50", config=CONFIG,
                aws_config=profiles_text(), command=(str(WARROOM), "--refresh", "2"))
    screen = app.terminal.wait(lambda s: "2 environments · 1 need a look" in s and s.count("<10s") == 2, 40)
    alpha = next(line for line in screen.splitlines() if line.split()[:1] == ["alpha"])
    assert alpha.split() == ["alpha", "0/0", "0", "0", "0/0", "<10s", "111111111111", "us-east-1"]
    app.terminal.press("Down")
    app.terminal.press("Enter")
    screen = app.terminal.wait(lambda s: "beta-cpu" in s and "222222222222" in s, 30)
    assert "alpha-cpu" not in screen
    app.terminal.press("e")
    app.terminal.wait("Switch to (type to filter")
    app.terminal.type("alp")
    app.terminal.press("Enter")
    screen = app.terminal.wait(lambda s: "alpha-cpu" in s and "111111111111" in s, 30)
    assert "beta-cpu" not in screen and "222222222222" not in screen
    app.terminal.press("0")
    app.terminal.wait("2 environments · 1 need a look")
    keys(app)
