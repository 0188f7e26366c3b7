"""Strips the reference count frees (widgets/strip_cycles.py): a strip divided at its own length must not hold
itself, and every other division is Textual's own. Pinned to the Textual it works around."""

from __future__ import annotations

import gc
import inspect
from importlib.metadata import version

import pytest
from rich.segment import Segment
from textual.strip import Strip

from warroom.widgets.strip_cycles import _divide, keep_strips_acyclic


def strip() -> Strip:
    return Strip([Segment("warroom "), Segment("日本"), Segment(" \x1b[31m?")])


@pytest.mark.parametrize("cuts", [[17], [3, 17], [8, 12, 17], [4], [0, 17], [17, 40]])
def test_divide_gives_what_textual_gives(cuts):
    keep_strips_acyclic()
    assert [s.text for s in strip().divide(cuts)] == [s.text for s in _divide(strip(), cuts)]
    assert [s.cell_length for s in strip().divide(cuts)] == [s.cell_length for s in _divide(strip(), cuts)]


def test_a_strip_divided_at_its_length_leaves_no_cycle_for_the_collector():
    keep_strips_acyclic()
    gc.collect()
    gc.disable()
    try:
        for _ in range(100):
            line = strip()
            assert line.divide([line.cell_length]) == [line]
            line.crop(0, 5)  # a strip's other caches hold new strips, never itself
            del line
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_the_workaround_is_pinned_to_the_textual_it_works_around():
    installed = version("textual")
    assert installed.rsplit(".", 1)[0] == "8.2", (
        f"Textual {installed}: check whether Strip.divide still caches [self] on the strip (a reference cycle per "
        "line drawn), then update this version or remove widgets/strip_cycles.py")
    assert "strips = [self]" in inspect.getsource(_divide)
    assert "self._divide_cache[cache_key] = strips" in inspect.getsource(_divide)
