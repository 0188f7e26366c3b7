"""The service actions, shared by the main screen and the service screen: scale (s), force a new deployment (D),
roll back (R). Each flow asks what it needs, then goes through the app's action gate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from textual.binding import Binding

from warroom.screens.flow import action_flow
from warroom.screens.prompt import ask_value
from warroom.screens.rollback import RollbackScreen
from warroom import inputs
from warroom.actions import redeploy, rollback, scale
from warroom.data.errors import AwsError
from warroom.data.models import Service
from warroom.rollback import differences, previous_revision, revision_of

if TYPE_CHECKING:
    from warroom.app import WarroomApp

SERVICE_MUTATIONS = frozenset({"scale", "redeploy", "rollback"})
SERVICE_BINDINGS = [
    Binding("s", "scale", "Scale", id="scale"),
    Binding("D", "redeploy", "Redeploy", id="redeploy"),
    Binding("R", "rollback", "Roll back", id="rollback"),
]


class ServiceKeys:
    """Mixed into a screen (which holds the bindings): `selected_service()` is the service the keys act on."""

    warroom: WarroomApp
    app: Any
    notify: Any
    run_worker: Any

    def selected_service(self) -> Service | None:
        raise NotImplementedError

    def _on_selected_service(self, start: Callable[[Service], object]) -> None:
        service = self.selected_service()
        if service is None:
            self.notify("Select a service first (Services pane).", timeout=3)
        else:
            start(service)

    def action_scale(self) -> None:
        self._on_selected_service(self.ask_scale)

    def action_redeploy(self) -> None:
        self._on_selected_service(self.redeploy_service)

    def action_rollback(self) -> None:
        self._on_selected_service(self.roll_back)

    @action_flow
    async def roll_back(self, service: Service) -> None:
        """Offer the revision that ran before (or another ACTIVE one), show the differences, then the gate."""
        if self.warroom.gate.refuses(f"Roll back {service.name}"):
            return
        try:
            detail = await self.warroom.backend.detail_read(service)()
        except AwsError as exc:
            self.notify(f"Roll back {service.name}: {exc.one_line()}", severity="error")
            return
        default = previous_revision(detail)
        if default is None:
            self.notify(f"{service.name}: no earlier ACTIVE revision to roll back to", severity="warning")
            return
        target = await self.app.push_screen_wait(RollbackScreen(detail.service, detail.revisions, default))
        if target is not None:
            current = next((r for r in detail.revisions if r.revision == revision_of(detail.service.task_definition)),
                           None)
            await self.warroom.gate.run(rollback(detail.service, target, tuple(differences(current, target))))

    def redeploy_service(self, service: Service) -> None:
        self.run_worker(self.warroom.gate.run(redeploy(service)), group="action", exit_on_error=False)

    @action_flow
    async def ask_scale(self, service: Service) -> None:
        """Ask for the new desired count, then take the scale action through the gate."""
        if self.warroom.gate.refuses(f"Scale {service.name}"):
            return
        count = await ask_value(
            self.app, f"New desired count for {service.name} (desired {service.desired}, running {service.running}):",
            str(service.desired), inputs.desired_count)
        if count is not None:
            await self.warroom.gate.run(scale(service, count))
