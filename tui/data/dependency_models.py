"""What the services depend on: ElastiCache replication groups, Lambda functions and DynamoDB tables, as plain
frozen dataclasses, and the scope that says which of them an environment reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

IDLE_OK = ("Active", "Inactive")  # Inactive: Lambda's own state after weeks without a call; the next call wakes it
CAP = 50  # of each kind read at most when the scope names none (or its prefixes match more)


def matches(patterns: tuple[str, ...], name: str) -> bool:
    """An entry ending in `*` is a prefix, any other an exact name; no entries match every name."""
    return not patterns or any(name.startswith(p[:-1]) if p.endswith("*") else name == p for p in patterns)


@dataclass(frozen=True)
class DependencyScope:
    """Which caches (replication group ids), functions and tables to read: each entry an exact name or, ending in
    `*`, a prefix; an empty list means every one of that kind in the region (the first CAP listed)."""

    caches: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()

    @property
    def configured(self) -> bool:
        """Whether the environment names any cache, function or table."""
        return bool(self.caches or self.functions or self.tables)

    def patterns(self, kind: str) -> tuple[str, ...]:
        return {"cache": self.caches, "function": self.functions, "table": self.tables}[kind]


def _count(value: float, what: str) -> str:
    return f"{value:,.0f} {what}"


@dataclass(frozen=True)
class Cache:
    """An ElastiCache replication group: its status, member clusters and automatic failover ("enabled",
    "disabled", "enabling", "disabling")."""

    kind: ClassVar[str] = "cache"
    id: str
    description: str
    status: str
    members: tuple[str, ...]
    automatic_failover: str
    multi_az: str
    node_type: str

    @property
    def key(self) -> str:
        return self.id

    @property
    def problems(self) -> tuple[str, ...]:
        return () if self.status == "available" else (f"status {self.status}",)

    @property
    def summary(self) -> str:
        members = f"{len(self.members)} member{'' if len(self.members) == 1 else 's'}"
        return f"{self.status} · {members} · failover {self.automatic_failover or 'unknown'}"


@dataclass(frozen=True)
class Function:
    """A Lambda function: its state and last update status (with their reasons) and its Errors and Throttles summed
    over the last hour (None when CloudWatch could not be read)."""

    kind: ClassVar[str] = "function"
    name: str
    description: str
    runtime: str
    state: str  # Pending, Active, Inactive, Failed
    state_reason: str
    last_update_status: str  # Successful, Failed, InProgress
    last_update_reason: str
    errors: float | None = None
    throttles: float | None = None

    @property
    def key(self) -> str:
        return self.name

    @property
    def problems(self) -> tuple[str, ...]:
        found = []
        if self.state not in IDLE_OK:
            found.append(f"state {self.state}" + (f": {self.state_reason}" if self.state_reason else ""))
        if self.last_update_status == "Failed":
            found.append("last update failed" + (f": {self.last_update_reason}" if self.last_update_reason else ""))
        found += [f"{_count(n, what)} in the last hour" for n, what in ((self.errors, "errors"),
                                                                        (self.throttles, "throttles")) if n]
        return tuple(found)

    @property
    def summary(self) -> str:
        counts = "errors and throttles not read" if self.errors is None or self.throttles is None else \
            f"{_count(self.errors, 'errors')}, {_count(self.throttles, 'throttles')} (last hour)"
        return f"{self.state} · {self.last_update_status or 'no update'} · {counts}"


@dataclass(frozen=True)
class Table:
    """A DynamoDB table: its status, billing mode and read and write throttle events summed over the last hour
    (None when CloudWatch could not be read)."""

    kind: ClassVar[str] = "table"
    name: str
    status: str  # CREATING, UPDATING, DELETING, ACTIVE, INACCESSIBLE_ENCRYPTION_CREDENTIALS, ARCHIVING, ARCHIVED
    billing_mode: str
    throttled: float | None = None

    @property
    def key(self) -> str:
        return self.name

    @property
    def problems(self) -> tuple[str, ...]:
        found = [] if self.status == "ACTIVE" else [f"status {self.status}"]
        if self.throttled:
            found.append(f"{_count(self.throttled, 'throttled requests')} in the last hour")
        return tuple(found)

    @property
    def summary(self) -> str:
        throttled = "throttled requests not read" if self.throttled is None else \
            f"{_count(self.throttled, 'throttled requests')} (last hour)"
        return f"{self.status} · {throttled}"


@dataclass(frozen=True)
class Unread:
    """A part that could not be read: the kind of row it leaves out (or without metrics), from where, and why."""

    kind: str  # "cache", "function" or "table"
    source: str  # "ElastiCache", "Lambda", "DynamoDB" or "CloudWatch"
    why: str

    @property
    def line(self) -> str:
        return f"{self.source} not read: {self.why}"


@dataclass(frozen=True)
class Dependencies:
    """The caches, functions and tables in scope, and what could not be read."""

    caches: tuple[Cache, ...] = ()
    functions: tuple[Function, ...] = ()
    tables: tuple[Table, ...] = ()
    unread: tuple[Unread, ...] = ()

    @property
    def items(self) -> tuple[Cache | Function | Table, ...]:
        return (*self.caches, *self.functions, *self.tables)

    @property
    def unread_line(self) -> str:
        """Every source not read, each once, in one line ("" when all were)."""
        return "; ".join(dict.fromkeys(u.line for u in self.unread))
