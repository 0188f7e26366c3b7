"""The main screen's stack of panes: each pane without focus takes the rows its content needs, the focused one
the rest, so a short pane never shows blank rows while a long one is cut."""

from __future__ import annotations

from typing import Sequence

from textual import on
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget

OPEN_FLOOR = 8  # rows a pane without a bound on its content (the log pane) keeps at least
FOCUSED_LEAST = 8  # rows the focused pane keeps at least: the others fold to their border lines to leave them
FOLDED = 2  # a folded pane: its top border (title and counts) and its bottom border (age)


def allot(total: int, needs: Sequence[int | None], floors: Sequence[int], focused: int) -> list[int]:
    """Heights for stacked panes in `total` rows. `needs[i]` is what pane i's content takes (None: no bound),
    `floors[i]` the least it gets. The focused pane keeps what it needs, up to half the height; the others rise
    evenly towards their needs in what is left, bounded ones before unbounded ones; the focused pane, or when it
    is bounded and there are unbounded panes, those, take what is left over."""
    count = len(needs)
    heights = list(floors)
    need_focused = needs[focused]
    keep = max(floors[focused], total // 2 if need_focused is None else min(need_focused, total // 2))
    heights[focused] = keep
    others = [i for i in range(count) if i != focused]
    bounded = [i for i in others if needs[i] is not None]
    unbounded = [i for i in others if needs[i] is None]
    spare = total - sum(heights)
    if spare < 0:  # too short for every floor: the focused pane gives up rows first
        heights[focused] = max(floors[focused], keep + spare)
    while spare > 0:
        hungry = [i for i in bounded if heights[i] < (needs[i] or 0)]
        if not hungry:
            break
        lowest = min(hungry, key=lambda i: heights[i])
        heights[lowest] += 1
        spare -= 1
    sinks = unbounded if unbounded and need_focused is not None else [focused]
    for index, extra in enumerate(_split(max(0, spare), len(sinks))):
        heights[sinks[index]] += extra
    return heights


def fold(total: int, needs: list[int | None], floors: list[int], focused: int) -> None:
    """When the other panes' floors would leave the focused one fewer than FOCUSED_LEAST rows, each other bounded
    pane folds to FOLDED rows (it still says what it counts and how old it is); in place."""
    if total - sum(f for i, f in enumerate(floors) if i != focused) >= FOCUSED_LEAST:
        return
    for index, need in enumerate(needs):
        if index != focused and need is not None:
            needs[index] = floors[index] = FOLDED


def _split(amount: int, parts: int) -> list[int]:
    return [amount // parts + (1 if i < amount % parts else 0) for i in range(parts)]


class PaneStack(Vertical):
    """Lays its shown children out with `allot`; a child that has a `needed_height()` (and `floor_height()`)
    is bounded, any other (the log pane) takes what it is given."""

    class NeedChanged(Message):
        """A pane's content now needs another number of rows (posted by the pane)."""

    _focus: Widget | None = None

    def on_resize(self) -> None:
        self.relayout()

    def on_descendant_focus(self) -> None:
        self.relayout()

    @on(NeedChanged)
    def _need_changed(self, event: NeedChanged) -> None:
        event.stop()
        self.relayout()

    def relayout(self) -> None:
        """Lay out again once pending style changes (a pane shown or hidden by a class) have applied."""
        self.call_after_refresh(self._apply)

    def _apply(self) -> None:
        shown = [child for child in self.children if child.display]
        if not shown or not self.size.height:
            return
        focused = self.screen.focused
        holder = next((c for c in shown if focused is not None and (focused is c or c in focused.ancestors)), None)
        self._focus = holder or (self._focus if self._focus in shown else shown[0])
        needs = [c.needed_height() if hasattr(c, "needed_height") else None for c in shown]
        floors = [c.floor_height() if hasattr(c, "floor_height") else OPEN_FLOOR for c in shown]
        focused = shown.index(self._focus)
        fold(self.size.height, needs, floors, focused)
        for child, height in zip(shown, allot(self.size.height, needs, floors, focused)):
            child.styles.height = height
