"""Benchmark `warroom check` against the runbook's own shell health check (enterprise.md, "Morning Health
Check": one `aws` process per call, `describe-services` once per service), in the same run on the same seeded
moto server. Prints one JSON line per fleet: both wall times (process start included) and their ratio.

The `aws` CLI comes from the package index into its own virtual environment (bench/.awscli, made on first use:
awscli pins its own botocore, which must not meet the project's).

    .venv/bin/python bench/check.py [--fleets 4x10,20x25] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warroom.data.aws import Aws  # noqa: E402
from warroom.demo import server  # noqa: E402
from warroom.demo.world import ServiceSpec, create_instance, create_services, put_alarm, put_logs  # noqa: E402

AWSCLI = ROOT / "bench" / ".awscli"
LOG_GROUP = "/aws/application/enterprise-prod"
# The runbook's script, the parts warroom check covers (ECS, RDS, ALB, alarms, recent errors), as written there.
RUNBOOK = r"""
echo "=== AWS Infrastructure Health Check ==="
aws rds describe-db-instances --query 'DBInstances[*].[DBInstanceIdentifier,DBInstanceStatus,AvailabilityZone]' \
  --output table
aws ecs list-clusters --query 'clusterArns' --output text | tr '\t' '\n' | while read cluster; do
  echo "Cluster: $cluster"
  aws ecs list-services --cluster $cluster --query 'serviceArns' --output text | tr '\t' '\n' | \
  while read service; do
    aws ecs describe-services --cluster $cluster --services $service \
      --query 'services[*].[serviceName,status,runningCount,desiredCount]' --output table
  done
done
aws elbv2 describe-load-balancers --query 'LoadBalancers[*].[LoadBalancerName,State.Code,DNSName]' --output table
aws cloudwatch describe-alarms --state-value ALARM --query 'MetricAlarms[*].[AlarmName,StateValue,StateReason]' \
  --output table
aws logs filter-log-events --log-group-name "/aws/application/enterprise-prod" \
  --start-time $(($(date +%s) - 3600))000 --filter-pattern "ERROR" --query 'events[*].[timestamp,message]' \
  --output table | head -20
"""


def awscli() -> Path:
    if not (AWSCLI / "bin" / "aws").exists():
        subprocess.run([sys.executable, "-m", "venv", str(AWSCLI)], check=True)
        subprocess.run([str(AWSCLI / "bin" / "pip"), "install", "--quiet", "awscli"], check=True)
    return AWSCLI / "bin"


def seed(aws: Aws, clusters: int, services: int) -> None:
    create_services(aws, [ServiceSpec(f"cluster-{c:02d}", f"svc-{c:02d}-{s:02d}", 2, running=2 if s % 7 else 1,
                                      log_group=LOG_GROUP) for c in range(clusters) for s in range(services)],
                    tasks=False)
    for index in range(30):
        put_alarm(aws, f"enterprise-prod-alarm-{index:02d}", "ALARM" if index % 10 == 0 else "OK")
    for index in range(5):
        create_instance(aws, f"enterprise-prod-db-{index}")
    put_logs(aws, LOG_GROUP, "app/app/1", [f"{'ERROR' if i % 5 == 0 else 'INFO'} request {i}" for i in range(200)])


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr[-500:]}")
    return time.perf_counter() - start, done.returncode


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--fleets", default="4x10,20x25")
    options.add_argument("--runs", type=int, default=3, help="runs of each, the median is reported")
    args = options.parse_args()
    cli_bin = awscli()
    moto = server.start()
    server.use_endpoint(moto.endpoint)
    env = {**os.environ, "PATH": f"{cli_bin}{os.pathsep}{os.environ['PATH']}", "AWS_PAGER": ""}
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.toml"
        config.write_text(f'[env.bench]\nlog_groups = ["{LOG_GROUP}"]\n')
        script = Path(folder) / "health-check.sh"
        script.write_text(RUNBOOK)
        for fleet in args.fleets.split(","):
            clusters, services = (int(n) for n in fleet.split("x"))
            server_reset(moto.endpoint)
            seeder = Aws()
            seed(seeder, clusters, services)
            seeder.close()
            check = [timed([str(ROOT / ".venv" / "bin" / "warroom"), "check", "--config", str(config), "--json"],
                           env) for _ in range(args.runs)]
            shell = [timed(["bash", str(script)], env) for _ in range(args.runs)]
            ours, theirs = statistics.median(t for t, _ in check), statistics.median(t for t, _ in shell)
            print(json.dumps({"fleet": fleet, "services": clusters * services, "runs": args.runs,
                              "warroom_check_s": round(ours, 2), "runbook_script_s": round(theirs, 2),
                              "ratio": round(ours / theirs, 3), "warroom_exit": check[0][1],
                              "aws_processes": 4 + clusters * (1 + services)}), flush=True)
    moto.stop()


def server_reset(endpoint: str) -> None:
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")).read()


if __name__ == "__main__":
    main()
