"""The service flows (registry acts scale, redeploy, rollback, logs): each asks what it needs, then takes the
action through the app's gate. Started by `warroom.screens.flows.start` from the Services pane, the service
screen or the palette."""

from __future__ import annotations

from typing import Any

from warroom import inputs
from warroom.actions import redeploy as redeploy_action
from warroom.actions import rollback as rollback_action
from warroom.actions import scale as scale_action
from warroom.data.errors import AwsError
from warroom.data.models import Service
from warroom.rollback import differences, offered, revision_of
from warroom.screens.hosted import Hosted
from warroom.screens.prompt import ask_value
from warroom.screens.rollback import RollbackScreen


async def scale(host: Hosted, service: Service, rows: Any) -> None:
    """Ask for the new desired count, then the gate."""
    app = host.warroom
    if app.gate.refuses(f"Scale {service.name}"):
        return
    bounds = f"; autoscaling {service.scaling.range_text()}" if service.scaling else ""
    count = await ask_value(
        app, f"New desired count for {service.name} (desired {service.desired}, running {service.running}{bounds}):",
        str(service.desired), inputs.desired_count)
    if count is not None:
        await app.gate.run(scale_action(service, count))


async def redeploy(host: Hosted, service: Service, rows: Any) -> None:
    await host.warroom.gate.run(redeploy_action(service))


async def rollback(host: Hosted, service: Service, rows: Any) -> None:
    """Offer the revision that ran before (or another ACTIVE one), show the differences, then the gate."""
    app = host.warroom
    if app.gate.refuses(f"Roll back {service.name}"):
        return
    try:
        detail = await host.backend.detail_read(service)()
    except AwsError as exc:
        app.notify(f"Roll back {service.name}: {exc.one_line()}", severity="error")
        return
    default = offered(detail)
    if default is None:
        app.notify(f"{service.name}: no other ACTIVE revision to roll back or deploy to", severity="warning")
        return
    target = await app.push_screen_wait(RollbackScreen(detail.service, detail.revisions, default))
    if target is not None:
        current = next((r for r in detail.revisions if r.revision == revision_of(detail.service.task_definition)),
                       None)
        await app.gate.run(rollback_action(detail.service, target, tuple(differences(current, target))))


async def logs(host: Hosted, service: Service, rows: Any) -> None:
    """Tail the service's awslogs group(s) and stream prefix, from its task definition."""
    try:
        target = await host.backend.log_target(service)
    except AwsError as exc:
        host.warroom.notify(exc.one_line(), severity="error")
        return
    host.warroom.open_logs(target)
