"""Silence an alarm for 30 minutes and re-enable it, in a real terminal; the server's alarm actions after each."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import confirm, focus, main_screen, only, prompt, settled

ALARM = "omnirapeutic-production-ecs-cpu"


def actions_enabled(seeder) -> bool:
    return seeder.client("cloudwatch").describe_alarms(AlarmNames=[ALARM])["MetricAlarms"][0]["ActionsEnabled"]


@pytest.mark.parametrize("production", [False, True], ids=["plain", "production"])
def test_silence_an_alarm_for_30m_and_re_enable_it(world, start, keys, seeder, production):
    app = start("silence an alarm 30m, re-enable it", production=production)
    main_screen(app)
    focus(app, "2", "Silence")
    only(app, "ecs-cpu")
    app.terminal.press("m")
    prompt(app, "30m")
    app.terminal.type("30m")
    app.terminal.press("Enter")
    confirm(app)
    line, _ = settled(app)
    assert "settled after" in line and "1 of 1 alarm(s) with actions off" in line, line
    assert not actions_enabled(seeder)
    app.terminal.press("Escape")
    screen = app.terminal.gone("(Esc closes)")
    assert ALARM in screen[screen.index("SILENCED"):]
    app.terminal.press("u")
    confirm(app)
    line, _ = settled(app)
    keys(app)
    assert "settled after" in line and "1 of 1 alarm(s) with actions on" in line, line
    assert actions_enabled(seeder)
    app.terminal.press("Escape")
    app.terminal.gone("(Esc closes)")
    app.terminal.gone("SILENCED", 30)
    assert [r["action"] for r in app.audit()] == ["silence", "silence", "alarm-actions-on", "alarm-actions-on"]
