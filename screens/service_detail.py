"""The service detail screen: deployments, the last 20 events, the tasks that can be stopped, the stopped ones with
their whole reasons, ACTIVE revisions. s, D and R act on the service as on the main screen; x stops a task."""

from __future__ import annotations


from datetime import timedelta
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from warroom.screens.flow import action_flow
from warroom.screens.keys import place_bindings
from warroom.screens.prompt import Prompt
from warroom import clock
from warroom.actions import stop
from warroom.changed_by import changed_by
from warroom.data.models import (
    Change, ScalingDetail, Service, ServiceDetail, Task, container_reasons, family_revision,
)
from warroom.refresher import Refreshed, RefreshFailed, Source
from warroom.text import age, stamp
from warroom.untrusted import literal
from warroom.screens.detail import DetailScreen

NOT_STOPPABLE = frozenset({"STOPPED", "DEACTIVATING", "STOPPING", "DEPROVISIONING"})
WRITES_SINCE = timedelta(days=7)  # how far back CloudTrail is asked who changed the service
WRITES_EVERY = 60.0  # seconds: LookupEvents allows about 2 requests a second per account and region

def stoppable(task: Task) -> bool:
    """A task that StopTask would still change: not on its way out already."""
    return task.last_status not in NOT_STOPPABLE and task.desired_status != "STOPPED"


def stopped_line(task: Task) -> Text:
    """One stopped (or stopping) task, its reason and its containers' whole; the line wraps."""
    line = Text.assemble(literal(task.short_id), "  ", literal(task.last_status, "bold"))
    if task.stopped_at:
        line.append(f"  {stamp(task.stopped_at)}", style="dim")
    for text in (task.stop_code, task.stopped_reason, container_reasons(task)):
        if text:
            line.append(" · ")
            line.append_text(literal(text, limit=1000))
    return line


def scaling_lines(service: Service, detail: ScalingDetail) -> list[Text]:
    """The scalable target, its policies and the last scaling activities (or why they are not shown)."""
    scaling = detail.scaling
    if scaling is None:
        return [Text("not autoscaled: no scalable target for this service", style="dim")]
    head = Text(f"{scaling.range_text()} · desired {service.desired}")
    if service.at_max:
        head.append(" · at its max: more load gets no more tasks", style="bold")
    lines = [head]
    if scaling.suspended:
        lines.append(Text(f"suspended: {', '.join(scaling.suspended)}", style="bold"))
    lines += [Text.assemble("policy ", literal(p.name), (f" · {p.kind}", "dim"), " · ", literal(p.aim, limit=300))
              for p in detail.policies] or [Text("no scaling policies", style="dim")]
    lines += [Text.assemble((f"{stamp(a.started_at)}  ", "dim"), literal(a.status, "bold"), " · ",
                            literal(a.description, limit=300), " · ", literal(a.cause or a.message, limit=500))
              for a in detail.activities]
    if detail.activities_unread:
        lines.append(Text.assemble(("scaling activities not read: ", "dim"), literal(detail.activities_unread)))
    elif not detail.activities:
        lines.append(Text("no scaling activities", style="dim"))
    return lines


