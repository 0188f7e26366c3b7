"""How a screen runs a flow (prompts, then the gate) so that nothing in it can take the app down: a flow runs as
a worker of the screen in the "action" group, and an exception ends it with one line said. Every registry act
that is not a pane's or screen's own method has its flow in FLOWS, started with the row it acts on (and the rows
of its pane); a screen's own flow methods are decorated with `action_flow`."""

from __future__ import annotations

import functools
from typing import Any, Awaitable, Callable

from textual import work

from warroom.screens import alarm_flows, database_flows, service_flows, session_flows
from warroom.screens.hosted import Hosted
from warroom.untrusted import clean

Flow = Callable[[Any, Any, Any], Awaitable[None]]

FLOWS: dict[str, Flow] = {
    "scale": service_flows.scale, "redeploy": service_flows.redeploy, "rollback": service_flows.rollback,
    "logs": service_flows.logs, "service_sessions": session_flows.service_sessions,
    "silence": alarm_flows.silence, "silence_prefix": alarm_flows.silence_prefix,
    "unsilence": alarm_flows.unsilence, "unsilence_all": alarm_flows.unsilence_all,
    "watch_database": session_flows.watch_database, "cancel_query": session_flows.cancel_query,
    "terminate": session_flows.terminate, "terminate_idle": session_flows.terminate_idle,
    "statements": session_flows.statements,
    "snapshot": database_flows.snapshot, "grow_storage": database_flows.grow_storage,
}


def say_stopped(app: Any, what: str, exc: Exception) -> None:
    """A bug that ended a flow, said in one line: the app and its other panes stay up."""
    app.notify(clean(f"{what} stopped: {type(exc).__name__}: {exc}"), severity="error", timeout=15)


def start(host: Hosted, flow: Flow, row: Any, rows: Any = ()) -> None:
    """Run `flow(host, row, rows)` as a worker of `host` (a screen)."""
    async def run() -> None:
        try:
            await flow(host, row, rows)
        except Exception as exc:
            say_stopped(host.warroom, flow.__name__.replace("_", " "), exc)
    host.run_worker(run(), group="action", exit_on_error=False)  # type: ignore[attr-defined]


def start_act(host: Hosted, name: str, row: Any, rows: Any = ()) -> None:
    """Start the flow of the registry act `name`."""
    start(host, FLOWS[name], row, rows)


def action_flow(method: Callable[..., Awaitable[None]]) -> Callable[..., Any]:
    """Decorate a screen's async flow method: run it as a worker; an exception in it is said, never raised."""
    @functools.wraps(method)
    async def run(screen: Any, *args: Any) -> None:
        try:
            await method(screen, *args)
        except Exception as exc:
            say_stopped(screen.app, method.__name__.replace("_", " "), exc)
    return work(group="action", exit_on_error=False)(run)
