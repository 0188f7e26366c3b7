"""The log screen against the moto server: hostile lines literal, pause, search, filter, errors, save, open."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from warroom.screens.log_groups import LogGroupPicker
from warroom.screens.logs import LogScreen
from warroom.widgets.log_pane import LogPane
from warroom.screens.prompt import EventViewer
from tests.helpers import loaded, make_app, screen_text, settled, wait_for
from tests.hostile import MEGABYTE_LINE, as_message, corpus, shown
from warroom.demo.world import ServiceSpec, create_services, put_logs

GROUP = "/ecs/prod/api"
STREAM = "app/app/0f1e2d3c"


def seed(seeder) -> None:
    create_services(seeder, [ServiceSpec("prod", "api", 1, log_group=GROUP)], tasks=False)


def put(seeder, *messages: str, seconds_ago: float = 1) -> None:
    put_logs(seeder, GROUP, STREAM, list(messages), datetime.now(timezone.utc) - timedelta(seconds=seconds_ago))


def messages(screen: LogScreen) -> list[str]:
    """The message part of each line on the log view (after the time and the tag column)."""
    return [line[len("HH:MM:SS ") + screen.view.tag_width + 1:] for line in screen.view.lines]


async def open_logs(app, pilot) -> LogScreen:
    await loaded(pilot, "services")
    await pilot.press("l")
    await wait_for(pilot, lambda: isinstance(app.screen, LogScreen) and app.screen.mode == "poll")
    await settled(pilot)
    return app.screen


async def test_hostile_lines_are_shown_literally(aws, seeder):
    seed(seeder)
    cases = corpus()
    put(seeder, *[f"{name}: {as_message(value)}" for name, value in cases], seconds_ago=3)
    put(seeder, MEGABYTE_LINE, seconds_ago=1)
    app = make_app(aws)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await open_logs(app, pilot)
        await wait_for(pilot, lambda: len(screen.view.events) == len(cases) + 1)
        await settled(pilot)
        text = screen_text(app)
        for name, value in cases:
            assert f"{name}: {shown(as_message(value))}" in text, name
        assert "\x1b" not in text and "\x07" not in text
        cut = screen.view.lines[-1]
        assert cut.endswith(f"… [+{(1 << 20) - 8192:,} chars]") and len(cut) < 8300
        await pilot.press("o")
        assert isinstance(app.screen, EventViewer)
        viewer_lines = app.screen.query_one("#viewer-log").lines
        assert sum(len(line) for line in viewer_lines) == 1 << 20


async def test_the_event_viewer_wraps_a_long_stream_name_whole_at_80_columns(aws, seeder):
    seed(seeder)
    stream = ("app/app/[b]omnirapeutic-production-api-" + "0f1e2d3c4b5a6978" * 10)[:150]
    put_logs(seeder, GROUP, stream, ["INFO opened whole"], datetime.now(timezone.utc) - timedelta(seconds=1))
    app = make_app(aws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_logs(app, pilot)
        await wait_for(pilot, lambda: len(screen.view.events) == 1)
        await pilot.press("o")
        await settled(pilot)
        assert isinstance(app.screen, EventViewer)
        rows = [row.split("│")[1].strip() for row in screen_text(app).splitlines() if row.count("│") >= 2]
        assert stream in "".join(rows) and GROUP in "".join(rows)


async def test_pause_keeps_reading_and_resume_shows_what_arrived(aws, seeder):
    seed(seeder)
    put(seeder, "before pause")
    app = make_app(aws)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_logs(app, pilot)
        await pilot.press("space")
        put(seeder, "while paused 1", "while paused 2", seconds_ago=0)
        await wait_for(pilot, lambda: len(screen.pending) == 2)
        await settled(pilot)
        assert "PAUSED 2 new" in screen_text(app)
        assert not any("while paused" in line for line in screen.view.lines)
        await pilot.press("space")
        await settled(pilot)
        assert messages(screen) == ["before pause", "while paused 1", "while paused 2"]


async def test_search_says_which_match_of_how_many_and_when_it_wraps(aws, seeder):
    seed(seeder)
    put(seeder, *[f"INFO line {i}" for i in range(40)], "ERROR needle one", *[f"INFO more {i}" for i in range(40)],
        "ERROR needle two")
    app = make_app(aws)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_logs(app, pilot)
        await wait_for(pilot, lambda: len(screen.view.events) == 82)
        await pilot.press("slash", *"needle", "enter")
        await settled(pilot)
        assert screen.view.lines[screen.view.current].endswith("needle two")
        assert "'needle' match 2/2 · " in screen_text(app)
        for key, line, said in (("N", "needle one", "match 1/2 · "), ("N", "needle two", "match 2/2 · wrapped"),
                                ("n", "needle one", "match 1/2 · wrapped"), ("n", "needle two", "match 2/2 · ")):
            await pilot.press(key)
            await settled(pilot)
            assert screen.view.lines[screen.view.current].endswith(line) and f"'needle' {said}" in screen_text(app)
        await pilot.press("N", "o")  # o opens the highlighted line, the match
        assert isinstance(app.screen, EventViewer) and app.screen.event.message == "ERROR needle one"


async def test_toggles_keep_the_place_and_following(aws, seeder):
    seed(seeder)
    put(seeder, *[f"{'ERROR' if i % 5 == 0 else 'INFO'} event {i}" for i in range(200)])
    app = make_app(aws)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_logs(app, pilot)
        await wait_for(pilot, lambda: len(screen.view.events) == 200)
        for key, newest in (("e", "ERROR event 195"), ("w", "ERROR event 195"), ("e", "INFO event 199")):
            await pilot.press(key)  # while following: still at the newest line, still following
            await settled(pilot)
            bottom = screen_text(app).splitlines()[-2]  # above the footer
            assert bottom.rstrip().endswith(newest) and "not following" not in screen_text(app)
        await pilot.press("g", "pagedown")  # reading older lines
        await settled(pilot)
        place = screen.view.current_event().message
        assert "not following (G)" in screen_text(app)
        for key in ("w", "t", "w", "t"):
            await pilot.press(key)
            await settled(pilot)
            assert screen.view.current_event().message == place and "not following (G)" in screen_text(app)
        await pilot.press("e")
        await settled(pilot)
        error = f"ERROR event {-(-int(place.split()[-1]) // 5) * 5}"  # the first error at or after that line
        assert screen.view.current_event().message == error and error in screen_text(app)
        await pilot.press("G")
        await settled(pilot)
        assert screen.view.following and "not following" not in screen_text(app)


async def test_the_footer_fits_80_columns_and_help_lists_the_rest(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_logs(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert footer.startswith(" / Search  space Pause  f Filter  e Errors  s Since  ? Help  ")
        assert footer.rstrip().endswith("▏^p palette")
    app = make_app(aws)
    async with app.run_test(size=(120, 60)) as pilot:
        await open_logs(app, pilot)
        await pilot.press("question_mark")
        await settled(pilot)
        text = screen_text(app)
        assert all(f" {key} {what}" in text for key, what in (("^s", "Save"), ("o", "Open line"), ("esc", "Back"),
                                                              ("n", "Next match"), ("w", "Wrap")))


async def test_filter_pattern_errors_only_and_since(aws, seeder):
    seed(seeder)
    put(seeder, "INFO a", "ERROR b", "WARN c", "INFO d")
    put(seeder, "ERROR two hours ago", seconds_ago=7200)
    app = make_app(aws)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_logs(app, pilot)
        await wait_for(pilot, lambda: len(screen.view.events) == 4)
        await pilot.press("e")
        assert messages(screen) == ["ERROR b", "WARN c"]
        await pilot.press("e", "f")
        await pilot.press(*"ERROR", "enter")
        await wait_for(pilot, lambda: screen.pattern == "ERROR" and len(screen.view.events) == 1)
        assert screen.view.events[0].message == "ERROR b"
        await pilot.press("s")
        await pilot.press("ctrl+a", "ctrl+k", *"3h", "enter")
        await wait_for(pilot, lambda: len(screen.view.events) == 2)
        assert [e.message for e in screen.view.events] == ["ERROR two hours ago", "ERROR b"]
        await settled(pilot)
        assert "since 3h · filter ERROR" in screen_text(app)


async def test_ctrl_s_saves_the_buffer_one_event_per_line(aws, seeder, tmp_path):
    seed(seeder)
    put(seeder, "one", "two\nlines", "three [bold]x[/]")
    app = make_app(aws)
    app.runner.audit.saved_logs = tmp_path / "saved"  # the run's folder (the demo's is its own: test_audit.py)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_logs(app, pilot)
        await wait_for(pilot, lambda: len(screen.view.events) == 3)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(screen.saved))
        assert Path(screen.saved).parent == tmp_path / "saved"
        saved = Path(screen.saved).read_text().splitlines()
        assert [line.split("\t")[3] for line in saved] == ["one", "two\\nlines", "three [bold]x[/]"]
        assert all(line.split("\t")[1:3] == [GROUP, STREAM] for line in saved)


async def test_escape_goes_back_and_stops_the_tail(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_logs(app, pilot)
        await pilot.press("escape")
        assert not isinstance(app.screen, LogScreen)
        assert "logs" not in app.refresher._panes


async def test_main_screen_log_pane_follows_the_highlighted_service(aws, seeder):
    create_services(seeder, [ServiceSpec("prod", "api", 1, log_group="/ecs/prod/api"),
                             ServiceSpec("prod", "web", 1, log_group="/ecs/prod/web")], tasks=False)
    put_logs(seeder, "/ecs/prod/api", "app/app/1", ["api says hi"])
    put_logs(seeder, "/ecs/prod/web", "app/app/2", ["web says hi"])
    app = make_app(aws)
    async with app.run_test(size=(120, 45)) as pilot:
        await loaded(pilot, "services")
        pane = app.screen.query_one("#logs")
        await wait_for(pilot, lambda: pane.target is not None and len(pane.view.events) == 1)
        first = pane.target.label
        await pilot.press("j")
        await wait_for(pilot, lambda: pane.target.label != first and len(pane.view.events) == 1)
        await settled(pilot)
        assert f"{pane.target.label} says hi" in screen_text(app)
        await pilot.press("tab", "tab", "tab", "enter")
        assert isinstance(app.screen, LogScreen) and app.screen.target == pane.target


async def test_no_log_pane_at_80x24(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, "services")
        assert not app.screen.query_one("#logs").display
        assert app.screen.query_one(LogPane).source not in app.refresher._panes


async def open_picker(app, pilot, seeder, *groups: str) -> LogGroupPicker:
    for group in groups:
        seeder.client("logs").create_log_group(logGroupName=group)
    await loaded(pilot, "services")
    await pilot.press("L")
    await wait_for(pilot, lambda: isinstance(app.screen, LogGroupPicker))
    await wait_for(pilot, lambda: "groups" in str(app.screen.query_one("#picker-note").render()))
    return app.screen


async def test_enter_in_the_prefix_field_tails_every_group_it_matches(aws, seeder):
    app = make_app(aws)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_picker(app, pilot, seeder, "/ecs/prod/api", "/ecs/prod/web", "/ecs/stage/api")
        await pilot.press(*"/ecs/prod", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LogScreen))
        assert app.screen.target.groups == ("/ecs/prod/api", "/ecs/prod/web")
        await settled(pilot)
        assert "Logs /ecs/prod/api, /ecs/prod/web" in screen_text(app)


async def test_the_picker_says_why_it_does_not_tail_and_stays_open(aws, seeder):
    app = make_app(aws)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = await open_picker(app, pilot, seeder, *[f"/ecs/svc-{i:02}" for i in range(12)])
        await pilot.press(*"/nope", "enter")
        await wait_for(pilot, lambda: "no log group starts with '/nope'" in screen_text(app))
        assert app.screen is picker
        await pilot.press(*["backspace"] * 5, *"/ecs/", "enter")
        await wait_for(pilot, lambda: "12 groups, over 10 to tail: type more, or Tab and pick" in screen_text(app))
        assert app.screen is picker
        await pilot.press(*"svc-1", "enter")  # /ecs/svc-1: 10 and 11
        await wait_for(pilot, lambda: isinstance(app.screen, LogScreen))
        assert app.screen.target.groups == ("/ecs/svc-10", "/ecs/svc-11")


async def test_tab_then_enter_tails_the_highlighted_group_or_every_match(aws, seeder):
    app = make_app(aws)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_picker(app, pilot, seeder, "/ecs/a", "/ecs/b")
        await pilot.press("tab", "enter")  # nothing highlighted yet: what the (empty) prefix matches
        await wait_for(pilot, lambda: isinstance(app.screen, LogScreen))
        assert app.screen.target.groups == ("/ecs/a", "/ecs/b")
        await pilot.press("escape")
        await open_picker(app, pilot, seeder)
        await pilot.press("tab", "down", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LogScreen))
        assert app.screen.target.groups == ("/ecs/b",)
