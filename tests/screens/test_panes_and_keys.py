"""The main screen's panes and keys on a real terminal size: a pane without focus shows its worst rows, panes
take the rows they need, the footer and `?` show the focused pane's keys, keys that cannot act say why."""

from __future__ import annotations

from warroom.screens.confirm import ConfirmScreen
from tests.helpers import loaded, make_app, screen_text, settled, wait_for
from warroom.demo.world import ServiceSpec, create_instance, create_services, put_alarm


def seed(aws, alarms_ok: int = 7) -> None:
    create_services(aws, [ServiceSpec("prod", "api", 2), ServiceSpec("prod", "web", 2, running=1),
                          ServiceSpec("prod", "worker", 1)], tasks=False)
    put_alarm(aws, "prod-5xx", "ALARM")
    put_alarm(aws, "prod-latency", "ALARM")
    for index in range(alarms_ok):
        put_alarm(aws, f"prod-ok-{index}", "OK")
    create_instance(aws, "prod-db")


def pane_lines(text: str, title: str) -> list[str]:
    """The lines of the pane whose border title starts with `title`, borders included."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"╭─ {title}"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("╰"))
    return lines[start:end + 1]


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


def help_panel(app) -> list[str]:
    """The help panel's lines, without its scrollbar."""
    return [line.split("▏")[-1].strip(" ▁▂▃▄▅▆▇█") for line in screen_text(app).splitlines()]


async def test_a_pane_without_focus_shows_its_worst_rows_and_its_cursor_comes_back(aws, seeder):
    seed(seeder, alarms_ok=20)
    app = make_app(aws)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("2", *"j" * 15)
        alarms = app.screen.pane("alarms")
        assert alarms.selected.state == "OK"
        await settled(pilot)
        assert alarms.selected.name in screen_text(app)
        await pilot.press("1")
        await settled(pilot)
        shown = pane_lines(screen_text(app), "Alarms 22 · 2 in ALARM")
        assert shown[2].split()[1:3] == ["ALARM", "prod-5xx"]  # the top of its sort, not the cursor's row
        assert shown[3].split()[1:3] == ["ALARM", "prod-latency"]
        assert alarms.selected.name not in "".join(shown)
        await pilot.press("2")
        await settled(pilot)
        assert alarms.selected.state == "OK" and alarms.selected.name in screen_text(app)


async def test_panes_take_the_rows_their_content_needs_and_the_focused_pane_the_rest(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(200, 50)) as pilot:
        await loaded(pilot)
        await wait_for(pilot, lambda: app.screen.pane("services").outer_size.height == 6)
        text = screen_text(app)
        services = pane_lines(text, "Services 3")
        assert len(services) == 6 and all(name in "".join(services) for name in ("api", "web", "worker"))
        alarms = pane_lines(text, "Alarms 9")
        assert len(alarms) == 12  # all nine alarms, no blank row
        assert sum(" prod-" in line for line in alarms) == 9
        assert len(pane_lines(text, "Databases 1")) == 4
        await pilot.press("3")  # focused, the Databases pane still needs no more: the log pane takes the rest
        await settled(pilot)
        text = screen_text(app)
        assert [len(pane_lines(text, title)) for title in ("Services 3", "Alarms 9", "Databases 1")] == [6, 12, 4]
        assert len(pane_lines(text, "Logs")) == 50 - 2 - 22


async def test_the_footer_shows_the_focused_panes_keys_first(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        line = footer(app)
        assert line.index("s Scale") < line.index("tab Next pane")
        assert "D Redeploy" in line and "R Roll back" in line and "l Logs" in line and "m Silence" not in line
        await pilot.press("2")
        await settled(pilot)
        line = footer(app)
        assert all(key in line for key in ("m Silence", "M Silence prefix", "u Unsilence", "U Unsilence all"))
        assert "s Scale" not in line
        await pilot.press("3")
        await settled(pilot)
        line = footer(app)
        assert "⏎ Open" in line and "c Sessions" in line and "s Scale" not in line and "m Silence" not in line


async def test_a_key_of_another_pane_says_where_it_acts(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: "Silence: a key of the Alarms pane (press 2)" in screen_text(app))
        assert app.screen.__class__.__name__ == "MainScreen"
        await pilot.press("2", "s")
        await wait_for(pilot, lambda: "Scale: a key of the Services pane (press 1)" in screen_text(app))


async def test_help_scrolls_to_its_last_key_with_pgdn_and_says_so(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await settled(pilot)
        table = app.screen.query_one("BindingsTable").render_bindings_table()
        last = " ".join(str(column._cells[-1]) for column in table.columns)
        assert "pgdn Scroll help ↓" in help_panel(app) and last not in help_panel(app)
        for _ in range(5):
            await pilot.press("pagedown")
        await settled(pilot)
        assert last in help_panel(app)
        await pilot.press("pageup", "question_mark", "pagedown")  # without the panel, pgdn is the table's again
        await settled(pilot)
        assert not app.screen.query("HelpPanel") and app.screen.pane("services").table.cursor_row > 0


async def test_read_only_action_keys_say_read_only_in_one_line(aws, seeder, calls):
    seed(seeder)
    app = make_app(aws, read_only=True)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await loaded(pilot)
        assert "s Scale" not in footer(app)
        await pilot.press("s")
        await wait_for(pilot, lambda: "read-only: Scale refused" in screen_text(app))
        await pilot.press("2", "m")
        await wait_for(pilot, lambda: "read-only: Silence refused" in screen_text(app))
        await pilot.pause(0.2)
        assert not isinstance(app.screen, ConfirmScreen) and app.screen.__class__.__name__ == "MainScreen"
    assert calls.count("UpdateService") == 0 and calls.count("DisableAlarmActions") == 0


async def test_help_lists_the_screens_keys_first(aws, seeder):
    seed(seeder)
    app = make_app(aws)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await settled(pilot)
        panel = help_panel(app)
        for key in ("⏎ Open", "s Scale", "D Redeploy", "R Roll back", "l Logs", "/ Filter", "r Refresh", "q Quit"):
            assert key in panel, key
        assert "Cursor up" not in "\n".join(panel)  # the table's scroll keys come after, further down
