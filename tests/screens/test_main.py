"""The main screen against the moto server: panes fill, order, keys, filter, detail screens, failures."""

from __future__ import annotations

from warroom.screens.main import MainScreen
from tests.helpers import loaded, make_app, screen_text, settled, wait_for
from warroom.data.aws import Aws
from warroom.demo import server
from warroom.demo.world import ServiceSpec, backend_service, create_aurora, create_services, event, put_alarm

HOSTILE_EVENT = "(service api) [bold red]x[/] \x1b]0;owned\x07 \x1b[2J done"


def seed(aws: Aws) -> None:
    create_services(aws, [
        ServiceSpec("prod", "api", 3, events=[(5, HOSTILE_EVENT)], previous_revision=2),
        ServiceSpec("prod", "web", 2, running=1, pending=1, rollout="IN_PROGRESS"),
        ServiceSpec("prod", "worker", 1),
    ])
    put_alarm(aws, "prod-cpu", "OK")
    put_alarm(aws, "prod-5xx", "ALARM", "Threshold Crossed: [link=http://x]y[/link]")
    put_alarm(aws, "prod-mem", "INSUFFICIENT_DATA")
    create_aurora(aws, "prod-aurora", instances=1)


async def test_panes_fill_with_what_needs_a_look_first(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert [s.name for s in screen.pane("services").visible()] == ["web", "api", "worker"]
        assert [a.name for a in screen.pane("alarms").visible()] == ["prod-5xx", "prod-mem", "prod-cpu"]
        text = screen_text(app)
        assert "Services 3 · 1 need a look" in text
        assert "1/2/1" in text and "IN_PROGRESS" in text
        assert "Threshold Crossed: [link=http://x]y[/link]" in text
        assert "prod-aurora (cluster)" in text
        assert "updated <10s ago" in text
        assert "123456789012" in text


async def test_tab_moves_between_panes_and_j_k_move_rows(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert app.focused.id == "services-table"
        await pilot.press("tab")
        assert app.focused.id == "alarms-table"
        await pilot.press("tab")
        assert app.focused.id == "databases-table"
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused.id == "services-table"
        await pilot.press("j")
        assert app.screen.pane("services").selected.name == "api"
        await pilot.press("k")
        assert app.screen.pane("services").selected.name == "web"
        await pilot.press("2")
        assert app.focused.id == "alarms-table"


async def test_filter_narrows_the_focused_pane_and_escape_clears(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", "w", "o", "r")
        pane = app.screen.pane("services")
        assert [s.name for s in pane.visible()] == ["worker"]
        await pilot.press("enter")
        assert app.focused.id == "services-table"
        assert "filter: wor" in screen_text(app)
        await pilot.press("escape")
        assert len(pane.visible()) == 3


async def detail_text(app, pilot, *keys: str) -> str:
    """Press `keys` on the loaded main screen, wait for the detail screen's first read, return the screen."""
    await loaded(pilot)
    await pilot.press(*keys)
    await wait_for(pilot, lambda: app.screen.fresh.last_ok is not None)
    await settled(pilot)
    return screen_text(app)


async def test_enter_opens_service_detail_with_hostile_text_literal(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(160, 50)) as pilot:
        text = await detail_text(app, pilot, "j", "enter")
        assert "Service api" in text
        assert "(service api) [bold red]x[/] ␛]0;owned␇ ␛[2J done" in text
        assert "PRIMARY" in text and "ACTIVE" in text
        assert "api:3" in text and "api:2" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_alarm_detail_shows_configuration_and_missing_history(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(120, 40)) as pilot:
        text = await detail_text(app, pilot, "tab", "enter")
        assert "Alarm prod-5xx" in text
        assert "GreaterThanThreshold 80" in text
        assert "alarm history: not offered by this endpoint" in text  # moto answers DescribeAlarmHistory 500
        assert "HTTP 500" not in text and "error page" not in text


async def test_refresh_marks_changed_values_and_r_reads_now(aws, seeder, calls):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        service = backend_service("prod", "web")
        service.running_count, service.pending_count = 2, 0
        service.events.insert(0, event(0, "(service web) has reached a steady state."))
        before = app.screen.pane("services").fresh.last_ok
        calls.clear()
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.pane("services").fresh.last_ok != before)
        pane = app.screen.pane("services")
        assert calls.count("DescribeServices") == 1
        web = next(s for s in pane.rows if s.name == "web")
        assert (web.running, web.pending) == (2, 0)
        assert 2 in pane._changed[web.key]  # the Run/Des/Pend column is marked for this refresh


async def test_failed_refresh_keeps_rows_and_says_why(seeder, calls):
    own = server.start()
    try:
        import os

        previous = os.environ["AWS_ENDPOINT_URL"]
        os.environ["AWS_ENDPOINT_URL"] = own.endpoint
        try:
            local = Aws(timeout=1.0)
            seed(local)
        finally:
            os.environ["AWS_ENDPOINT_URL"] = previous
        app = make_app(local, interval=0.5)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            own.stop()
            pane = app.screen.pane("services")
            await wait_for(pilot, lambda: pane.fresh.error is not None)
            await settled(pilot)
            assert len(pane.rows) == 3
            text = screen_text(app)
            assert "refresh failed: EndpointUnreachable" in text
            assert "retry in" in text
            assert "web" in text
    finally:
        own.stop()


async def test_load_balancer_targets_show_in_the_services_pane_and_detail(aws, seeder):
    create_services(seeder, [ServiceSpec("prod", "api", 2, targets=("healthy", "healthy")),
                             ServiceSpec("prod", "web", 2, targets=("healthy", "stopped")),
                             ServiceSpec("prod", "worker", 1)])
    app = make_app(aws)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot, "services")
        pane = app.screen.pane("services")
        await wait_for(pilot, lambda: len(pane.targets) == 2)
        await settled(pilot)
        lines = screen_text(app).splitlines()
        assert any("web" in line and "1/2 ✖" in line and "✖" in line.split("web")[0] for line in lines)
        assert any(" api " in line and "2/2" in line for line in lines)
        assert [s.name for s in pane.visible()][0] == "web"  # unhealthy targets need a look
        await pilot.press("k")  # the cursor stayed on api when web moved to the top
        assert pane.selected.name == "web"
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        await settled(pilot)
        text = screen_text(app)
        assert "Load balancer targets" in text and "web-tg" in text and "Target.InvalidState" in text


async def test_the_hostile_corpus_in_alarm_reasons_events_and_stopped_reasons_is_literal(aws, seeder):
    """Every corpus entry as an alarm reason, a service event and a task's stopped reason, on the panes and the
    detail screens: no control character reaches the terminal, and markup is shown as written."""
    from tests.hostile import as_message, corpus

    texts = [as_message(value) for _, value in corpus()]
    create_services(seeder, [ServiceSpec("prod", "api", 1, events=[(i + 1, t) for i, t in enumerate(texts)],
                                         stopped=texts[:6])])
    for index, text in enumerate(texts):
        put_alarm(seeder, f"hostile-{index:02d}", "ALARM", reason=text)
        put_alarm(seeder, f"name-{index:02d} {text[:60]}", "OK")  # AWS allows any UTF-8 in alarm names
    forbidden = [chr(c) for c in range(0x20) if c != 0x0A] + ["\x7f", "\x9b", "\x9d", "\u202e", "\u200b"]
    app = make_app(aws)
    async with app.run_test(size=(200, 60)) as pilot:
        await loaded(pilot)
        screens = [screen_text(app)]
        screens.append(await detail_text(app, pilot, "enter"))  # the service: events, stopped reasons
        await pilot.press("escape")
        for _ in range(3):  # three alarms' detail screens
            await pilot.press("2", "enter")
            await wait_for(pilot, lambda: app.screen.fresh.last_ok is not None)
            await settled(pilot)
            screens.append(screen_text(app))
            await pilot.press("escape", "j")
        await pilot.press("2", "slash", *"name-", "enter")  # the alarms named with the corpus
        await settled(pilot)
        screens.append(screen_text(app))
        assert sum(f"name-{i:02d} " in screens[-1] for i in range(len(texts))) >= 5
    everything = "\n".join(screens)
    assert not [c for c in forbidden if c in everything]
    for literal_form in ("␛]0;owned␇", "[@click=app.quit]quit[/]", ":skull:", "<U+202E>", "[link=http://x]y[/link]"):
        assert literal_form in everything, literal_form
