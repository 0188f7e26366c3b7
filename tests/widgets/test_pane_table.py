"""PaneTable overrides DataTable's private `_update_dimensions` (widgets/pane.py) to work around Textual 8.2's
column sizing on idle: pinned to that Textual, so an upgrade asks for the override to be checked again rather than
leaving it dead (a renamed hook) or needless (a fixed bug)."""

from __future__ import annotations

import inspect
from importlib.metadata import version

from textual.widgets import DataTable

from warroom.widgets.pane import PaneTable

WORKS_AROUND = "8.2"  # the Textual minor version the override was written and checked against


def test_the_datatable_override_is_pinned_to_the_textual_it_works_around():
    installed = version("textual")
    assert installed.rsplit(".", 1)[0] == WORKS_AROUND, (
        f"Textual {installed}: check whether PaneTable._update_dimensions is still needed (rows added between two "
        "frames shown cut at the header's widths), then update WORKS_AROUND or remove the override")
    assert "_update_dimensions" in vars(PaneTable)
    # what the override relies on: on idle, DataTable sizes its columns through `_update_dimensions(new_rows)`
    assert list(inspect.signature(DataTable._update_dimensions).parameters) == ["self", "new_rows"]
    assert "self._update_dimensions(new_rows)" in inspect.getsource(DataTable._on_idle)
    assert callable(DataTable._clear_caches)
