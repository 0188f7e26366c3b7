"""Bindings made from the action registry (warroom.registry): a pane's or a screen's keys, and the hidden ones
that say why a key did nothing where it was pressed."""

from __future__ import annotations

from textual.binding import Binding

from warroom.registry import Act, acts_in


def act_bindings(place: str) -> list[Binding]:
    """The keys of `place`: a local act runs its own `action_<name>`, the others `request('<name>')`."""
    return [Binding(act.key, act.name if act.local else f"request({act.name!r})", act.title, show=act.show,
                    id=act.name.replace("_", "-")) for act in acts_in(place)]


def explain_bindings(acts: list[Act]) -> list[Binding]:
    """A hidden `explain('<name>')` on each act's key: it runs when the act's own binding did not (read-only,
    or its pane does not have focus)."""
    return [Binding(act.key, f"explain({act.name!r})", show=False, system=True) for act in acts]
