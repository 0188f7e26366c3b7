"""The demo's simulator: a thread that moves the moto world the way AWS would, so the screen stays alive.

Running counts converge toward desired (one task per tick, with events); a new deployment (a rollback, a
forced deployment: see `rollouts`) replaces the old tasks one by one and completes, or fails for a revision that
failed at start; a failed rollout keeps failing, a desired count set outside an autoscaled service's bounds is
moved back (`autoscaler`), a task dies now and then, alarms flip now and then, log lines keep
arriving, metrics get a point a minute (after an hour of history at start).
"""

from __future__ import annotations

import random
import threading
import uuid
from datetime import datetime, timezone
from typing import Any

from warroom.data.aws import Aws
from warroom.demo import rollouts
from warroom.demo.autoscaler import Autoscaler
from warroom.demo.metrics import Metrics
from warroom.demo.responder import Responder
from warroom.demo.world import ecs_backend, event, put_logs

METRIC_TICKS = 30  # a metric point a minute (ticks are 2 s)
FAILING_TASKS = 3  # a bad revision's rollout fails after this many tasks failed to start
LOG_LINES = (
    "INFO GET /health 200 2ms",
    "INFO POST /api/v1/orders 201 48ms",
    "WARN slow query took 1840ms: SELECT * FROM sessions WHERE expires_at < now()",
    "ERROR connection pool exhausted: timeout acquiring connection after 30000ms",
    "INFO GET /api/v1/patients/42 200 17ms",
)
ERROR_BURST = (
    "ERROR upstream request failed: 503 Service Unavailable",
    "ERROR Traceback (most recent call last):\n  File \"/app/server.py\", line 88, in handle\n"
    "    rows = pool.fetch(query)\npsycopg.OperationalError: connection pool exhausted",
    "WARN retrying in 250ms (attempt 3/5)",
)


