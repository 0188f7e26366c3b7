"""What the screens share about their keys: an act's key (warroom.registry) shows in the footer only where it
acts, and pressed where it cannot (read-only mode, another pane) it says why in one line instead of doing
nothing. The footer and the help panel (`?`) list the screen's own keys first."""

from __future__ import annotations

from typing import Any, cast

from textual import events
from textual._time import get_time
from textual.binding import ActiveBinding, Binding

from warroom.registry import ACTS, Act, act_of, acts_in
from warroom.screens.hosted import Hosted
from warroom.widgets.act_keys import act_bindings, explain_bindings


def place_bindings(place: str) -> list[Binding]:
    """A screen's acts (warroom.registry): each key, then its hidden `explain` for when the first is off."""
    acts = acts_in(place)
    return act_bindings(place) + explain_bindings(acts)


class ActionKeys(Hosted):
    """Mixed into a Screen (before it): the registry's mutating acts are off in read-only mode, and a key pressed
    where its act does not run (read-only; `elsewhere(act)`, e.g. another pane) says why in one line."""

    notify: Any

    def elsewhere(self, act: Act) -> str:
        """Where `act` acts when not here (e.g. "the Alarms pane (press 2)"); "" when it acts here."""
        return ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        act = act_of(action, parameters)
        return not (act is not None and act.mutates and self.warroom.read_only)

    def action_explain(self, name: str) -> None:
        """A key pressed where its act did not run: say why in one line."""
        act = ACTS[name]
        if act.mutates and self.warroom.read_only:
            self.warroom.gate.refuses(act.title)
        elif where := self.elsewhere(act):
            self.notify(f"{act.title}: a key of {where}", timeout=3)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Shown keys first (the focused table's, this screen's own, the screen's inherited ones), then the
        app's, then the hidden ones: the footer and the help panel list them in this order."""
        bindings: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        own = {(b.key, b.action): index for index, b in enumerate(getattr(type(self), "BINDINGS", ()))
               if isinstance(b, Binding)}

        def rank(item: tuple[str, ActiveBinding]) -> tuple[int, int]:
            node, binding = item[1].node, item[1].binding
            order = own.get((binding.key, binding.action), len(own)) if node is self else -1
            if binding.show:
                return (1 if node is self.app else 0), order
            return (2 if node is self else (3 if node is self.app else 4)), order

        return dict(sorted(bindings.items(), key=rank))


class DrawnScreenKeys:
    """Mixed into the App (before App): a key pressed before the screen it would reach was put on top is dropped.

    Typed ahead, a key meant for one screen lands on the next: a second `Y` on a warning not yet shown, an Enter
    on the main screen while a prompt closes. Each screen takes the keys pressed after it last came on top (a new
    one, or one uncovered again); the confirm screen asks more of its confirm key (screens/confirm.py)."""

    def watch_screens(self) -> None:
        """Call once mounted."""
        # immediate: at the change itself, not once the App's queued messages (the keys among them) are handled
        cast(Any, self).screen_change_signal.subscribe(self, self._screen_changed, immediate=True)

    @property
    def taking_keys(self) -> bool:
        return _keys_from(cast(Any, self).screen) != NEVER

    def _screen_changed(self, screen: Any) -> None:
        screen.keys_from = get_time()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and event.time < _keys_from(cast(Any, self).screen):
            return
        await cast(Any, super()).on_event(event)


NEVER = float("inf")


def _keys_from(screen: object) -> float:
    """The press time from which `screen` takes keys (never, until it has come on top)."""
    return getattr(screen, "keys_from", NEVER)
