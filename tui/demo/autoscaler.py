"""The demo's autoscaler: what Application Auto Scaling does to a service whose desired count was set outside its
[min, max]: a little later a scaling activity moves it back within them, and the activity is on record (in the
demo's responder, which serves DescribeScalingActivities)."""

from __future__ import annotations

from typing import Any

from warroom.data.aws import Aws
from warroom.demo.responder import Responder

UNDO_AFTER = 10  # ticks outside the bounds before the activity (20 s; AWS's acts on its next alarm, in minutes)


class Autoscaler:
    """Call `tick(services)` with moto's ECS service objects each simulator tick."""

    def __init__(self, aws: Aws, responder: Responder | None) -> None:
        self.aws = aws
        self.responder = responder
        self._outside: dict[str, int] = {}  # resource id -> ticks its desired count has been outside

    def tick(self, services: list[Any]) -> None:
        by_id = {f"service/{s.cluster_arn.rsplit('/', 1)[-1]}/{s.name}": s for s in services}
        targets = self.aws.client("application-autoscaling").describe_scalable_targets(ServiceNamespace="ecs")
        for target in targets.get("ScalableTargets") or ():
            ident, low, high = target["ResourceId"], target["MinCapacity"], target["MaxCapacity"]
            service = by_id.get(ident)
            if service is None or low <= service.desired_count <= high:
                self._outside.pop(ident, None)
                continue
            self._outside[ident] = self._outside.get(ident, 0) + 1
            if self._outside[ident] >= UNDO_AFTER:
                self._undo(ident, service, low, high)

    def _undo(self, ident: str, service: Any, low: int, high: int) -> None:
        was = service.desired_count
        service.desired_count = min(max(was, low), high)
        self._outside.pop(ident, None)
        if self.responder is not None:
            self.responder.add_scaling_activity(
                ident, f"Setting desired count to {service.desired_count}.",
                f"the desired count {was} was outside min {low} max {high}: the autoscaler set it within them")
