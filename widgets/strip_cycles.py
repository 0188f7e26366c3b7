"""Strips that the reference count frees: a workaround for Textual 8.2's `Strip.divide`.

`Strip.divide` caches its result on the strip, and a cut at the strip's own length gives `[self]`: the strip then
holds itself, so every such line the compositor draws (most of them) outlives its frame until a collector pass
finds the cycle, with the seven caches each strip carries. Under a busy log tail that was most of what the
collector walked and freed (~100,000 objects a minute), and its passes landed inside frames. Undivided, the strip
is returned without caching, as the same one-strip list `divide` gives.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from textual.strip import Strip

_divide = Strip.divide


def _divide_acyclic(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
    cuts = [cut for cut in cuts if cut <= self.cell_length]
    if cuts == [self.cell_length]:
        return [self]
    return _divide(self, cuts)


def keep_strips_acyclic() -> None:
    """Install the workaround (idempotent)."""
    Strip.divide = _divide_acyclic  # type: ignore[method-assign]
