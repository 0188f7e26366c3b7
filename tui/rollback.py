"""Rollback (and roll-forward) planning: which revision ran before the current one, what `R` offers, and what
changes between two revisions."""

from __future__ import annotations

from warroom.data.models import ServiceDetail, TaskDefinition, family_revision


def revision_of(task_definition: str) -> int:
    try:
        return int(family_revision(task_definition).rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return 0


def previous_revision(detail: ServiceDetail) -> TaskDefinition | None:
    """The revision that ran before the current one: the newest other deployment's task definition if it is still
    ACTIVE, else the newest ACTIVE revision below the current one (revisions can be INACTIVE or skipped)."""
    current = revision_of(detail.service.task_definition)
    active = {r.revision: r for r in detail.revisions if r.status == "ACTIVE"}
    others = sorted((d for d in detail.service.deployments if d.status != "PRIMARY"),
                    key=lambda d: d.created_at.timestamp() if d.created_at else 0.0, reverse=True)
    for deployment in others:
        revision = revision_of(deployment.task_definition)
        if revision != current and revision in active:
            return active[revision]
    older = [number for number in active if number < current]
    return active[max(older)] if older else None


def offered(detail: ServiceDetail) -> TaskDefinition | None:
    """What `R` offers first: the revision that ran before; without one, the newest other ACTIVE revision (a roll
    forward); None when no other revision is ACTIVE."""
    current = revision_of(detail.service.task_definition)
    others = [r for r in detail.revisions if r.status == "ACTIVE" and r.revision != current]
    return previous_revision(detail) or max(others, key=lambda r: r.revision, default=None)


def differences(current: TaskDefinition | None, target: TaskDefinition) -> list[str]:
    """What changes, per container: image, environment (names only: values may be secrets), cpu and memory."""
    if current is None:
        return [f"{c.name}: image {c.image}" for c in target.containers]
    lines: list[str] = []
    if (current.cpu, current.memory) != (target.cpu, target.memory):
        lines.append(f"task cpu/memory {current.cpu or '-'}/{current.memory or '-'} → "
                     f"{target.cpu or '-'}/{target.memory or '-'}")
    before = {c.name: c for c in current.containers}
    for container in target.containers:
        old = before.pop(container.name, None)
        if old is None:
            lines.append(f"{container.name}: added (image {container.image})")
            continue
        if old.image != container.image:
            lines.append(f"{container.name}: image {old.image} → {container.image}")
        old_env, new_env = dict(old.environment), dict(container.environment)
        changed = sorted(k for k in old_env.keys() & new_env.keys() if old_env[k] != new_env[k])
        for label, names in (("env changed", changed), ("env added", sorted(new_env.keys() - old_env.keys())),
                             ("env removed", sorted(old_env.keys() - new_env.keys()))):
            if names:
                lines.append(f"{container.name}: {label}: {', '.join(names)}")
        if (old.cpu, old.memory) != (container.cpu, container.memory):
            lines.append(f"{container.name}: cpu/memory {old.cpu or '-'}/{old.memory or '-'} → "
                         f"{container.cpu or '-'}/{container.memory or '-'}")
    lines.extend(f"{name}: removed" for name in before)
    return lines or ["no difference in images, environment, cpu or memory"]
