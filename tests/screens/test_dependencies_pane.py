"""The Dependencies pane against moto over HTTP: hidden until a cache, function or table is configured or found,
then read on its own slower interval, a problem first, Enter showing a row whole, a hostile description literal."""

from __future__ import annotations

from rich.text import Text

from tests.helpers import loaded, make_app, screen_text, settled, wait_for
from tests.hostile import as_message, corpus
from warroom.demo.world import create_cache, create_function, create_table
from warroom.screens.main import DEPENDENCIES_SECONDS
from warroom.screens.row_view import RowScreen
from warroom.untrusted import clean


def shown(app) -> bool:
    return bool(app.screen.query_one("#dependencies").display)


async def test_hidden_without_any_and_five_says_why(aws):
    app = make_app(aws, interval=1.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "services", "dependencies")
        assert not shown(app)
        await pilot.press("5")
        await wait_for(pilot, lambda: app._notifications)
        assert list(app._notifications)[-1].message == (
            "No Dependencies pane: no cache, function or table found (yet); name them in the config (caches, "
            "functions, tables)")
        assert app.refresher._panes[app.screen.pane("dependencies").source].interval == DEPENDENCIES_SECONDS


async def test_found_ones_are_shown_with_the_hostile_text_literal(aws):
    hostile = as_message(dict(corpus())["osc 0 title"]) + " [bold red]x[/] :skull:"
    create_cache(aws, "orders-redis")
    create_function(aws, "orders-report-worker", description=hostile)
    create_table(aws, "orders-sessions")
    app = make_app(aws, interval=1.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, "services", "dependencies")
        await wait_for(pilot, lambda: shown(app))
        await pilot.press("5")
        await settled(pilot)
        text = screen_text(app)
        assert "Dependencies 3" in text
        assert "orders-redis" in text and "available · 2 members · failover enabled" in text
        assert "Active · Successful · 0 errors, 0 throttles (last hour)" in text
        assert "ACTIVE · 0 throttled requests (last hour)" in text
        pane = app.screen.pane("dependencies")
        while pane.selected is not None and pane.selected.key != "orders-report-worker":
            await pilot.press("j")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RowScreen))
        assert clean(hostile) in screen_text(app) and "python" in screen_text(app)
        assert all(isinstance(value, Text) for _, value in app.screen.fields)


async def test_configured_shows_it_at_once_and_a_scope_narrows_it(aws):
    create_table(aws, "orders-sessions")
    create_table(aws, "billing-ledger")
    app = make_app(aws, interval=1.0, tables=("orders-*",))
    async with app.run_test(size=(120, 40)) as pilot:
        assert shown(app)
        await loaded(pilot, "services", "dependencies")
        await pilot.press("5")
        await settled(pilot)
        text = screen_text(app)
        assert "orders-sessions" in text and "billing-ledger" not in text