class Simulator:
    """Call `start()`; it ticks every `period` seconds on a daemon thread until `stop()`."""

    def __init__(self, aws: Aws, period: float = 2.0, seed: int | None = None,
                 responder: Responder | None = None) -> None:
        self.aws = aws
        self.period = period
        self.random = random.Random(seed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="demo-simulator", daemon=True)
        self.ticks = 0
        self._stream_of: dict[str, str] = {}
        self.metrics = Metrics(aws, seed)
        self.autoscaler = Autoscaler(aws, responder)
        self.bad_revisions = {d.get("taskDefinition") for s in ecs_backend().services.values()
                              for d in s.deployments if d.get("rolloutState") == "FAILED"}
        self._uninstall = rollouts.install()

    def start(self) -> None:
        self.metrics.backfill(datetime.now(timezone.utc))
        self._thread.start()

    def stop(self) -> None:
        """Stop ticking (returns after the current tick) and give moto back its own UpdateService."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self._uninstall()

    def _loop(self) -> None:
        while not self._stop.wait(self.period):
            try:
                self.tick()
            except Exception:  # the demo world must never take the app down
                continue

    def tick(self) -> None:
        self.ticks += 1
        now = datetime.now(timezone.utc)
        services = list(ecs_backend().services.values())
        if self.ticks % 20 == 0:
            self._lose_a_task(services, now)
        self.autoscaler.tick(services)
        for service in services:
            self._move_service(service, now)
        if self.ticks % 15 == 0:
            self._flip_alarm()
        if self.ticks % METRIC_TICKS == 0:
            self.metrics.tick(now)
        self._write_logs(now)

    def _lose_a_task(self, services: list, now: datetime) -> None:
        """A running task dies now and then (the service then starts a new one), so the fleet never sits still."""
        candidates = [s for s in services if s.running_count > 0 and s.running_count == s.desired_count]
        if candidates:
            service = self.random.choice(candidates)
            service.running_count -= 1
            service.events.insert(0, event(0, f"(service {service.name}) task {uuid.uuid4().hex[:6]} stopped: "
                                               "Essential container in task exited (exit code 137).", now))

    def _move_service(self, service: object, now: datetime) -> None:
        primary = next((d for d in getattr(service, "deployments", []) if d.get("status") == "PRIMARY"), None)
        if primary and primary.get("rolloutState") == "FAILED":
            if self.random.random() < 0.1:
                service.events.insert(0, event(0, f"(service {service.name}) (task {uuid.uuid4().hex[:6]}) "
                                                   "failed container health checks.", now))
            return
        if primary and len(service.deployments) > 1:
            self._roll_out(service, primary, now)
            return
        desired, running = service.desired_count, service.running_count
        if running != desired and self.random.random() < 0.6:
            step = 1 if running < desired else -1
            service.running_count = running + step
            verb = "started" if step > 0 else "stopped"
            service.events.insert(0, event(0, f"(service {service.name}) has {verb} 1 tasks: "
                                               f"(task {uuid.uuid4().hex[:6]}).", now))
        service.pending_count = max(0, desired - service.running_count) if service.running_count < desired else 0
        if primary:
            counts = {"runningCount": service.running_count, "pendingCount": service.pending_count,
                      "desiredCount": desired}
            if any(primary.get(key) != value for key, value in counts.items()):  # as ECS: updated when it changes
                primary.update(counts, updatedAt=now)
            if service.running_count == desired and primary.get("rolloutState") == "IN_PROGRESS":
                primary.update(rolloutState="COMPLETED", rolloutStateReason="ECS deployment completed.", updatedAt=now)
                service.deployments = [primary]
                service.events.insert(0, event(0, f"(service {service.name}) has reached a steady state.", now))
        del service.events[100:]

    def _roll_out(self, service: Any, primary: dict[str, Any], now: datetime) -> None:
        """One step of a rollout: start a task of the new deployment, else stop one of an old one; done when the
        old ones have none left. A bad revision's tasks fail to start until the circuit breaker fails it."""
        if self.random.random() >= 0.6:
            return
        desired = service.desired_count
        old = [d for d in service.deployments if d is not primary]
        if primary.get("taskDefinition") in self.bad_revisions:
            primary["failedTasks"] = primary.get("failedTasks", 0) + 1
            service.events.insert(0, event(0, f"(service {service.name}) (task {uuid.uuid4().hex[:6]}) failed "
                                               "container health checks.", now))
            if primary["failedTasks"] >= FAILING_TASKS:
                primary.update(rolloutState="FAILED",
                               rolloutStateReason="ECS deployment circuit breaker: tasks failed to start.")
        elif primary["runningCount"] < desired:
            primary["runningCount"] += 1
            service.events.insert(0, event(0, f"(service {service.name}) has started 1 tasks: "
                                               f"(task {uuid.uuid4().hex[:6]}).", now))
        else:
            draining = next((d for d in old if d["runningCount"] > 0), None)
            if draining:
                draining["runningCount"] -= 1
                service.events.insert(0, event(0, f"(service {service.name}) has stopped 1 running tasks: "
                                                   f"(task {uuid.uuid4().hex[:6]}).", now))
            else:
                primary.update(rolloutState="COMPLETED", rolloutStateReason="ECS deployment completed.")
                service.deployments = [primary]
                service.events.insert(0, event(0, f"(service {service.name}) has reached a steady state.", now))
        primary.update(desiredCount=desired, pendingCount=max(0, desired - primary["runningCount"]), updatedAt=now)
        service.running_count = sum(d["runningCount"] for d in service.deployments)
        service.pending_count = primary["pendingCount"] if primary.get("rolloutState") != "FAILED" else 0
        del service.events[100:]

    def _flip_alarm(self) -> None:
        cloudwatch = self.aws.client("cloudwatch")
        alarms = cloudwatch.describe_alarms(MaxRecords=100).get("MetricAlarms", [])
        if not alarms:
            return
        alarm = self.random.choice(alarms)
        state = "OK" if alarm["StateValue"] == "ALARM" else "ALARM"
        reason = (f"Threshold Crossed: 1 datapoint [{self.random.uniform(80, 99):.1f}] was greater than the "
                  f"threshold ({alarm.get('Threshold', 80):g})." if state == "ALARM"
                  else "Threshold Crossed: datapoints back below the threshold.")
        cloudwatch.set_alarm_state(AlarmName=alarm["AlarmName"], StateValue=state, StateReason=reason)
        if state == "ALARM":
            self._error_burst(datetime.now(timezone.utc))

    def _streams(self) -> dict[str, str]:
        """One awslogs-style stream (`app/app/<task id>`) per log group, made once."""
        if not self._stream_of:
            groups = self.aws.client("logs").describe_log_groups().get("logGroups", [])
            self._stream_of = {g["logGroupName"]: f"app/app/{uuid.uuid4().hex}" for g in groups}
        return self._stream_of

    def _write_logs(self, now: datetime) -> None:
        for group, stream in self._streams().items():
            lines = [self.random.choice(LOG_LINES) for _ in range(self.random.randint(1, 4))]
            put_logs(self.aws, group, stream, lines, now)

    def _error_burst(self, now: datetime) -> None:
        """When an alarm fires, a service starts failing loudly: errors and a stack trace."""
        group, stream = self.random.choice(sorted(self._streams().items()))
        put_logs(self.aws, group, stream, [ERROR_BURST[i % len(ERROR_BURST)] for i in range(20)], now)
