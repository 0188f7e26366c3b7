"""Command palette entries for the fleet: open any service or alarm by name, refresh, filter."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from warroom.screens.main import MainScreen
from warroom.untrusted import clean


def highlight(matcher: Matcher, label: str) -> Content:
    """The label with the matched letters styled; unlike `Matcher.highlight` it never parses markup."""
    content = Content(label)
    _, offsets = matcher.fuzzy_search.match(matcher.query, label)
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


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
        for row in main.pane("services").rows:
            name, cluster = clean(row.name, limit=200), clean(row.cluster, limit=200)
            commands += [
                (f"Scale {name}", partial(main.ask_scale, row), f"desired {row.desired} · {cluster}"),
                (f"Force a new deployment of {name}", partial(main.redeploy_service, row), cluster),
                (f"Roll back {name}", partial(main.roll_back, row), cluster),
                (f"Stop a task of {name}", partial(app.open_detail, row), "opens the service: x stops a task"),
            ]
        for row in main.pane("alarms").rows:
            name = clean(row.name, limit=200)
            if row.actions_enabled:
                commands.append((f"Silence {name}", partial(main.silence_alarm, row), row.state))
            else:
                commands.append((f"Re-enable the actions of {name}", partial(main.unsilence_alarm, row), row.state))
        commands.append(("Silence alarms by name prefix", main.action_silence_prefix, "maintenance window"))
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
