"""The pane stack's heights: each pane without focus the rows its content needs, the focused one the rest."""

from __future__ import annotations

from warroom.widgets.pane_layout import allot, fold


def test_short_panes_take_what_they_need_and_the_focused_one_the_rest():
    heights = allot(48, [12, 12, 9, 22], [4, 4, 4, 4], focused=2)
    assert heights[:3] == [12, 12, 9] and sum(heights) == 48  # no blank rows, nothing cut but the longest


def test_the_focused_pane_keeps_what_it_needs_up_to_half():
    assert allot(48, [30, 12, 9], [4, 4, 4], focused=0) == [27, 12, 9]
    assert allot(40, [60, 60, 60], [4, 4, 4], focused=0)[0] == 20


def test_too_short_for_everything_the_unfocused_panes_keep_one_row():
    assert allot(22, [12, 12, 9, 22], [4, 4, 4, 4], focused=0) == [10, 4, 4, 4]


def test_an_unbounded_pane_gets_what_the_bounded_ones_leave():
    heights = allot(48, [12, 12, 9, 22, None], [4, 4, 4, 4, 8], focused=0)
    assert heights[0] == 12 and heights[4] >= 8 and sum(heights) == 48
    assert heights[1] >= 9 and heights[2] == 9
    assert allot(48, [12, 12, 9, None], [4, 4, 4, 8], focused=3) == [8, 8, 8, 24]  # focused: half


def test_five_panes_at_24_rows_fold_the_others_to_their_borders():
    """80x24 with Connections and Dependencies: four floors of 4 would leave the focused pane 5 of 21 rows."""
    needs, floors = [12, 6, 9, 13, 6], [4, 4, 4, 4, 4]
    fold(21, needs, floors, focused=3)
    assert floors == [2, 2, 2, 4, 2] and needs == [2, 2, 2, 13, 2]
    assert allot(21, needs, floors, focused=3) == [2, 2, 2, 13, 2]
    four = [12, 6, 9, 13], [4, 4, 4, 4]
    fold(22, *four, focused=0)  # four panes leave it 10: nothing folds
    assert four == ([12, 6, 9, 13], [4, 4, 4, 4])


def test_an_unbounded_pane_never_folds():
    needs, floors = [12, 6, 9, 13, 6, None], [4, 4, 4, 4, 4, 8]
    fold(24, needs, floors, focused=0)
    assert needs[5] is None and floors[5] == 8 and floors[1:5] == [2, 2, 2, 2]
