"""The one registry of what a key can start: each entry's key, title, where it acts, whether it changes anything
and its command-palette text. The panes' and screens' bindings, their `check_action` (read-only), the footer,
the help panel (`?`) and the palette are all made from it; adding an action is one entry and one flow
(warroom.screens.flows)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

PANE_KEYS = {"services": "1", "alarms": "2", "databases": "3", "connections": "4", "dependencies": "5"}  # main's panes


@dataclass(frozen=True)
class Act:
    """One action a key starts. `places`: the main screen's panes ("services", …), the main screen itself
    ("main") and the detail screens ("service", "alarm", "database") where its key acts. A `local` act is a
    method of the pane or screen itself (`action_<name>`); the others are flows started with the selected row."""

    name: str
    key: str
    title: str
    places: tuple[str, ...]
    mutates: bool = False
    palette: str = ""  # per row of a pane ("{name}" is the row's name); without "{name}", one command
    offered: Callable[[Any], bool] = lambda row: True  # whether the palette offers it for this row
    needs_row: bool = True
    local: bool = False
    show: bool = True

    @property
    def pane(self) -> str:
        """The main screen's pane it acts in ("" when none)."""
        return next((place for place in self.places if place in PANE_KEYS), "")


ACTS = {act.name: act for act in (
    Act("scale", "s", "Scale", ("services", "service"), True, "Scale {name}"),
    Act("redeploy", "D", "Redeploy", ("services", "service"), True, "Force a new deployment of {name}"),
    Act("rollback", "R", "Roll back", ("services", "service"), True, "Roll back {name}"),
    Act("logs", "l", "Logs", ("services",), palette="Tail the logs of {name}"),
    Act("service_sessions", "c", "Sessions", ("services",), palette="PostgreSQL sessions from {name}", show=False),
    Act("stop_task", "x", "Stop task", ("service",), True, local=True),
    Act("silence", "m", "Silence", ("alarms", "alarm"), True, "Silence {name}",
        offered=lambda alarm: alarm.actions_enabled),
    Act("silence_prefix", "M", "Silence prefix", ("alarms",), True, "Silence alarms by name prefix",
        needs_row=False),
    Act("unsilence", "u", "Unsilence", ("alarms", "alarm"), True, "Re-enable the actions of {name}",
        offered=lambda alarm: not alarm.actions_enabled),
    Act("unsilence_all", "U", "Unsilence all", ("alarms",), True, needs_row=False),
    Act("watch_database", "c", "Sessions", ("databases",)),
    Act("cancel_query", "C", "Cancel query", ("connections",), True),
    Act("terminate", "K", "Terminate", ("connections",), True),
    Act("terminate_idle", "I", "Terminate idle", ("connections",), True, needs_row=False),
    Act("sort_sessions", "o", "Sort", ("connections",), local=True),
    Act("statements", "p", "Statements", ("connections",), palette="PostgreSQL: top statements and database sizes",
        needs_row=False, show=False),
    Act("snapshot", "S", "Snapshot", ("database",), True),
    Act("grow_storage", "G", "Grow storage", ("database",), True),
    Act("restore", "T", "Restore snapshot", ("database",), True, local=True),
    Act("timeline", "t", "Timeline", ("main",), palette="What changed: the timeline", needs_row=False, local=True),
    Act("switch_env", "e", "Environment", ("main",), palette="Switch environment…", needs_row=False, local=True,
        show=False),
    Act("switch_region", "E", "Region", ("main",), palette="Switch region…", needs_row=False, local=True,
        show=False),
)}


def acts_in(place: str) -> list[Act]:
    """The acts whose key acts in `place`, in registry order."""
    return [act for act in ACTS.values() if place in act.places]


def act_of(action: str, parameters: tuple[object, ...]) -> Act | None:
    """The act a Textual action runs: `request('scale')` or a local act's own name."""
    if action == "request" and parameters:
        return ACTS.get(str(parameters[0]))
    act = ACTS.get(action)
    return act if act is not None and act.local else None
