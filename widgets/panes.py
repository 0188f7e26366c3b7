"""The main screen's three panes: Services, Alarms and Databases."""

from __future__ import annotations

from typing import Any, Sequence

from rich.text import Text

from warroom import clock
from warroom.data.models import Alarm, Database, Service, TargetHealth, family_revision
from warroom.health import (
    alarm_order,
    database_ok,
    database_order,
    service_order,
    service_problems,
    targets_problem,
)
from warroom.text import age
from warroom.refresher import Refreshed, Source
from warroom.untrusted import literal
from warroom.widgets.act_keys import act_bindings
from warroom.widgets.pane import ResourcePane


class ServicesPane(ResourcePane[Service]):
    """ECS services, those that need a look first."""

    TITLE = "Services"
    KIND = "service"
    BINDINGS = act_bindings("services")
    COLUMNS = (
        ("flag", " "),
        ("service", "Service"),
        ("counts", "Run/Des/Pend"),
        ("rollout", "Rollout"),
        ("targets", "Targets"),
        ("taskdef", "Task definition"),
        ("event", "Event"),
        ("status", "Status"),
        ("cluster", "Cluster"),
    )

    def __init__(self, *, interval: float, id: str, read_only: bool = False, place: str = "") -> None:
        super().__init__(interval=interval, id=id, read_only=read_only, place=place)
        self.targets_source = Source("targets")  # load balancer target health, read on its own schedule
        self.targets: dict[str, TargetHealth] = {}

    def on_refreshed(self, message: Refreshed[Any]) -> None:  # Textual calls ResourcePane's too: the rows
        if message.source is self.targets_source:
            self.show_targets(message.data)

    def show_targets(self, targets: dict[str, TargetHealth]) -> None:
        """The latest load balancer target health (read on its own schedule), shown in the Targets column; the
        same health again changes nothing (the rows are shown again on the pane's own refresh)."""
        if targets == self.targets:
            return
        self.targets = targets
        self.render_rows()
        self.update_status()

    def _targets(self, row: Service) -> list[TargetHealth]:
        return [self.targets[arn] for arn in row.target_groups if arn in self.targets]

    def _problems(self, row: Service) -> tuple[str, ...]:
        targets = targets_problem(self._targets(row), row.desired) if row.target_groups and self.targets else ""
        return service_problems(row, clock.now()) + ((targets,) if targets else ())

    def attention(self, row: Service) -> bool:
        return bool(self._problems(row))

    def order(self, row: Service) -> tuple[int, str, str]:
        return (0 if self._problems(row) else 1,) + service_order(row, clock.now())[1:]

    def _targets_cell(self, row: Service) -> Text:
        groups = self._targets(row)
        if not row.target_groups:
            return Text("-", style=self.style("dim"))
        if not groups:
            return Text("?", style=self.style("dim"))
        healthy, total = sum(g.healthy for g in groups), sum(g.total for g in groups)
        bad = targets_problem(groups, row.desired)
        return Text(f"{healthy}/{total}" + (" ✖" if bad else ""), style=self.style("bad") if bad else "")

    def made_from(self, row: Service) -> Any:
        return row, self._targets(row), self._problems(row), age(row.last_event_at)

    def cells(self, row: Service) -> tuple[Text, ...]:
        problems = self._problems(row)
        bad = self.style("bad")
        warn = self.style("warn")
        flag = Text("✖", style=bad) if problems else Text("·", style=self.style("dim"))
        counts = Text(f"{row.running}/{row.desired}/{row.pending}",
                      style=bad if row.running < row.desired else (warn if row.pending else ""))
        if row.scaling is not None:  # autoscaled: "max" when pinned at its maximum
            counts.append(" max" if row.at_max else " auto", style=warn if row.at_max else self.style("dim"))
        rollout = row.rollout_state
        rollout_style = bad if rollout == "FAILED" else (warn if rollout == "IN_PROGRESS" else "")
        return (
            flag,
            literal(row.name),
            counts,
            literal(rollout or "-", rollout_style),
            self._targets_cell(row),
            literal(family_revision(row.task_definition), limit=80),
            Text(age(row.last_event_at)),
            literal(row.status),
            literal(row.cluster),
        )


class AlarmsPane(ResourcePane[Alarm]):
    """CloudWatch alarms: ALARM first, then INSUFFICIENT_DATA, then OK."""

    TITLE = "Alarms"
    KIND = "alarm"
    BINDINGS = act_bindings("alarms")
    COLUMNS = (
        ("state", "State"),
        ("name", "Alarm"),
        ("since", "Since"),
        ("reason", "Reason"),
    )

    def attention(self, row: Alarm) -> bool:
        return row.state == "ALARM"

    def order(self, row: Alarm) -> tuple[int, str]:
        return alarm_order(row)

    def summary(self, rows: Sequence[Alarm]) -> str:
        firing = sum(1 for r in rows if r.state == "ALARM")
        silenced = sum(1 for r in rows if not r.actions_enabled)
        parts = [f"{len(rows)}", f"{firing} in ALARM"]
        if silenced:
            parts.append(f"{silenced} actions off")
        return " · ".join(parts)

    def made_from(self, row: Alarm) -> Any:
        return row, age(row.updated_at)

    def cells(self, row: Alarm) -> tuple[Text, ...]:
        style = {"ALARM": self.style("bad"), "INSUFFICIENT_DATA": self.style("warn")}.get(row.state, "")
        state = {"INSUFFICIENT_DATA": "INSUFF"}.get(row.state, row.state)
        name = literal(row.name, limit=120)
        if not row.actions_enabled:
            name.append(" [actions off]", style=self.style("warn"))
        return (literal(state, style), name, Text(age(row.updated_at)), literal(row.reason, limit=300))


class DatabasesPane(ResourcePane[Database]):
    """RDS instances and Aurora clusters; any status but available first."""

    TITLE = "Databases"
    KIND = "database"
    BINDINGS = act_bindings("databases")
    COLUMNS = (
        ("id", "Database"),
        ("status", "Status"),
        ("engine", "Engine"),
        ("class", "Class"),
        ("multi_az", "Multi-AZ"),
        ("storage", "Storage"),
    )

    def attention(self, row: Database) -> bool:
        return not database_ok(row)

    def order(self, row: Database) -> tuple[int, str, int, str]:
        return database_order(row)

    def made_from(self, row: Database) -> Any:
        return row

    def cells(self, row: Database) -> tuple[Text, ...]:
        name = literal(("  " if row.cluster_id else "") + row.id)
        if row.kind == "cluster":
            name.append(" (cluster)", style=self.style("dim"))
        status_style = "" if database_ok(row) else self.style("warn")
        storage = f"{row.storage_gb} GB" if row.storage_gb is not None else "auto"
        return (
            name,
            literal(row.status, status_style),
            literal(f"{row.engine} {row.engine_version}".strip()),
            literal(row.instance_class),
            Text("yes" if row.multi_az else "no"),
            Text(storage),
        )
