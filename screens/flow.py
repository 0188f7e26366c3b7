"""`action_flow`: how a screen runs an action flow (prompts, then the gate) so that nothing in it can take the
app down: a flow runs as a worker in the "action" group, and an exception ends it with one line said."""

from __future__ import annotations

import functools
from typing import Any, Awaitable, Callable

from textual import work

from warroom.untrusted import clean

Flow = Callable[..., Awaitable[None]]


def say_stopped(app: Any, what: str, exc: Exception) -> None:
    """A bug that ended a flow, said in one line: the app and its other panes stay up."""
    app.notify(clean(f"{what} stopped: {type(exc).__name__}: {exc}"), severity="error", timeout=15)


def action_flow(method: Flow) -> Callable[..., Any]:
    """Decorate a screen's async flow method: run it as a worker; an exception in it is said, never raised."""
    @functools.wraps(method)
    async def run(screen: Any, *args: Any) -> None:
        try:
            await method(screen, *args)
        except Exception as exc:
            say_stopped(screen.app, method.__name__.replace("_", " "), exc)
    return work(group="action", exit_on_error=False)(run)
