"""The runbooks' own commands for each task the suite does, and the keystroke table that compares them.

Each task names spans of ../shared/runbooks/ (file, the span's first line, its last line, as written there); its
size is the characters a person types for them: each line stripped, continuation backslashes and comments left
out. A scenario records the keys it sent; the suite prints the table at the end of the run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

RUNBOOKS = Path(__file__).resolve().parents[3] / "shared" / "runbooks"
KEYS_FILE = "WARROOM_E2E_KEYS"

HEALTH_CHECK = (("enterprise.md", "aws rds describe-db-instances \\", "--output table"),
                ("enterprise.md", "aws ecs list-clusters", "done\ndone"),
                ("enterprise.md", "aws cloudwatch describe-alarms \\", "--output table"),
                ("enterprise.md", "aws logs filter-log-events \\", "--output table | head -20"))
SESSIONS = ("continuum.md", "# 2. Identify problematic queries", "ORDER BY query_start;\"")
TERMINATE = ("continuum.md", "# 3. Kill long-running queries", "WHERE pid = <pid>;\"")
TASKS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "morning look": HEALTH_CHECK,
    "scale and verify": (("continuum.md", "# Scale up", "--desired-count 5"),
                         ("continuum.md", "# Verify", "runningCount,desiredCount]'")),
    "force a new deployment, see it finish": (
        ("axon-orbit.md", "aws ecs update-service --cluster ${PROJECT_NAME}-cluster --service ${PROJECT_NAME}-axon "
                          "--force-new-deployment", "--force-new-deployment"),
        ("axon-orbit.md", "aws ecs wait services-stable --cluster ${PROJECT_NAME}-cluster --services "
                          "${PROJECT_NAME}-axon\n", "${PROJECT_NAME}-axon")),
    "roll back a FAILED rollout": (("axon-orbit.md", "PREVIOUS_TASK_ARN=$(aws ecs list-task-definitions",
                                    "--force-new-deployment"),
                                   ("axon-orbit.md", "aws ecs wait services-stable --cluster ${PROJECT_NAME}-cluster "
                                                     "--services ${PROJECT_NAME}-axon\n", "${PROJECT_NAME}-axon")),
    "grow a database's storage (out of disk)": (
        ("continuum.md", "# 3. Emergency increase (if storage autoscaling not enabled)", "--apply-immediately"),),
    "stop a running task": (("omnirapeutic.md", "TASK_ARN=$(aws ecs list-tasks", "--region us-east-1)"),
                            ("omnirapeutic.md", "aws ecs stop-task \\", "--region us-east-1")),
    "silence an alarm 30m, re-enable it": (("omnirapeutic.md", "aws cloudwatch disable-alarm-actions \\",
                                            "--region us-east-1"),
                                           ("omnirapeutic.md", "aws cloudwatch enable-alarm-actions \\",
                                            "--region us-east-1")),
    "snapshot a database, see it available": (("continuum.md", "# Create snapshot", "%H%M)"),
                                              ("continuum.md", "aws rds describe-db-snapshots \\",
                                               "PercentProgress]'")),
    "restore it, see it available": (("continuum.md", "# 1. List available snapshots", "--output table"),
                                     ("continuum.md", "# 2. Restore to new instance", "<security-group-id>"),
                                     ("continuum.md", "# 3. Wait for instance", "continuum-production-db-restore")),
    "cancel a query": (SESSIONS, TERMINATE),
    "terminate a session": (SESSIONS, TERMINATE),
    "terminate idle sessions older than N min": (
        ("pardon-simulator.md", "# Kill idle connections", "interval '1 hour';\n\""),),
    "tail a service's ERROR lines, last 30 min": (
        ("continuum.md", "# Filter for errors", "--follow --filter-pattern ERROR"),),
    "morning `warroom check`": HEALTH_CHECK,
    "who changed a service, last 2h": (("enterprise.md", "aws cloudtrail lookup-events \\",
                                        "--max-results 50"),),
}


def span(file: str, first: str, last: str) -> list[str]:
    """The lines of a runbook from the one holding `first` to the one where `last` (which may run over lines,
    or end with a newline to mark the line's end) is next found."""
    text = (RUNBOOKS / file).read_text()
    start = text.rindex("\n", 0, text.index(first)) + 1
    stop = text.index(last, start) + len(last)
    end = stop - 1 if last.endswith("\n") else (text.find("\n", stop) % (len(text) + 1))
    return text[start:end].splitlines()


def typed(lines: list[str]) -> int:
    """Characters a person types for these lines: stripped, without comments and continuation backslashes."""
    words = [line.strip().removesuffix("\\").strip() for line in lines]
    words = [w for w in words if w and not w.startswith("#")]
    return len(" ".join(words))


def runbook_characters(task: str) -> int:
    return sum(typed(span(*part)) for part in TASKS[task])


def record(task: str, keys: int, *, production: bool) -> None:
    """Note the keys a scenario sent (the table is printed at the end of the run)."""
    with open(os.environ[KEYS_FILE], "a", encoding="utf-8") as out:
        out.write(json.dumps({"task": task, "keys": keys, "production": production}) + "\n")


def table(path: Path) -> list[str]:
    """The keystroke table: per task, keys in warroom (and in production mode), the runbook's characters, ratio."""
    best: dict[tuple[str, bool], int] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            row = json.loads(line)
            key = (row["task"], row["production"])
            best[key] = max(best.get(key, 0), row["keys"])
    rows = ["| task | keys | keys (production) | runbook characters | ratio (worst of the two) |",
            "|---|---|---|---|---|"]
    for task in TASKS:
        plain, prod = best.get((task, False)), best.get((task, True))
        chars = runbook_characters(task)
        ratio = "-" if prod is None and plain is None else f"{max(prod or 0, plain or 0) / chars:.3f}"
        rows.append(f"| {task} | {'-' if plain is None else plain} | {'-' if prod is None else prod} | {chars} | "
                    f"{ratio} |")
    return rows
