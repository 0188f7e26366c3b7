"""Who waits behind a PostgreSQL session: the tree of lock waiters it blocks, from one read's `blocked_by` edges,
and what a terminate of it would release (plain text for the session screen and the terminate confirm)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from warroom.data.models import PgSession
from warroom.text import duration

SHOWN = 5  # waiters listed on a confirm screen (it must fit 80x24)


@dataclass(frozen=True)
class Waiter:
    """A session waiting behind the root: `depth` 1 waits on the root itself, 2 on a depth-1 waiter, and so on;
    `also` are the other sessions it waits on (it goes on waiting for them when its parent ends)."""

    depth: int
    session: PgSession
    also: tuple[int, ...]

    @property
    def released(self) -> bool:
        """It waits on the root alone: the root's end lets it run."""
        return self.depth == 1 and not self.also


def waiting_behind(pid: int, sessions: Sequence[PgSession]) -> tuple[Waiter, ...]:
    """The sessions blocked by `pid`, directly or through other waiters, each once and at its shortest distance (a
    lock queue, where each waits on the holder and on those ahead of it, is one level, not a staircase); listed
    as a tree: each waiter's own waiters under it."""
    blocked: dict[int, list[PgSession]] = {}
    for session in sorted(sessions, key=lambda s: s.pid):
        for blocker in session.blocked_by:
            blocked.setdefault(blocker, []).append(session)
    parent_of: dict[int, int] = {}
    level, seen = [pid], {pid}
    while level:  # breadth first: who is at which distance, and under whom
        following = []
        for parent in level:
            for session in blocked.get(parent, ()):
                if session.pid not in seen:
                    seen.add(session.pid)
                    parent_of[session.pid] = parent
                    following.append(session.pid)
        level = following
    by_pid = {s.pid: s for s in sessions}
    found: list[Waiter] = []

    def walk(parent: int, depth: int) -> None:
        for session in blocked.get(parent, ()):
            if parent_of.get(session.pid) == parent:
                found.append(Waiter(depth, by_pid[session.pid], tuple(p for p in session.blocked_by
                                                                      if p not in (parent, pid))))
                walk(session.pid, depth + 1)

    walk(pid, 1)
    return tuple(found)


QUERY_CUT = 28  # characters of a waiter's query shown: a line each inside an 80-column confirm


def waiter_line(waiter: Waiter) -> str:
    """One waiter as an indented line: pid, application, how long it waits, what else holds it, the first
    QUERY_CUT characters of what it runs."""
    s = waiter.session
    also = f" · also waits on {', '.join(map(str, waiter.also))}" if waiter.also else ""
    query = s.query or "(no query yet)"
    if len(query) > QUERY_CUT:
        query = query[:QUERY_CUT - 1] + "…"
    return (f"{'  ' * (waiter.depth - 1)}└ pid {s.pid} · {s.application or '-'} · waits {duration(s.seconds)}"
            f"{also} · {query}")


def release_lines(pid: int, waiters: Sequence[Waiter]) -> tuple[str, ...]:
    """What terminating `pid` releases, for its confirm screen: a count, then the first SHOWN waiters."""
    if not waiters:
        return (f"no session waits on pid {pid}",)
    released = [w.session.pid for w in waiters if w.released]
    head = (f"{len(waiters)} session(s) wait behind it; terminating it lets "
            + (f"pid {', '.join(map(str, released))} run" if released
               else "none run at once (each waits on another too)"))
    return (head, *tree_lines(waiters, SHOWN))


def tree_lines(waiters: Sequence[Waiter], most: int) -> tuple[str, ...]:
    """The first `most` waiters a line each (queries cut), then how many more."""
    more = (f"… and {len(waiters) - most} more",) if len(waiters) > most else ()
    return (*(waiter_line(w) for w in waiters[:most]), *more)
