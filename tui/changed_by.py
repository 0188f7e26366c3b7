"""The service screen's "Changed by": each recent deployment with who started it (the CloudTrail write that
matches it) and what its task definition changed against the one before it."""

from __future__ import annotations

from typing import Sequence

from warroom.data.models import Change, ServiceDetail
from warroom.data.timeline import started_by
from warroom.rollback import differences, revision_of
from warroom.text import stamp


def changed_by(detail: ServiceDetail, writes: Sequence[Change] | None, unreadable: str = "") -> list[str]:
    """One line per deployment, newest first, then its differences indented. `writes` None: not read yet;
    `unreadable`: why CloudTrail could not be read."""
    revisions = {r.revision: r for r in detail.revisions}
    deployments = sorted(detail.service.deployments, key=lambda d: d.created_at.timestamp() if d.created_at else 0.0,
                         reverse=True)
    lines: list[str] = []
    for index, deployment in enumerate(deployments):
        number = revision_of(deployment.task_definition)
        line = f"{stamp(deployment.created_at)}  {deployment.task_definition.rsplit('/', 1)[-1]}  " \
               f"{deployment.rollout_state or deployment.status}  "
        write = started_by(deployment, writes or ())
        if write is not None:
            who = write.actor or "unknown caller"
            line += f"started by {who}" + (f" via {write.via}" if write.via else "") + f" ({write.what})"
        elif unreadable:
            line += f"who: CloudTrail not read ({unreadable})"
        else:
            line += "who: reading CloudTrail…" if writes is None else "who: no matching CloudTrail write"
        lines.append(line)
        older = deployments[index + 1] if index + 1 < len(deployments) else None
        before = revisions.get(revision_of(older.task_definition)) if older else revisions.get(number - 1)
        if number in revisions and before is not None and before.revision != number:
            lines += [f"    {difference}" for difference in differences(before, revisions[number])] or \
                     ["    no difference in image, environment names, cpu or memory"]
    return lines