class ServiceDetailScreen(DetailScreen):
    """Everything about one ECS service that a runbook's `describe-services`/`describe-tasks` would show."""

    BINDINGS = place_bindings("service")
    detail: ServiceDetail | None = None

    SECTIONS = (
        ("deployments", "Deployments", ("Status", "Rollout", "Task definition", "Run/Des/Pend", "Failed", "Created")),
        ("changed", "Changed by (CloudTrail) and what each deployment changed", ()),
        ("targets", "Load balancer targets", ("Target group", "Healthy", "Unhealthy", "Draining", "Other",
                                               "Not healthy")),
        ("scaling", "Autoscaling (Application Auto Scaling)", ()),
        ("events", "Events (last 20)", ()),
        ("running", "Running tasks (x stops the highlighted one)", ("Task", "Task definition", "Status", "Started")),
        ("stopped", "Stopped tasks", ()),
        ("revisions", "ACTIVE revisions", ("Revision", "Registered", "CPU/Mem", "Images")),
    )

    def __init__(self, service: Service, read, metrics=None) -> None:  # type: ignore[no-untyped-def]
        title = Text.assemble("Service ", literal(service.name), (" · cluster ", "dim"), literal(service.cluster))
        super().__init__(read, title, metrics)
        self.service = self.row = service  # the row as last read, once read
        self.running: tuple[Task, ...] = ()
        self.writes_source = Source("service-writes")
        self.writes: tuple[Change, ...] | None = None  # CloudTrail's writes naming the service, once read
        self.writes_error = ""

    def on_mount(self) -> None:
        async def read() -> tuple[Change, ...]:
            now = clock.now()
            return await self.backend.service_writes(self.service, now - WRITES_SINCE, now)
        self.warroom.refresher.add(self.writes_source, read, self, interval=WRITES_EVERY)

    def on_unmount(self) -> None:
        self.warroom.refresher.remove(self.writes_source)

    def on_refreshed(self, message: Refreshed[Any]) -> None:  # Textual calls DetailScreen's too: the detail
        if message.source is self.writes_source:
            self.writes, self.writes_error = message.data, ""
            self._show_changed()

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        if message.source is self.writes_source:
            self.writes_error = message.error.one_line()
            self._show_changed()

    def _show_changed(self) -> None:
        if self.detail is not None:
            lines = changed_by(self.detail, self.writes, self.writes_error)
            self.fill_lines("changed", [literal(line, limit=2000) for line in lines], empty="no deployments")

    def action_stop_task(self) -> None:
        """Stop the task under the cursor of the Running tasks table, with a reason."""
        if self.detail is None:
            self.notify("The running tasks are not read yet: press x again in a moment.", timeout=3)
            return
        row = self.query_one("#running", DataTable).cursor_row
        if not 0 <= row < len(self.running):
            self.notify("No running task to stop.", timeout=3)
            return
        self.ask_stop(self.running[row])

    @action_flow
    async def ask_stop(self, task: Task) -> None:
        app = self.warroom
        caller = self.backend.identity.arn.rsplit("/", 1)[-1]
        reason = await app.push_screen_wait(Prompt(f"Reason for stopping task {task.short_id}:",
                                                   f"stopped from warroom by {caller}"))
        if reason and self.detail:
            await app.gate.run(stop(self.detail.service, task, reason.strip()))

    def render_detail(self, detail: ServiceDetail) -> None:
        self.detail = detail
        service = self.row = detail.service
        self.running = tuple(t for t in detail.running_tasks if stoppable(t))
        self.fill("deployments", [
            (literal(d.status), literal(d.rollout_state or "-"), literal(family_revision(d.task_definition)),
             Text(f"{d.running}/{d.desired}/{d.pending}"), Text(str(d.failed)), Text(stamp(d.created_at)))
            for d in service.deployments
        ])
        self._show_changed()
        self.fill("targets", [
            (literal(g.name), Text(str(g.healthy)), Text(str(g.unhealthy)), Text(str(g.draining)), Text(str(g.other)),
             literal("; ".join(g.reasons), limit=1000))
            for g in detail.targets
        ], empty="no load balancer" if not service.target_groups else "no targets registered")
        self.fill_lines("scaling", scaling_lines(service, detail.scaling))
        self.fill_lines("events", [Text.assemble((f"{stamp(e.created_at)}  ", "dim"), literal(e.message, limit=1000))
                                   for e in service.events], empty="no events")
        self.fill("running", [
            (literal(t.short_id), literal(family_revision(t.task_definition)), literal(t.last_status),
             Text(f"{age(t.started_at)} ago" if t.started_at else "-"))
            for t in self.running
        ], empty="no task that can be stopped")
        leaving = [t for t in detail.running_tasks if not stoppable(t)]
        self.fill_lines("stopped", [stopped_line(t) for t in leaving + list(detail.stopped_tasks)],
                        empty="no stopped tasks")
        self.fill("revisions", [
            (literal(f"{r.family}:{r.revision}"), Text(stamp(r.registered_at)),
             literal(f"{r.cpu or '-'}/{r.memory or '-'}"),
             literal(", ".join(f"{c.name}={c.image}" for c in r.containers), limit=1000))
            for r in detail.revisions
        ])
