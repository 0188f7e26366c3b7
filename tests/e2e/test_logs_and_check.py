"""Tail a service's ERROR lines of the last 30 minutes, and the morning `warroom check` typed in a shell."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from tests.e2e.conftest import WARROOM, main_screen, only, prompt
from warroom.demo.world import put_logs

GROUP = "/ecs/pardon-production"


def test_tail_a_services_error_lines_of_the_last_30_minutes(world, start, keys, seeder):
    now = datetime.now(timezone.utc)
    put_logs(seeder, GROUP, "app/app/e2e", ["ERROR e2e-old: from 20 minutes ago"], now - timedelta(minutes=20))
    put_logs(seeder, GROUP, "app/app/e2e", ["ERROR e2e-ancient: from 50 minutes ago"], now - timedelta(minutes=50))
    put_logs(seeder, GROUP, "app/app/e2e", ["INFO e2e-quiet: not an error"], now - timedelta(minutes=5))
    app = start("tail a service's ERROR lines, last 30 min")
    main_screen(app)
    only(app, "pard")
    app.terminal.press("l")
    app.terminal.wait(GROUP)
    app.terminal.press("f")
    prompt(app, "CloudWatch filter pattern")
    app.terminal.press("Enter")
    app.terminal.press("s")
    prompt(app, "Since (5m")
    app.terminal.type("30m")
    app.terminal.press("Enter")
    screen = app.terminal.wait("e2e-old: from 20 minutes ago")
    keys(app)
    rows = [row for row in screen.splitlines()[1:-2] if "e2e-" in row]
    assert rows and all("ERROR" in row for row in rows), screen
    assert "e2e-ancient" not in screen and "e2e-quiet" not in screen


def test_the_morning_warroom_check(world, start, keys):
    app = start("morning `warroom check`", command=("bash", "--norc", "--noprofile", "-i"))
    app.terminal.wait("e2e$")
    before = app.terminal.keys
    app.terminal.type("warroom check")
    app.terminal.press("Enter")
    screen = app.terminal.wait(lambda s: "pardon-production-service" in s and s.rstrip().endswith("e2e$"), 60)
    keys(app, before)
    assert "problem" in screen.lower() or "FAILED" in screen
    app.terminal.type("warroom check --json > out.json; echo status=$?")
    app.terminal.press("Enter")
    app.terminal.wait("status=1")
    report = json.loads((app.home / "out.json").read_text())
    assert report["schema"] == "warroom.check/1" and report["ok"] is False
    assert any(f["resource"].endswith("pardon-production-service") and f["status"] == "problem"
               for f in report["findings"])
    assert WARROOM.exists()
