"""The Dependencies pane: the ElastiCache replication groups, Lambda functions and DynamoDB tables in scope, those
that need a look first, with what could not be read in its border. Shown once any is configured or found."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from rich.text import Text

from warroom.data.dependency_models import Cache, Dependencies, Function, Table
from warroom.untrusted import literal
from warroom.widgets.pane import ResourcePane

Item = Cache | Function | Table
KIND_ORDER = {"cache": 0, "table": 1, "function": 2}


def fields(item: Item) -> list[tuple[str, Text]]:
    """Everything known of one item, for the row's whole view (Enter), each value literal."""
    if isinstance(item, Cache):
        values = [("members", ", ".join(item.members)), ("failover", item.automatic_failover),
                  ("Multi-AZ", item.multi_az), ("node type", item.node_type), ("description", item.description)]
    elif isinstance(item, Function):
        values = [("state reason", item.state_reason), ("last update", item.last_update_status),
                  ("update reason", item.last_update_reason), ("runtime", item.runtime),
                  ("description", item.description)]
    else:
        values = [("billing", item.billing_mode)]
    head = [("kind", item.kind), ("name", item.key), ("status", item.summary),
            ("needs a look", "; ".join(item.problems) or "no")]
    return [(label, literal(value, limit=2000)) for label, value in head + values if value]


class DependenciesPane(ResourcePane[Item]):
    """What the services depend on, by kind; a problem (not available, errors, throttles) first."""

    TITLE = "Dependencies"
    KIND = "dependency"
    COLUMNS = (
        ("kind", "Kind"),
        ("name", "Name"),
        ("status", "Status"),
    )

    def __init__(self, *, interval: float, id: str, read_only: bool = False, place: str = "") -> None:
        super().__init__(interval=interval, id=id, read_only=read_only, place=place)
        self.unread = ""

    def show(self, rows: Dependencies | Sequence[Item], at: datetime) -> None:  # type: ignore[override]
        if isinstance(rows, Dependencies):
            self.unread = rows.unread_line
            rows = rows.items
        super().show(rows, at)

    def key_of(self, row: Item) -> str:
        return f"{row.kind}:{row.key}"

    def attention(self, row: Item) -> bool:
        return bool(row.problems)

    def order(self, row: Item) -> tuple[object, ...]:
        return (not row.problems, KIND_ORDER[row.kind], row.key)

    def origin(self) -> str:
        return self.unread

    def cells(self, row: Item) -> tuple[Text, ...]:
        style = self.style("bad") if row.problems else ""
        return Text(row.kind), literal(row.key, limit=100), literal(row.summary, style, limit=400)
