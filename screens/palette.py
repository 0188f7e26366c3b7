"""Command palette entries for the fleet: open any service or alarm by name, refresh, and every registry act
that has palette text, per row of its pane."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from warroom.registry import ACTS
from warroom.screens.flow import start_act
from warroom.screens.main import MainScreen
from warroom.data.models import Service
from warroom.untrusted import clean


def highlight(matcher: Matcher, label: str) -> Content:
    """The label with the matched letters styled; unlike `Matcher.highlight` it never parses markup."""
    content = Content(label)
    _, offsets = matcher.fuzzy_search.match(matcher.query, label)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _about(row: Any) -> str:
    """A palette command's help: a service's desired count and cluster, an alarm's state."""
    if isinstance(row, Service):
        return f"desired {row.desired} · {clean(row.cluster, limit=200)}"
    return clean(getattr(row, "state", ""))


class FleetCommands(Provider):
    """What the main screen offers: every known service and alarm, and the screen's own actions."""

    def _commands(self) -> list[tuple[str, Any, str]]:
        app: Any = self.app
        main = next((s for s in app.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            return []
        commands: list[tuple[str, Any, str]] = [
            ("Refresh all panes now", main.action_refresh, "Read every pane again now"),
        ]
        for kind in ("services", "alarms"):
            for row in main.pane(kind).rows:
                label = f"Open {kind[:-1]} {clean(row.name, limit=200)}"
                commands.append((label, partial(app.open_detail, row), clean(getattr(row, "cluster", "") or row.state)))
        for act in ACTS.values():
            if act.palette and "main" in act.places:
                commands.append((act.palette, getattr(main, f"action_{act.name}"), act.title))
            if not act.palette or not act.pane or act.pane not in main.panes:
                continue
            rows = main.pane(act.pane).rows
            if "{name}" not in act.palette:
                commands.append((act.palette, partial(start_act, main, act.name, None, rows), act.title))
                continue
            commands += [(act.palette.format(name=clean(row.name, limit=200)),
                          partial(start_act, main, act.name, row, rows), _about(row))
                         for row in rows if act.offered(row)]
        commands += [(f"Stop a task of {clean(row.name, limit=200)}", partial(app.open_detail, row),
                      "opens the service: x stops a task") for row in main.pane("services").rows]
        return commands

    async def discover(self) -> Hits:
        for label, callback, help_text in self._commands()[:20]:
            yield DiscoveryHit(Content(label), callback, help=Content(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, highlight(matcher, label), callback, help=Content(help_text))
