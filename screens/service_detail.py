"""The service detail screen: deployments, the last 20 events, running and stopped tasks, ACTIVE revisions."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.widgets import DataTable

from tui.data.ecs import family_revision
from screens.prompt import Prompt
from tui.actions import stop
from tui.data.models import Service, ServiceDetail, Task
from tui.untrusted import literal
from widgets.format import age, stamp
from screens.detail import DetailScreen


def container_reasons(task: Task) -> str:
    return "; ".join(
        f"{c.name}: {c.reason or c.last_status}" + (f" (exit {c.exit_code})" if c.exit_code is not None else "")
        for c in task.containers
    )


class ServiceDetailScreen(DetailScreen):
    """Everything about one ECS service that a runbook's `describe-services`/`describe-tasks` would show."""

    BINDINGS = [Binding("x", "stop_task", "Stop task", id="stop-task")]
    detail: ServiceDetail | None = None

    SECTIONS = (
        ("deployments", "Deployments", ("Status", "Rollout", "Task definition", "Run/Des/Pend", "Failed", "Created")),
        ("targets", "Load balancer targets", ("Target group", "Healthy", "Unhealthy", "Draining", "Other",
                                               "Not healthy")),
        ("events", "Events (last 20)", ()),
        ("running", "Running tasks", ("Task", "Task definition", "Status", "Started")),
        ("stopped", "Recently stopped tasks", ("Task", "Stopped", "Code", "Reason", "Containers")),
        ("revisions", "ACTIVE revisions", ("Revision", "Registered", "CPU/Mem", "Images")),
    )

    def __init__(self, service: Service, read, metrics=None) -> None:  # type: ignore[no-untyped-def]
        title = Text.assemble("Service ", literal(service.name), (" · cluster ", "dim"), literal(service.cluster))
        super().__init__(read, title, metrics)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app: Any = self.app
        return not (action == "stop_task" and app.read_only)

    def action_stop_task(self) -> None:
        """Stop the running task under the cursor of the Running tasks table, with a reason."""
        table = self.query_one("#running", DataTable)
        tasks = self.detail.running_tasks if self.detail else ()
        if not tasks or not 0 <= table.cursor_row < len(tasks):
            self.notify("No running task selected (move to the Running tasks table).", timeout=3)
            return
        self.ask_stop(tasks[table.cursor_row])

    @work(group="action", exit_on_error=False)
    async def ask_stop(self, task: Task) -> None:
        app: Any = self.app
        reason = await app.push_screen_wait(Prompt(f"Reason for stopping task {task.short_id}:",
                                                   f"stopped from warroom by {app.identity.arn.rsplit('/', 1)[-1]}"))
        if reason and self.detail:
            await app.gate.run(stop(self.detail.service, task, reason.strip()))

    def render_detail(self, detail: ServiceDetail) -> None:
        self.detail = detail
        service = detail.service
        self.fill("deployments", [
            (literal(d.status), literal(d.rollout_state or "-"), literal(family_revision(d.task_definition)),
             Text(f"{d.running}/{d.desired}/{d.pending}"), Text(str(d.failed)), Text(stamp(d.created_at)))
            for d in service.deployments
        ])
        self.fill("targets", [
            (literal(g.name), Text(str(g.healthy)), Text(str(g.unhealthy)), Text(str(g.draining)), Text(str(g.other)),
             literal("; ".join(g.reasons), limit=300))
            for g in detail.targets
        ], empty="no load balancer" if not service.target_groups else "no targets registered")
        self.fill_lines("events", [Text.assemble((f"{stamp(e.created_at)}  ", "dim"), literal(e.message, limit=1000))
                                   for e in service.events], empty="no events")
        self.fill("running", [
            (literal(t.short_id), literal(family_revision(t.task_definition)), literal(t.last_status),
             Text(f"{age(t.started_at)} ago" if t.started_at else "-"))
            for t in detail.running_tasks
        ])
        self.fill("stopped", [
            (literal(t.short_id), Text(stamp(t.stopped_at)), literal(t.stop_code or "-"),
             literal(t.stopped_reason, limit=300), literal(container_reasons(t), limit=300))
            for t in detail.stopped_tasks
        ])
        self.fill("revisions", [
            (literal(f"{r.family}:{r.revision}"), Text(stamp(r.registered_at)),
             literal(f"{r.cpu or '-'}/{r.memory or '-'}"),
             literal(", ".join(f"{c.name}={c.image}" for c in r.containers), limit=300))
            for r in detail.revisions
        ])
