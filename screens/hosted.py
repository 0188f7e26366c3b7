"""What a warroom screen reaches of its app, typed: the app (`warroom`) and the environment's backend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from warroom.backend import Backend
from warroom.widgets.header import StatusHeader

if TYPE_CHECKING:
    from warroom.app import WarroomApp


class Hosted:
    """Mixed into a Screen (before it)."""

    app: Any

    @property
    def warroom(self) -> WarroomApp:
        return cast("WarroomApp", self.app)

    @property
    def backend(self) -> Backend:
        """The environment's backend: a screen of an environment exists only once one is chosen."""
        backend = self.warroom.backend
        if backend is None:
            raise RuntimeError("a screen of an environment opened before one was chosen")
        return backend

    def status_header(self) -> StatusHeader:
        """The header every screen starts with: environment, identity, read-only and production marks."""
        env = self.backend.env
        return StatusHeader(env.name, self.backend.identity, self.warroom.read_only, env.production)
