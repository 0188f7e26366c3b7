"""What changed, in a real terminal: the app behind the demo's responder (CloudTrail and alarm history from the
writes that went through it), a scale done in warroom, then `t`: the scale with its caller, beside the
simulator's own changes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import main_screen, only, scale, settled
from warroom.demo.responder import Responder


@pytest.fixture
def responder(moto_server) -> Iterator[Responder]:
    front = Responder(moto_server.endpoint)
    yield front
    front.close()


def test_a_scale_shows_in_the_timeline_with_who_did_it(world, start, keys, responder):
    app = start("who changed a service, last 2h", endpoint=responder.endpoint)
    main_screen(app)
    only(app, "contin")
    scale(app, 2, 5)
    settled(app)
    app.terminal.press("Escape")
    app.terminal.gone("(Esc closes)")
    before = app.terminal.keys
    app.terminal.press("t")  # the Services pane has focus: the service's own timeline
    screen = app.terminal.wait(lambda s: "Timeline of continuum-production-service" in s and "change(s)" in s, 30)
    rows = screen.splitlines()[3:-1]
    sources = {row.split()[1] for row in rows if row.strip()[:2].isdigit()}
    assert {"ecs", "cloudtrail", "warroom"} <= sources, screen  # the simulator's own changes beside the scale
    app.terminal.press("f")  # CloudTrail's writes only: the scale went through the responder
    app.terminal.wait("source cloudtrail")
    app.terminal.press("Enter")
    whole = app.terminal.wait(lambda s: "desiredCount=5" in s and "record" in s)
    keys(app, before)
    assert "UpdateService desiredCount=5" in " ".join(whole.split()) and "warroom" in whole
    assert responder.requests["LookupEvents"] >= 1 and responder.requests["DescribeAlarmHistory"] >= 1
